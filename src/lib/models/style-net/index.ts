/**
 * Multi-style feed-forward style network (conditional instance norm). Trained and exported by
 * training/ (see docs/style-net.md); this module interprets the op program in manifest.json.
 *
 *   const net = await load({ url: '/models/style-net/' });
 *   const out = net.stylize(frame, blend, { strength: 0.8 }); // caller disposes `out`
 *   net.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { normalizeBlend } from './blend';
import { decodeWeights } from './dequantize';
import { buildParams, disposeParams, forward, minInputSide, type StyleNetParams } from './forward';
import { collectStats, forwardWithStats, type CinStats } from './forward-stats';
import { parseManifestText, validateWeightsBuffer } from './manifest';
import type { ExtraStyle, ResolvedStyleNetConfig, StyleInfo, StyleNet, StyleNetConfig, StyleNetManifest, StyleNetStats, StylizeOptions } from './types';

/** Where the app serves the exported network (static/models/style-net/): the one place it is named. */
export const STYLE_NET_URL = '/models/style-net/';

export type { ExtraStyle, StyleNet, StyleNetConfig, StyleNetManifest, StyleNetStats, StylizeOptions, StyleInfo } from './types';
export type { CinStats } from './forward-stats';
export { normalizeBlend, oneHot } from './blend';
export { StyleNetFormatError } from './manifest';

/** Fill the load-time defaults in one place. */
function resolveConfig(config: StyleNetConfig): ResolvedStyleNetConfig {
	if (!config || typeof config.url !== 'string') throw new TypeError('style-net: config.url is required');
	const f = config.fetch ?? globalThis.fetch;
	if (!f) throw new TypeError('style-net: no fetch available; pass config.fetch');
	return {
		url: config.url.endsWith('/') ? config.url : `${config.url}/`,
		fetch: f,
		warmupSize: config.warmupSize ?? [64, 64]
	};
}

/** Fill the per-call defaults in one place. */
function resolveStylizeOptions(options: StylizeOptions | undefined): Required<StylizeOptions> {
	const strength = options?.strength ?? 1;
	if (!Number.isFinite(strength) || strength < 0 || strength > 1) throw new RangeError(`style-net: strength ${strength} must be in [0, 1]`);
	return { strength };
}

async function fetchOk(f: typeof fetch, url: string): Promise<Response> {
	const res = await f(url);
	if (!res.ok) throw new Error(`style-net: fetching ${url} failed with HTTP ${res.status}`);
	return res;
}

class LoadedStyleNet implements StyleNet, StyleNetStats {
	styles: readonly StyleInfo[];
	private params: StyleNetParams | null;
	/** The manifest's table with the extra styles' rows below it (null: no extras). */
	private fullTable: Float32Array | null = null;
	/** Smallest frame side the program accepts (minInputSide). */
	readonly minSide: number;

	constructor(
		readonly manifest: StyleNetManifest,
		params: StyleNetParams
	) {
		this.styles = manifest.styles;
		this.params = params;
		this.minSide = minInputSide(manifest);
	}

	/**
	 * The learned styles after the built-in ones. A row learned for another version of the network (a
	 * stored style from before an update) is left out — `styles` then lacks it, which is how callers see
	 * it; the others are used. A row of the wrong size or with non-finite numbers is refused (throws) and
	 * the styles set before stay.
	 */
	setExtraStyles(all: readonly ExtraStyle[]): void {
		const params = this.params;
		if (!params) throw new Error('style-net: setExtraStyles() called after dispose()');
		const width = params.cinWidth;
		const extra = all.filter((e) => e.networkVersion === this.manifest.version);
		for (const e of extra) {
			if (e.row.length !== width || !e.row.every(Number.isFinite))
				throw new RangeError(`style-net: the style "${e.info.title}" has ${e.row.length} numbers; this network needs ${width} finite ones`);
		}
		let next: Float32Array | null = null;
		if (extra.length) {
			next = new Float32Array(params.cinTable.length + extra.length * width);
			next.set(params.cinTable);
			extra.forEach((e, i) => next!.set(e.row, params.cinTable.length + i * width));
		}
		this.fullTable = next;
		this.styles = [...this.manifest.styles, ...extra.map((e) => e.info)];
	}

