/**
 * How faithful is a heat map? Deletion and insertion curves (Petsiuk et al. 2018, RISE): remove the
 * map's most important pixels first, in K equal steps, and watch the class score fall (deletion); or
 * start from a blurred picture and reveal them first, and watch it rise (insertion). The areas under
 * the curves (trapezoid rule, x from 0 to 1) summarize them: a faithful map has a small deletion area
 * and a large insertion area. The same curves for a seeded random map of the same resolution (random
 * blobs of the same smoothness) are the baseline: what removing pixels does by chance.
 *
 * All K+1 pictures of every curve go through the model together (the shared end points once), so a
 * score costs 2 + 4·(K − 1) images in ⌈images / batch⌉ forward passes; only the scores are read back.
 *
 *   const r = await faithfulness(heat, input, (b) => classProb(b), { steps: 8 });
 *   verdict(r, 'castle') // "removing the top 12.5 % of this map drops 'castle' from 66 % to 8 %; …"
 */
import * as tf from '@tensorflow/tfjs';
import { gaussianBlur } from '../optvis/transforms';

/**
 * The live faithfulness score: computed with every `every`-th explanation (and with the second after the
 * method, layer, smoothing, class or explained frame changed — the first brings the new map at once),
 * with curves of `steps` steps. Its pictures are scored `chunk` at a time, one chunk with each explanation
 * (FaithfulnessJob), so no explanation gets much longer; the duty cycle then keeps the frame rate.
 */
export const LIVE_SCORE = { every: 4, steps: 8, chunk: 8 } as const;

/** The class score of each image of a batch [N, h, w, 3] → [N] (e.g. the softmax probability of one class). */
export type ScoreFn = (images: tf.Tensor4D) => tf.Tensor1D;

export interface FaithfulnessOptions {
	/** K: the curves have K + 1 points, at 0, 1/K, …, 1 of the pixels. Default 8 (steps of 12.5 %). */
	steps?: number;
	/**
	 * What removed pixels become: 'blur' — a strongly blurred copy of the image (Gaussian, σ = width/22);
	 * 'mean' — 0 in the model's input, which after the classifier's preprocessing is ImageNet's mean colour.
	 */
	fill?: 'blur' | 'mean';
	/** Also the curves of a random map (the baseline). Default true. */
	random?: boolean;
	/** Seed of the random map (and of the tie-break between equal map values). Default 1. */
	seed?: number;
	/** Images per forward pass. Default: all at once. */
	batch?: number;
}

export interface Curves {
	/** Score after removing the first x of the pixels, x = fractions[i]; starts at the image's score. */
	deletion: number[];
	/** Score after revealing the first x of the pixels on the filled image; ends at the image's score. */
	insertion: number[];
	deletionAuc: number;
	insertionAuc: number;
}

export interface FaithfulnessResult {
	/** 0, 1/K, …, 1. */
	fractions: number[];
	/** The curves of the map. */
	map: Curves;
	/** The curves of a random map of the same resolution; null when not asked for. */
	random: Curves | null;
	fill: 'blur' | 'mean';
}

/** Area under a curve sampled at K + 1 evenly spaced points of [0, 1] (trapezoid rule). */
export function auc(ys: readonly number[]): number {
	if (ys.length < 2) return 0;
	const dx = 1 / (ys.length - 1);
	let s = 0;
	for (let i = 1; i < ys.length; i++) s += ((ys[i - 1] + ys[i]) / 2) * dx;
	return s;
}

/** The rank of each pixel of `map` resized to [h, w] (0 = most important), as float [h·w]; ties broken by `tieBreak`. */
function pixelRanks(map: tf.Tensor2D, tieBreak: tf.Tensor2D, h: number, w: number): tf.Tensor1D {
	return tf.tidy(() => {
		const up = (m: tf.Tensor2D) => tf.reshape(tf.image.resizeBilinear(tf.expandDims(m, 2) as tf.Tensor3D, [h, w]), [h * w]);
		// The map's own values decide; the tie-break (in [0, 1), 1e-4 of the map's range) only orders equal values.
		const m = up(map);
		const range = tf.maximum(tf.sub(tf.max(m), tf.min(m)), 1e-12);
		const key = tf.add(m, tf.mul(up(tieBreak), tf.mul(range, 1e-4)));
		const n = h * w;
		const { indices } = tf.topk(key, n);
		return tf.scatterND(tf.reshape(indices, [n, 1]), tf.range(0, n, 1, 'float32'), [n]) as tf.Tensor1D;
	});
}

