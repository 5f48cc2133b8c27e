/**
 * The op program as plain, differentiable tensor ops, with the γ/β row and the instance-norm statistics
 * chosen by the caller (forward.ts is the fast per-frame forward: it folds the norms in JS and cannot be
 * differentiated).
 *
 * - forwardRows: the γ/β row given as a tensor and each norm's statistics from its own input, as in
 *   training — the style learner (learn/) differentiates the output with respect to the row.
 * - collectStats / forwardWithStats: instance-norm statistics from outside, for pictures too large for one run
 * (stylize/tiles.ts). Each cin op normally normalizes with the mean and variance of the picture it
 * sees; a tile sees only its part, so tiles would come out in different colours. Here the statistics
 * are collected once on the whole picture (or a reduced copy of it: collectStats) and every tile is
 * normalized with those (forwardWithStats).
 *
 * Same semantics as forward() in forward.ts (reflect padding to padToMultiple, reflect-padded convs,
 * conditional instance norm with blended gamma/beta, nearest upsampling, skip slots); with the
 * statistics of the same picture forwardWithStats equals forward (tests/unit/models/style-net-stats.test.ts).
 * Pure tensor code: call inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { blendCinRow, reflectPad, type StyleNetParams } from './forward';
import type { StyleNetManifest } from './types';

/** Per cin op (by name): the per-channel mean and variance, each [1, 1, 1, C]. */
export type CinStats = Record<string, { mean: tf.Tensor4D; variance: tf.Tensor4D }>;

type StatsFor = (name: string, h: tf.Tensor4D) => { mean: tf.Tensor4D; variance: tf.Tensor4D };

/**
 * The interpreter, with the γ/β row `cin` [1, cinWidth] and the statistics of each cin op from
 * `statsFor`. With `free`, each activation is freed as soon as the next one exists (unless a skip slot
 * holds it), so a large picture or tile needs a few activations at a time, not the sum of all of them
 * until the caller's tidy ends; without it (gradients need them) they stay for the caller's tidy.
 */
function run(
	manifest: StyleNetManifest,
	p: StyleNetParams,
	x: tf.Tensor4D,
	cin: tf.Tensor2D,
	statsFor: StatsFor,
	{ free = true, stopAfterLastCin = false } = {}
): tf.Tensor4D {
	const [, H, W] = x.shape;
	const m = manifest.input.padToMultiple;
	const slots = new Map<string, tf.Tensor4D>();
	const held = (t: tf.Tensor) => t === x || [...slots.values()].includes(t as tf.Tensor4D);
	let h: tf.Tensor4D = x;
	/** Moves on to `next`, freeing the activation it came from. */
	const advance = (next: tf.Tensor4D) => {
		if (free && next !== h && !held(h)) h.dispose();
		h = next;
	};
	advance(reflectPad(x, 0, (m - (H % m)) % m, 0, (m - (W % m)) % m));
	const lastCin = manifest.ops.map((o) => o.op).lastIndexOf('cin');
	for (const [i, o] of manifest.ops.entries()) {
		switch (o.op) {
			case 'conv': {
				const padded = reflectPad(h, o.pad, o.pad, o.pad, o.pad);
				const k = p.kernels.get(o.name)!;
				const y = o.depthwise ? tf.depthwiseConv2d(padded, k, o.stride, 'valid') : tf.conv2d(padded, k, o.stride, 'valid');
				if (free && padded !== h) padded.dispose();
				advance(y);
				const b = p.biases.get(o.name);
				if (b) advance(tf.add(h, b));
				break;
			}
			case 'cin': {
				const off = p.cinOffsets.get(o.name)!;
				const gamma = tf.reshape(tf.slice(cin, [0, off], [1, o.channels]), [1, 1, 1, o.channels]);
				const beta = tf.reshape(tf.slice(cin, [0, off + o.channels], [1, o.channels]), [1, 1, 1, o.channels]);
				const { mean, variance } = statsFor(o.name, h);
				// (h − mean) · gamma / sqrt(var + eps) + beta, folded into one scale and one shift.
				const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, o.eps)));
				const scaled = tf.mul(h, scale);
				advance(tf.add(scaled, tf.sub(beta, tf.mul(mean, scale))));
				if (free) scaled.dispose();
				if (stopAfterLastCin && i === lastCin) return h;
				break;
			}
			case 'relu':
				advance(tf.relu(h));
				break;
			case 'sigmoid':
				advance(tf.sigmoid(h));
				break;
			case 'upsample': {
				const [, hh, ww] = h.shape;
				advance(tf.image.resizeNearestNeighbor(h, [hh * o.factor, ww * o.factor], false, false));
				break;
			}
			case 'save':
				slots.set(o.slot, h);
				break;
			case 'add': {
				const saved = slots.get(o.slot)!;
				advance(tf.add(h, saved));
				slots.delete(o.slot);
				if (free && !held(saved) && saved !== h) saved.dispose();
				break;
			}
		}
	}
	if (h.shape[1] !== H || h.shape[2] !== W) advance(tf.slice(h, [0, 0, 0, 0], [1, H, W, h.shape[3]]));
	return h;
}

/**
 * Runs the program on x [1, H, W, 3] (the whole picture, or a reduced copy) and returns every cin
 * op's mean and variance (biased, as tf.moments and forward() use). The ops after the last cin are
 * not run. Call inside tf.tidy and return the result from it to keep the tensors.
 */
export function collectStats(manifest: StyleNetManifest, p: StyleNetParams, x: tf.Tensor4D, weights: readonly number[]): CinStats {
	const stats: CinStats = {};
	const cin = tf.tensor2d(blendCinRow(p, weights), [1, p.cinWidth]);
	const last = run(manifest, p, x, cin, (name, h) => {
		// Its own tidy: the moments' full-size temporaries go at once.
		stats[name] = tf.tidy(() => {
			const { mean, variance } = tf.moments(h, [1, 2], true);
			return { mean: mean as tf.Tensor4D, variance: variance as tf.Tensor4D };
		});
		return stats[name];
	}, { stopAfterLastCin: true });
	if (last !== x) last.dispose();
	cin.dispose();
	return stats;
}

/** forward() with every cin op normalized by `stats` (from collectStats) instead of x's own moments. */
export function forwardWithStats(manifest: StyleNetManifest, p: StyleNetParams, x: tf.Tensor4D, weights: readonly number[], stats: CinStats): tf.Tensor4D {
	return tf.tidy(() =>
		run(manifest, p, x, tf.tensor2d(blendCinRow(p, weights), [1, p.cinWidth]), (name) => {
			const s = stats[name];
			if (!s) throw new Error(`style-net: no statistics for cin op "${name}"`);
			return s;
		})
	);
}

/**
 * The op program with the conditional-instance-norm row given directly: cinRow [1, cinWidth] holds the
 * γ/β of every cin op (a cinTable row's layout), each norm normalizing with its own input's moments, as
 * in training. Differentiable with respect to cinRow (the style learner's gradient). Call inside tf.tidy.
 */
export function forwardRows(manifest: StyleNetManifest, p: StyleNetParams, x: tf.Tensor4D, cinRow: tf.Tensor2D): tf.Tensor4D {
	return run(manifest, p, x, cinRow, (_, h) => {
		const { mean, variance } = tf.moments(h, [1, 2], true);
		return { mean: mean as tf.Tensor4D, variance: variance as tf.Tensor4D };
	}, { free: false });
}