	/** Checks a call's frame and blend; the params (with the extra styles' rows), strength and normalized weights. */
	private prepare(frame: tf.Tensor3D, blend: readonly number[], options?: StylizeOptions) {
		const base = this.params;
		if (!base) throw new Error('style-net: stylize() called after dispose()');
		const params = this.fullTable ? { ...base, cinTable: this.fullTable } : base;
		const { strength } = resolveStylizeOptions(options);
		const weights = normalizeBlend(blend, this.styles.length);
		if (frame.rank !== 3 || frame.shape[2] !== 3) throw new RangeError(`style-net: frame must be [H, W, 3], got [${frame.shape}]`);
		const [H, W] = frame.shape;
		if (H < this.minSide || W < this.minSide) throw new RangeError(`style-net: frame ${H}x${W} is smaller than ${this.minSide}x${this.minSide}`);
		return { params, strength, weights };
	}

	stylize(frame: tf.Tensor3D, blend: readonly number[], options?: StylizeOptions): tf.Tensor3D {
		return this.run(frame, blend, options, null);
	}

	statistics(frame: tf.Tensor3D, blend: readonly number[]): CinStats {
		const { params, weights } = this.prepare(frame, blend);
		return tf.tidy(() => {
			return collectStats(this.manifest, params, tf.expandDims(tf.cast(frame, 'float32'), 0) as tf.Tensor4D, weights) as unknown as tf.TensorContainer;
		}) as unknown as CinStats;
	}

	stylizeWithStats(frame: tf.Tensor3D, blend: readonly number[], stats: CinStats, options?: StylizeOptions): tf.Tensor3D {
		return this.run(frame, blend, options, stats);
	}

	private run(frame: tf.Tensor3D, blend: readonly number[], options: StylizeOptions | undefined, stats: CinStats | null): tf.Tensor3D {
		const { params, strength, weights } = this.prepare(frame, blend, options);
		return tf.tidy(() => {
			const x = tf.cast(frame, 'float32');
			if (strength === 0) return tf.clone(x) as tf.Tensor3D;
			const x4 = tf.expandDims(x, 0) as tf.Tensor4D;
			const y4 = stats ? forwardWithStats(this.manifest, params, x4, weights, stats) : forward(this.manifest, params, x4, weights);
			const y = tf.squeeze(y4, [0]) as tf.Tensor3D;
			if (strength === 1) return y;
			return tf.add(tf.mul(x, 1 - strength), tf.mul(y, strength)) as tf.Tensor3D;
		});
	}

	dispose(): void {
		this.fullTable = null;
		if (this.params) disposeParams(this.params);
		this.params = null;
	}
}

/** The manifest and the uploaded parameter tensors (the caller owns them: disposeParams). */
export interface StyleNetParts {
	manifest: StyleNetManifest;
	params: StyleNetParams;
}

/** Fetch, validate and upload the model's parts, without a warm-up (the style learner uses them directly). */
export async function loadParts(config: StyleNetConfig): Promise<StyleNetParts> {
	const cfg = resolveConfig(config);
	const manifest = parseManifestText(await (await fetchOk(cfg.fetch, `${cfg.url}manifest.json`)).text());
	const buffer = await (await fetchOk(cfg.fetch, `${cfg.url}${manifest.weights.file}`)).arrayBuffer();
	validateWeightsBuffer(manifest, buffer);
	return { manifest, params: buildParams(manifest, decodeWeights(manifest, buffer)) };
}

/** Fetch, validate and upload the model, then warm it up with one run on zeros. */
export async function load(config: StyleNetConfig): Promise<StyleNet & StyleNetStats> {
	const cfg = resolveConfig(config);
	const { manifest, params } = await loadParts(cfg);
	const net = new LoadedStyleNet(manifest, params);
	try {
		// The warm-up frame must be one the program accepts (v2's 1/8 level needs 16 px or more).
		const [h, w] = cfg.warmupSize.map((v) => Math.max(v, net.minSide));
		const zeros = tf.zeros([h, w, 3]) as tf.Tensor3D;
		const out = net.stylize(zeros, net.styles.map((_, i) => (i === 0 ? 1 : 0)));
		zeros.dispose();
		await out.data();
		out.dispose();
	} catch (e) {
		net.dispose();
		throw e;
	}
	return net;
}