/** The K − 1 interior masks [K − 1, h, w, 1]: 1 where a pixel is among the first i/K of the ranking. */
function stepMasks(ranks: tf.Tensor1D, steps: number, h: number, w: number): tf.Tensor4D {
	return tf.tidy(() => {
		const n = h * w;
		const counts = Array.from({ length: steps - 1 }, (_, i) => Math.round(((i + 1) / steps) * n));
		const masks = tf.cast(tf.less(tf.expandDims(ranks, 0), tf.reshape(tf.tensor1d(counts), [steps - 1, 1])), 'float32');
		return tf.reshape(masks, [steps - 1, h, w, 1]) as tf.Tensor4D;
	});
}

/** The K − 1 interior pictures of both curves for one ranking: deletion (image → fill), then insertion (fill → image). */
function curveImages(image: tf.Tensor4D, filled: tf.Tensor4D, ranks: tf.Tensor1D, steps: number): tf.Tensor4D {
	return tf.tidy(() => {
		const [, h, w] = image.shape;
		const masks = stepMasks(ranks, steps, h, w);
		const diff = tf.sub(filled, image);
		const deleted = tf.add(image, tf.mul(diff, masks));
		const inserted = tf.sub(filled, tf.mul(diff, masks));
		return tf.concat([deleted, inserted]) as tf.Tensor4D;
	});
}

/** What removed pixels become (see FaithfulnessOptions.fill). */
export function fillImage(image: tf.Tensor4D, fill: 'blur' | 'mean'): tf.Tensor4D {
	return fill === 'mean' ? tf.zerosLike(image) : gaussianBlur(image, Math.max(1, image.shape[2] / 22));
}

/** Scores of a batch, `batch` images per call of `score`. */
function scoreAll(images: tf.Tensor4D, score: ScoreFn, batch: number): tf.Tensor1D {
	return tf.tidy(() => {
		const n = images.shape[0];
		if (batch >= n) return score(images);
		const parts: tf.Tensor1D[] = [];
		for (let b = 0; b < n; b += batch) parts.push(score(tf.slice(images, [b, 0, 0, 0], [Math.min(batch, n - b), -1, -1, -1])));
		return tf.concat(parts) as tf.Tensor1D;
	});
}

interface Resolved {
	steps: number;
	fill: 'blur' | 'mean';
	random: boolean;
	seed: number;
}

function resolve(options: FaithfulnessOptions): Resolved {
	return { steps: Math.max(2, Math.floor(options.steps ?? 8)), fill: options.fill ?? 'blur', random: options.random ?? true, seed: options.seed ?? 1 };
}

/**
 * Every picture the curves need, in one batch [2 + 2·(K − 1)·(1 + random), h, w, 3]: the image, the
 * filled image, the map's deletion and insertion steps, then the random map's. Caller disposes.
 */
export function faithfulnessImages(map: tf.Tensor2D, image: tf.Tensor4D, options: FaithfulnessOptions = {}): tf.Tensor4D {
	const { steps, fill, random, seed } = resolve(options);
	return tf.tidy(() => {
		const [, h, w] = image.shape;
		const filled = fillImage(image, fill);
		const noise = tf.randomUniform(map.shape, 0, 1, 'float32', seed) as tf.Tensor2D;
		const parts = [image, filled, curveImages(image, filled, pixelRanks(map, noise, h, w), steps)];
		if (random) {
			const other = tf.randomUniform(map.shape, 0, 1, 'float32', seed + 1) as tf.Tensor2D;
			parts.push(curveImages(image, filled, pixelRanks(noise, other, h, w), steps));
		}
		return tf.concat(parts) as tf.Tensor4D;
	});
}

