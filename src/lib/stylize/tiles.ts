/**
 * Full-resolution stills: the style network on overlapping tiles with blended seams, so memory stays
 * bounded and no texture limit is hit, for pictures up to MAX_STILL_SIDE on the long side (larger
 * ones are scaled to that first, with a message).
 *
 * Instance norm depends on the whole picture: each cin op's mean and variance are computed once, on a
 * copy reduced to `statsSide` (the whole picture when it is smaller), and every tile is normalized
 * with those (models/style-net/forward-stats.ts). Tiles start on multiples of the network's stride
 * (8), each runs with `margin` pixels of context around it that are then cut off (the network's
 * receptive field is wide: a bare tile's reflected border shows), neighbours overlap by `overlap`
 * pixels and are blended with linear ramps across it (weights normalized, so any overlap sums to 1). The result is built band by band into RGBA bytes:
 * the float accumulator holds one band of tile rows, not the picture.
 *
 * Progress after every tile; an AbortSignal stops between tiles (JobCancelledError).
 */
import * as tf from '@tensorflow/tfjs';
import type { CinStats, StyleNetStats, StylizeOptions } from '../models/style-net';
import type { PixelImage } from '../render/pixels';

/** The largest long side a still is made at; larger pictures are scaled down to it. */
export const MAX_STILL_SIDE = 4096;

export interface TiledOptions {
	/** Tile side in pixels (a multiple of `align`; a 1024 tile is well under any WebGL texture limit). */
	tile: number;
	/** Overlap of neighbouring tiles in pixels (blended with linear ramps). */
	overlap: number;
	/**
	 * Context around each tile, run through the network and then cut off, so the tile's own pixels
	 * see (nearly) what they see in the whole picture rather than the tile's reflected border.
	 */
	margin: number;
	/** Long side of the reduced copy the instance-norm statistics come from. */
	statsSide: number;
	strength: number;
	signal?: AbortSignal;
	onProgress?: (p: StillProgress) => void;
}

export const TILED_DEFAULTS: Omit<TiledOptions, 'signal' | 'onProgress'> = { tile: 512, overlap: 32, margin: 64, statsSide: 1024, strength: 1 };

export interface StillProgress {
	done: number;
	total: number;
	/** What is happening, for the page ("statistics", "tiles"). */
	stage: 'scaling' | 'statistics' | 'tiles';
}

export interface StillResult {
	image: PixelImage;
	/** The size of the picture that came in. */
	original: { width: number; height: number };
	/** Set when the picture was scaled down to MAX_STILL_SIDE. */
	message: string | null;
	tiles: number;
}

/** The still's size for a picture: the same, or scaled so the long side is `maxSide`. */
export function stillSize(width: number, height: number, maxSide = MAX_STILL_SIDE): { width: number; height: number; scaled: boolean } {
	const long = Math.max(width, height);
	if (long <= maxSide) return { width, height, scaled: false };
	const s = maxSide / long;
	return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)), scaled: true };
}

/** Tile starts along one axis: every `step`, aligned to `align`, the last one flush with the end. */
export function tileStarts(size: number, tile: number, overlap: number, align: number): number[] {
	if (size <= tile) return [0];
	const step = Math.max(align, Math.floor((tile - overlap) / align) * align);
	const starts: number[] = [];
	for (let s = 0; s + tile < size; s += step) starts.push(s);
	const last = Math.max(0, Math.floor((size - tile) / align) * align);
	if (starts[starts.length - 1] !== last) starts.push(last);
	// The last aligned start may leave a few pixels at the end: that tile runs to the end (a bit larger).
	return starts;
}

