/**
 * Occlusion (Zeiler & Fergus 2014): slide a patch over the image and watch the class probability; where
 * covering the image hurts the score most is what the network relies on. No gradients: forward passes
 * in batches, progress per patch. `occlusionMap` is the pure part (tested on a toy model).
 */
import * as tf from '@tensorflow/tfjs';
import { caffeInput, MEAN_RGB01 } from '../../models/classifier/preprocess';
import { batchAt, checkClass, className, classify, mapPictures, pct } from './common';
import { occlusionInfo, patchStarts, type OcclusionFill, type OcclusionParams } from '../catalogue/occlusion';
import type { LabMode, LabProgress, LabResult } from './types';

export { patchStarts, type OcclusionFill, type OcclusionParams };

export interface OcclusionStep {
	done: number;
	total: number;
	/** Set at the end: [rows, cols] of the class probability with each patch covered, and the baseline. */
	map?: { rows: number; cols: number; probs: Float32Array; baseline: number };
}

/**
 * The class probability with each patch covered by `fill` [3] (RGB in [0,1]). `probsOf` maps a batch of
 * images [N,H,W,3] RGB in [0,1] to class probabilities [N] of the class (the caller's tidy-free function).
 */
export async function* occlusionMap(
	image: tf.Tensor4D,
	probsOf: (batch: tf.Tensor4D) => tf.Tensor1D,
	opts: { patch: number; stride: number; fill: readonly number[]; batch: number; signal?: AbortSignal }
): AsyncGenerator<OcclusionStep> {
	const [, H, W] = image.shape;
	const ys = patchStarts(H, opts.patch, opts.stride);
	const xs = patchStarts(W, opts.patch, opts.stride);
	const cells = ys.flatMap((y) => xs.map((x) => [y, x] as const));
	const probs = new Float32Array(cells.length);
	const base = tf.tidy(() => probsOf(image));
	const [baseline] = await base.data();
	base.dispose();
	for (let i = 0; i < cells.length; i += opts.batch) {
		opts.signal?.throwIfAborted();
		const chunk = cells.slice(i, i + opts.batch);
		const p = tf.tidy(() => {
			const masks = chunk.map(([y, x]) =>
				tf.pad(tf.ones([Math.min(opts.patch, H - y), Math.min(opts.patch, W - x), 1]), [[y, H - y - Math.min(opts.patch, H - y)], [x, W - x - Math.min(opts.patch, W - x)], [0, 0]])
			);
			const m = tf.stack(masks) as tf.Tensor4D; // [n,H,W,1], 1 inside the patch
			const fill = tf.reshape(tf.tensor1d(opts.fill as number[]), [1, 1, 1, 3]);
			const covered = tf.add(tf.mul(image, tf.sub(1, m)), tf.mul(fill, m)) as tf.Tensor4D;
			return probsOf(covered);
		});
		probs.set(await p.data(), i);
		p.dispose();
		const done = Math.min(cells.length, i + opts.batch);
		yield { done, total: cells.length, map: done === cells.length ? { rows: ys.length, cols: xs.length, probs, baseline } : undefined };
	}
}

const FILL: Record<OcclusionFill, readonly number[]> = { gray: [0.5, 0.5, 0.5], black: [0, 0, 0], mean: MEAN_RGB01 };

export const occlusion: LabMode<OcclusionParams> = {
	...occlusionInfo,
	async *run(ctx, input, p): AsyncGenerator<LabProgress, LabResult> {
		checkClass(p.classIndex, ctx.classifier.labels);
		if (!(p.patch >= 4 && p.stride >= 1)) throw new Error('The patch must be at least 4 px and the stride at least 1 px.');
		const t0 = performance.now();
		const clf = ctx.classifier;
		const image = batchAt(input, [clf.inputSize, clf.inputSize]);
		const frame = tf.squeeze(image, [0]) as tf.Tensor3D;
		try {
			const top = await classify(clf, image);
			const c = p.classIndex ?? top.index;
			const net = clf.net({ outputs: ['logits'] });
			const probsOf = (batch: tf.Tensor4D) => tf.squeeze(tf.slice(tf.softmax(net(caffeInput(batch)).logits), [0, c], [-1, 1]), [1]) as tf.Tensor1D;
			let map: OcclusionStep['map'];
			for await (const s of occlusionMap(image, probsOf, { patch: p.patch, stride: p.stride, fill: FILL[p.fill], batch: p.batch, signal: ctx.signal })) {
				map = s.map;
				yield { phase: `patch ${s.done} of ${s.total}`, done: s.done, total: s.total, elapsedMs: performance.now() - t0 };
			}
			const m = map!;
			const drop = tf.tidy(() => tf.relu(tf.sub(m.baseline, tf.tensor2d(m.probs, [m.rows, m.cols]))) as tf.Tensor2D);
			const pictures = await mapPictures('drop in probability', drop, frame);
			drop.dispose();
			const worst = m.probs.reduce((a, b) => Math.min(a, b), 1);
			return {
				pictures,
				facts: [
					{ label: 'class', value: className(clf.labels, c) },
					{ label: 'probability, uncovered', value: pct(m.baseline) },
					{ label: 'lowest with a patch covered', value: pct(worst) },
					{ label: 'patches', value: `${m.cols}×${m.rows}` }
				],
				elapsedMs: performance.now() - t0
			};
		} finally {
			tf.dispose([image, frame]);
		}
	}
};