/** The curves from the scores of `faithfulnessImages`' batch, in its order. */
export function curvesFromScores(s: ArrayLike<number>, options: FaithfulnessOptions = {}): FaithfulnessResult {
	const { steps, fill, random } = resolve(options);
	const want = 2 + 2 * (steps - 1) * (random ? 2 : 1);
	if (s.length !== want) throw new Error(`faithfulness: ${s.length} scores for ${want} pictures`);
	const all = Array.from(s);
	const [full, empty] = all;
	const curves = (at: number): Curves => {
		const deletion = [full, ...all.slice(at, at + steps - 1), empty];
		const insertion = [empty, ...all.slice(at + steps - 1, at + 2 * (steps - 1)), full];
		return { deletion, insertion, deletionAuc: auc(deletion), insertionAuc: auc(insertion) };
	};
	return {
		fractions: Array.from({ length: steps + 1 }, (_, i) => i / steps),
		map: curves(2),
		random: random ? curves(2 + 2 * (steps - 1)) : null,
		fill
	};
}

/**
 * Deletion and insertion curves of `map` ([h', w'], any resolution; resized to the image) on `image`
 * ([1, h, w, 3], in the space `score` expects, e.g. the classifier's preprocessed input). The caller
 * keeps and disposes its tensors; nothing is left behind.
 */
export async function faithfulness(map: tf.Tensor2D, image: tf.Tensor4D, score: ScoreFn, options: FaithfulnessOptions = {}): Promise<FaithfulnessResult> {
	const scores = tf.tidy(() => {
		const all = faithfulnessImages(map, image, options);
		return scoreAll(all, score, Math.max(1, Math.floor(options.batch ?? all.shape[0])));
	});
	try {
		return curvesFromScores(await scores.data(), options);
	} finally {
		scores.dispose();
	}
}

/**
 * The same, a few pictures at a time, so a live score can be spread over several explanations (each
 * stays short). Holds its batch of pictures until `dispose()` or the last `next()`.
 *
 *   const job = new FaithfulnessJob(map, input, { steps: 8 });
 *   const r = await job.next(score, 8); // null until the last pictures are scored
 */
export class FaithfulnessJob {
	private images: tf.Tensor4D | null;
	private readonly scores: number[] = [];
	private readonly total: number;

	constructor(
		map: tf.Tensor2D,
		image: tf.Tensor4D,
		private readonly options: FaithfulnessOptions = {}
	) {
		this.images = faithfulnessImages(map, image, options);
		this.total = this.images.shape[0];
	}

	/** Pictures scored so far and in all. */
	get progress(): { done: number; total: number } {
		return { done: this.scores.length, total: this.total };
	}

	/** Scores the next `count` pictures; the curves once all are scored (then the job is finished), else null. */
	async next(score: ScoreFn, count: number): Promise<FaithfulnessResult | null> {
		const images = this.images;
		if (!images) throw new Error('faithfulness: the job is finished or disposed');
		const from = this.scores.length;
		const n = Math.max(1, Math.min(Math.floor(count), images.shape[0] - from));
		const part = tf.tidy(() => score(tf.slice(images, [from, 0, 0, 0], [n, -1, -1, -1])));
		try {
			this.scores.push(...(await part.data()));
		} finally {
			part.dispose();
		}
		if (this.scores.length < images.shape[0]) return null;
		this.dispose();
		return curvesFromScores(this.scores, this.options);
	}

	dispose(): void {
		this.images?.dispose();
		this.images = null;
	}
}

const pct = (p: number) => `${+(p * 100).toFixed(p < 0.1 || (p * 1000) % 10 !== 0 ? 1 : 0)} %`;

/**
 * One line in plain words, from the first step of the curves: "removing the top 12.5 % of this map
 * drops 'castle' from 66 % to 8 %; a random 12.5 % drops it to 61 %".
 */
export function verdict(r: FaithfulnessResult, label: string): string {
	const share = pct(r.fractions[1]);
	const before = r.map.deletion[0];
	const after = r.map.deletion[1];
	const moves = (to: number) => (to <= before ? 'drops' : 'raises');
	let line = `removing the top ${share} of this map ${moves(after)} '${label}' from ${pct(before)} to ${pct(after)}`;
	if (r.random) line += `; a random ${share} ${moves(r.random.deletion[1])} it to ${pct(r.random.deletion[1])}`;
	return line;
}