/** Area-average (box) resize of RGBA pixels (downscaling); nearest for upscaling. Pure JS, bounded memory. */
export function resizePixels(img: PixelImage, width: number, height: number): PixelImage {
	if (width === img.width && height === img.height) return img;
	const out = new Uint8ClampedArray(width * height * 4);
	const sx = img.width / width;
	const sy = img.height / height;
	const src = img.data;
	for (let y = 0; y < height; y++) {
		const y0 = Math.floor(y * sy);
		const y1 = Math.max(y0 + 1, Math.min(img.height, Math.floor((y + 1) * sy)));
		for (let x = 0; x < width; x++) {
			const x0 = Math.floor(x * sx);
			const x1 = Math.max(x0 + 1, Math.min(img.width, Math.floor((x + 1) * sx)));
			let r = 0;
			let g = 0;
			let b = 0;
			for (let yy = y0; yy < y1; yy++) {
				let i = (yy * img.width + x0) * 4;
				for (let xx = x0; xx < x1; xx++, i += 4) {
					r += src[i];
					g += src[i + 1];
					b += src[i + 2];
				}
			}
			const n = (y1 - y0) * (x1 - x0);
			const o = (y * width + x) * 4;
			out[o] = r / n;
			out[o + 1] = g / n;
			out[o + 2] = b / n;
			out[o + 3] = 255;
		}
	}
	return { width, height, data: out };
}

/** RGB floats in [0, 1] of a rectangle of `img`, as a [h, w, 3] tensor. */
function cropTensor(img: PixelImage, x0: number, y0: number, w: number, h: number): tf.Tensor3D {
	const f = new Float32Array(w * h * 3);
	for (let y = 0; y < h; y++) {
		let i = ((y0 + y) * img.width + x0) * 4;
		let o = y * w * 3;
		for (let x = 0; x < w; x++, i += 4, o += 3) {
			f[o] = img.data[i] / 255;
			f[o + 1] = img.data[i + 1] / 255;
			f[o + 2] = img.data[i + 2] / 255;
		}
	}
	return tf.tensor3d(f, [h, w, 3]);
}

/** Linear ramp weights of a tile along one axis: 1 inside, falling towards an edge that has a neighbour. */
function ramp(len: number, overlap: number, fadeStart: boolean, fadeEnd: boolean): Float32Array {
	const r = new Float32Array(len);
	for (let i = 0; i < len; i++) {
		let v = 1;
		if (fadeStart) v = Math.min(v, (i + 0.5) / overlap);
		if (fadeEnd) v = Math.min(v, (len - i - 0.5) / overlap);
		r[i] = Math.max(1e-3, v);
	}
	return r;
}

class JobCancelled extends Error {
	override readonly name = 'AbortError';
}

const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Stylizes `source` (any size; scaled to MAX_STILL_SIDE when larger) with `weights` on tiles.
 * Tensors live for one tile at a time (plus the statistics, a few KB).
 */
