/**
 * The picture people keep (issue 25), measured where the wasm backend runs without a browser (Node,
 * bench/stills.mjs) — the same tfjs kernels the style worker runs:
 *   - keep colours and detail from the camera frame at 256p, against the style network's own time;
 *   - a tiled still (default 4096×4096): time, peak tensor bytes, peak JS memory;
 *   - seams: tiled against untiled at 1024×1024 (the largest and mean difference, in 1/255).
 * The bench page's suite `picture` (bench/stills.mjs --webgl) runs the kernel counts and a still in a
 * browser, on WebGL: each kernel there is a shader pass.
 */
import * as tf from '@tensorflow/tfjs';
import type { StyleNet, StyleNetStats } from '../models/style-net';
import type { PixelImage } from '../render/pixels';
import { pixelsToTensor, tensorToPixels } from '../render/pixel-tensors';
import { keepColours } from '../stylize/colour';
import { guidedUpsample } from '../stylize/guided';
import { stylizeTiled, type TiledOptions } from '../stylize/tiles';
import { median } from '../live/stats';

/** A deterministic test picture: colour waves, a box with hard edges, stripes. */
export function benchPicture(width: number, height: number): PixelImage {
	const data = new Uint8ClampedArray(width * height * 4);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const i = (y * width + x) * 4;
			const u = (x / width) * 256;
			const v = (y / height) * 256;
			const box = x > width * 0.3 && x < width * 0.6 && y > height * 0.2 && y < height * 0.7;
			data[i] = box ? 230 : 128 + 100 * Math.sin(u / 17 + v / 29);
			data[i + 1] = box ? 40 : 128 + 90 * Math.cos(v / 13 - u / 41);
			data[i + 2] = (Math.floor(u) * 3 + Math.floor(v) * 5) % 256 > 128 ? 200 : 60;
			data[i + 3] = 255;
		}
	}
	return { width, height, data };
}

/**
 * Median ms of each function, run in turns (on a shared machine a change of load hits all alike).
 * `clock`: ms on any clock (default performance.now; Node scripts pass the process's CPU time). On the
 * CPU backends (wasm, cpu) an op has finished when it returns, so the result is not read back: what a
 * step costs the live path is its kernels, and the read-back of what is drawn is timed apart (`draw`).
 * On WebGL the result is read back, or only the queueing would be timed.
 */
async function timeInTurns(runs: number, fs: (() => tf.Tensor | Promise<unknown>)[], clock: () => number = () => performance.now()): Promise<number[]> {
	const sync = ['wasm', 'cpu'].includes(tf.getBackend());
	const once = async (f: () => tf.Tensor | Promise<unknown>) => {
		const t = await f();
		if (t instanceof tf.Tensor) {
			if (!sync) t.dataSync();
			t.dispose();
		}
	};
	for (const f of fs) await once(f); // warm-up
	const ms: number[][] = fs.map(() => []);
	for (let i = 0; i < runs; i++) {
		for (const [k, f] of fs.entries()) {
			const t0 = clock();
			await once(f);
			ms[k].push(clock() - t0);
		}
	}
	return ms.map(median);
}

export interface PictureStepsRow {
	size: string;
	guide: string;
	styleMs: number;
	coloursMs: number;
	detailMs: number;
	/** Reading the frame back into RGBA bytes to draw it (the style worker's draw): at the processing size, and at the guide's size (with detail). */
	drawMs: { processing: number; guide: number };
	/** (colours + detail) / style network: the tensor work. */
	share: number;
	/** What colours and detail add to a frame, the larger draw included: (colours + detail + draw at the guide's size − draw at the processing size) / (network + draw at the processing size). */
	frameShare: number;
}

/** The frames of one live step at `side`p: the camera frame at twice the size (the guide), the processing frame, its stylized frame. */
function stepFrames(net: StyleNet, side: number, aspect = 4 / 3, subsample?: number) {
	const h = side;
	const w = Math.round((h * aspect) / 8) * 8;
	const weights = net.styles.map((_, i) => (i === 0 ? 1 : 0));
	const guide = pixelsToTensor(benchPicture(2 * w, 2 * h));
	const input = tf.tidy(() => tf.image.resizeBilinear(guide, [h, w], false, true) as tf.Tensor3D);
	const styled = net.stylize(input, weights);
	// As the live path calls it: the network's input is the camera frame at the processing size.
	const detail = () => guidedUpsample(styled, guide, 1, { lowGuide: input, ...(subsample ? { subsample } : {}) });
	return { size: `${w}×${h}`, guide, input, styled, weights, detail, dispose: () => tf.dispose([guide, input, styled]) };
}