export async function stylizeTiled(net: StyleNetStats, source: PixelImage, weights: readonly number[], options: Partial<TiledOptions> = {}): Promise<StillResult> {
	const o = { ...TILED_DEFAULTS, ...options };
	const align = 8;
	if (o.tile % align || o.overlap % align || o.margin % align || o.overlap * 2 > o.tile) {
		throw new RangeError(`stylizeTiled: tile ${o.tile}, overlap ${o.overlap} and margin ${o.margin} must be multiples of ${align}, the overlap at most half the tile`);
	}
	const check = () => {
		if (o.signal?.aborted) throw new JobCancelled('cancelled');
	};
	const original = { width: source.width, height: source.height };
	const size = stillSize(source.width, source.height);
	let img = source;
	let message: string | null = null;
	if (size.scaled) {
		o.onProgress?.({ done: 0, total: 1, stage: 'scaling' });
		img = resizePixels(source, size.width, size.height);
		message = `The picture is ${source.width}×${source.height}; the full-size still is made at ${size.width}×${size.height} (at most ${MAX_STILL_SIDE} pixels on the long side).`;
	}
	const { width: W, height: H } = img;
	if (Math.min(W, H) < net.minSide) throw new RangeError(`stylizeTiled: the picture ${W}×${H} is smaller than ${net.minSide}×${net.minSide}`);
	check();

	// The statistics, once, on a reduced copy (the picture itself when it is small enough).
	o.onProgress?.({ done: 0, total: 1, stage: 'statistics' });
	const small = stillSize(W, H, o.statsSide);
	const statsImg = small.scaled ? resizePixels(img, small.width, small.height) : img;
	const statsInput = cropTensor(statsImg, 0, 0, statsImg.width, statsImg.height);
	let stats: CinStats;
	try {
		stats = net.statistics(statsInput, weights);
	} finally {
		statsInput.dispose();
	}

	try {
		const xs = tileStarts(W, o.tile, o.overlap, align);
		const ys = tileStarts(H, o.tile, o.overlap, align);
		const total = xs.length * ys.length;
		const out = new Uint8ClampedArray(W * H * 4);
		// One band of tile rows: rows [bandTop, bandTop + bandRows) of RGB sums and weights.
		const bandRows = Math.min(H, o.tile + align);
		const acc = new Float32Array(bandRows * W * 4);
		let bandTop = 0;
		const flush = (until: number) => {
			for (let y = bandTop; y < until; y++) {
				const a = (y - bandTop) * W * 4;
				const b = y * W * 4;
				for (let x = 0; x < W; x++) {
					const i = a + x * 4;
					const wsum = acc[i + 3] || 1;
					out[b + x * 4] = (acc[i] / wsum) * 255 + 0.5;
					out[b + x * 4 + 1] = (acc[i + 1] / wsum) * 255 + 0.5;
					out[b + x * 4 + 2] = (acc[i + 2] / wsum) * 255 + 0.5;
					out[b + x * 4 + 3] = 255;
				}
			}
			const keep = (until - bandTop) * W * 4;
			acc.copyWithin(0, keep);
			acc.fill(0, acc.length - keep);
			bandTop = until;
		};
		let done = 0;
		for (const [r, y0] of ys.entries()) {
			const y1 = r === ys.length - 1 ? H : Math.min(H, y0 + o.tile);
			const th = y1 - y0;
			const wy = ramp(th, o.overlap, r > 0, r < ys.length - 1);
			for (const [c, x0] of xs.entries()) {
				check();
				const x1 = c === xs.length - 1 ? W : Math.min(W, x0 + o.tile);
				const tw = x1 - x0;
				const wx = ramp(tw, o.overlap, c > 0, c < xs.length - 1);
				// The tile with its margin of context (aligned, inside the picture), then the margin cut off.
				const cx0 = Math.max(0, x0 - o.margin);
				const cy0 = Math.max(0, y0 - o.margin);
				const cx1 = Math.min(W, x1 + o.margin);
				const cy1 = Math.min(H, y1 + o.margin);
				const input = cropTensor(img, cx0, cy0, cx1 - cx0, cy1 - cy0);
				let y: tf.Tensor3D | null = null;
				let data: Float32Array;
				try {
					y = tf.tidy(() => {
						const full = net.stylizeWithStats(input, weights, stats, { strength: o.strength } satisfies StylizeOptions);
						return tf.slice(full, [y0 - cy0, x0 - cx0, 0], [th, tw, 3]);
					});
					data = (await y.data()) as Float32Array;
				} finally {
					input.dispose();
					y?.dispose();
				}
				for (let ty = 0; ty < th; ty++) {
					const a = (y0 + ty - bandTop) * W * 4;
					for (let tx = 0; tx < tw; tx++) {
						const wgt = wy[ty] * wx[tx];
						const i = a + (x0 + tx) * 4;
						const s = (ty * tw + tx) * 3;
						acc[i] += wgt * Math.min(1, Math.max(0, data[s]));
						acc[i + 1] += wgt * Math.min(1, Math.max(0, data[s + 1]));
						acc[i + 2] += wgt * Math.min(1, Math.max(0, data[s + 2]));
						acc[i + 3] += wgt;
					}
				}
				done++;
				o.onProgress?.({ done, total, stage: 'tiles' });
				await nextTask();
			}
			flush(r === ys.length - 1 ? H : ys[r + 1]);
		}
		return { image: { width: W, height: H, data: out }, original, message, tiles: total };
	} finally {
		tf.dispose(stats as unknown as tf.TensorContainer);
	}
}