/**
 * Keep colours and detail from the camera frame at `side`p (`aspect` width / height, default 4:3), the
 * guide at twice that (the studio's rule with a camera and a screen at least that large), and the draw
 * (read-back into RGBA bytes, reusing the buffer as the style worker does) at both sizes.
 */
export async function benchPictureSteps(net: StyleNet, opts: { side: number; runs: number; aspect?: number; clock?: () => number; log: (s: string) => void }): Promise<PictureStepsRow> {
	const { size, guide, input, styled, weights, detail, dispose } = stepFrames(net, opts.side, opts.aspect);
	const big = detail();
	const buffers: { small?: Uint8ClampedArray; big?: Uint8ClampedArray } = {};
	try {
		const [styleMs, coloursMs, detailMs, drawSmall, drawBig] = await timeInTurns(
			opts.runs,
			[
				() => net.stylize(input, weights),
				() => keepColours(styled, input, 1),
				detail,
				async () => (buffers.small = (await tensorToPixels(styled, buffers.small)).data),
				async () => (buffers.big = (await tensorToPixels(big, buffers.big)).data)
			],
			opts.clock
		);
		const drawMs = { processing: drawSmall, guide: drawBig };
		const share = (coloursMs + detailMs) / styleMs;
		const frameShare = (coloursMs + detailMs + drawBig - drawSmall) / (styleMs + drawSmall);
		const row = { size, guide: `${guide.shape[1]}×${guide.shape[0]}`, styleMs, coloursMs, detailMs, drawMs, share, frameShare };
		opts.log(
			`${row.size}: style net ${styleMs.toFixed(1)} ms, keep colours ${coloursMs.toFixed(1)} ms, detail (guide ${row.guide}) ${detailMs.toFixed(1)} ms: ` +
				`${(100 * share).toFixed(1)} % of the network; draw ${drawSmall.toFixed(1)} → ${drawBig.toFixed(1)} ms: ${(100 * frameShare).toFixed(1)} % of a frame`
		);
		return row;
	} finally {
		big.dispose();
		dispose();
	}
}

export interface PictureKernelsRow {
	size: string;
	guide: string;
	/**
	 * Kernels of one call (tf.profile), those that only change a shape, and — where the caller can count
	 * them (`passes`: WebGL's programs run) — the shader passes, pack/unpack passes between kernels included.
	 */
	colours: { kernels: number; shapeOnly: number; names: string[]; passes: number | null };
	detail: { kernels: number; shapeOnly: number; names: string[]; passes: number | null };
}

/** Kernels that change only a tensor's shape: no pass over the pixels on any backend. */
const SHAPE_ONLY = new Set(['Reshape', 'Squeeze', 'ExpandDims', 'Identity']);

/** The kernels keep colours and detail from the camera frame run per frame at `side`p (`aspect`, default 4:3), the guide at twice that. */
export async function countPictureKernels(net: StyleNet, opts: { side: number; aspect?: number; subsample?: number; passes?: () => number; log: (s: string) => void }): Promise<PictureKernelsRow> {
	const { size, guide, input, styled, detail, dispose } = stepFrames(net, opts.side, opts.aspect, opts.subsample);
	const count = async (f: () => tf.Tensor) => {
		f().dispose(); // compiled before it is counted
		const p = await tf.profile(() => f());
		tf.dispose(p.result);
		const names = p.kernels.map((k) => k.name);
		// Passes of a plain call (the profiler reads outputs back, which runs passes of its own).
		const start = opts.passes?.() ?? 0;
		f().dispose();
		const passes = opts.passes ? opts.passes() - start : null;
		return { kernels: names.length, shapeOnly: names.filter((n) => SHAPE_ONLY.has(n)).length, names, passes };
	};
	try {
		const row = { size, guide: `${guide.shape[1]}×${guide.shape[0]}`, colours: await count(() => keepColours(styled, input, 1)), detail: await count(detail) };
		const passes = (n: number | null) => (n == null ? '' : `, ${n} shader passes`);
		opts.log(`${row.size} → ${row.guide}: keep colours ${row.colours.kernels} kernels (${row.colours.shapeOnly} shape-only${passes(row.colours.passes)}), detail ${row.detail.kernels} kernels (${row.detail.shapeOnly} shape-only${passes(row.detail.passes)})`);
		return row;
	} finally {
		dispose();
	}
}

export interface StillRow {
	size: string;
	tiles: number;
	seconds: number;
	/** Peak tensor bytes (tf.profile); null when run without the profiler. */
	peakTensorBytes: number | null;
	/** Largest process memory seen between tiles (Node's rss and arrayBuffers, where available). */
	peakArrayBuffers: number | null;
	peakHeapUsed: number | null;
}

/**
 * A tiled still of a `side`×`side` picture. `profile: false` times it without tf.profile: the profiler
 * reads every kernel's output back where the backend has no kernel timer (WebGL on SwiftShader), which
 * costs more than the kernels there.
 */
export async function benchStill(
	net: StyleNetStats & StyleNet,
	opts: { side: number; tiled?: Partial<TiledOptions>; profile?: boolean; memory?: () => { heapUsed: number; arrayBuffers: number }; log: (s: string) => void }
): Promise<StillRow> {
	const pic = benchPicture(opts.side, opts.side);
	const weights = net.styles.map((_, i) => (i === 0 ? 1 : 0));
	let peakAb = 0;
	let peakHeap = 0;
	const sample = () => {
		const m = opts.memory?.();
		if (m) [peakAb, peakHeap] = [Math.max(peakAb, m.arrayBuffers), Math.max(peakHeap, m.heapUsed)];
	};
	const t0 = performance.now();
	let tiles = 0;
	const run = async () => {
		const r = await stylizeTiled(net, pic, weights, {
			...opts.tiled,
			onProgress: (p) => {
				sample();
				if (p.stage === 'tiles' && (p.done % 10 === 0 || p.done === p.total)) opts.log(`  tile ${p.done} / ${p.total} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
			}
		});
		tiles = r.tiles;
		sample();
		return [] as tf.Tensor[];
	};
	const peakTensorBytes = opts.profile === false ? (await run(), null) : (await tf.profile(run)).peakBytes;
	const seconds = (performance.now() - t0) / 1000;
	const row = { size: `${opts.side}×${opts.side}`, tiles, seconds, peakTensorBytes, peakArrayBuffers: opts.memory ? peakAb : null, peakHeapUsed: opts.memory ? peakHeap : null };
	opts.log(
		`still ${row.size}: ${tiles} tiles, ${seconds.toFixed(1)} s` +
			(peakTensorBytes != null ? `, peak tensor bytes ${(peakTensorBytes / 2 ** 20).toFixed(1)} MiB` : '') +
			(opts.memory ? `, peak array buffers ${(peakAb / 2 ** 20).toFixed(0)} MiB, JS heap ${(peakHeap / 2 ** 20).toFixed(0)} MiB` : '')
	);
	return row;
}

export interface SeamRow {
	size: string;
	maxDiff: number;
	meanDiff: number;
}

/** Tiled (default tiles, statistics of the whole picture) against one untiled run, in 1/255. */
export async function benchSeams(net: StyleNetStats & StyleNet, opts: { side: number; tiled?: Partial<TiledOptions>; log: (s: string) => void }): Promise<SeamRow> {
	const pic = benchPicture(opts.side, opts.side);
	const weights = net.styles.map((_, i) => (i === 0 ? 1 : 0));
	const tiled = await stylizeTiled(net, pic, weights, { statsSide: opts.side, ...opts.tiled });
	const whole = tf.tidy(() => tf.round(tf.mul(tf.clipByValue(net.stylize(pixelsToTensor(pic), weights), 0, 1), 255)));
	const want = await whole.data();
	whole.dispose();
	let max = 0;
	let sum = 0;
	const n = opts.side * opts.side;
	for (let p = 0; p < n; p++) {
		for (let c = 0; c < 3; c++) {
			const d = Math.abs(tiled.image.data[p * 4 + c] - want[p * 3 + c]);
			max = Math.max(max, d);
			sum += d;
		}
	}
	const row = { size: `${opts.side}×${opts.side}`, maxDiff: max, meanDiff: sum / (n * 3) };
	opts.log(`seams ${row.size} (${tiled.tiles} tiles): tiled − untiled max ${max}/255, mean ${row.meanDiff.toFixed(3)}/255`);
	return row;
}
