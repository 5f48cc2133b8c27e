/**
 * One learning session, from pictures to a learned row: the style targets of the picture, the content
 * set at the effort's size, the best guess among the built-in styles (learner.ts), then Adam on the row
 * with a preview of the fixed photo every few steps. Tensor code with plain data out; the worker
 * (workers/learn.worker.ts) decodes the pictures and carries the progress.
 */
import * as tf from '@tensorflow/tfjs';
import type { StyleNetParts } from '../models/style-net';
import { forwardRows } from '../models/style-net/forward-stats';
import type { Forward } from '../optvis/optimize';
import type { PixelImage } from '../render/pixels';
import { tensorToPixels } from '../render/pixel-tensors';
import type { Effort } from './efforts';
import { blendFromDistances, contentFeatures, evaluateRow, learnRows, rowOfBlend, styleDistances, styleTargets, TRAINING_LOSS, type LearnProblem } from './learner';
import type { LearnOutcome, LearnProgress } from './protocol';

export interface SessionInputs {
	/** The style picture, [H, W, 3] in [0, 1]. */
	style: tf.Tensor3D;
	/** Content photos of any size (centre-cropped to squares here). */
	contents: tf.Tensor3D[];
	/** The fixed preview photo. */
	preview: tf.Tensor3D;
}

export interface SessionOptions {
	effort: Effort;
	signal?: AbortSignal;
	gate?: () => Promise<void>;
	previewEvery: number;
	/** Short sides of the style picture for its targets (default: training's). */
	styleSides?: readonly number[];
}

/** Centre square of [H, W, 3], resized to size × size. */
export function squareCrop(image: tf.Tensor3D, size: number): tf.Tensor3D {
	return tf.tidy(() => {
		const [h, w] = image.shape;
		const s = Math.min(h, w);
		const sq = tf.slice(image, [Math.floor((h - s) / 2), Math.floor((w - s) / 2), 0], [s, s, 3]);
		return tf.image.resizeBilinear(sq as tf.Tensor3D, [size, size], false, true);
	});
}

/** The preview photo in a row, as RGBA. */
export async function previewIn(net: StyleNetParts, photo: tf.Tensor3D, row: tf.Tensor2D): Promise<PixelImage> {
	const y = tf.tidy(() => tf.clipByValue(tf.squeeze(forwardRows(net.manifest, net.params, tf.expandDims(photo, 0) as tf.Tensor4D, row), [0]), 0, 1) as tf.Tensor3D);
	try {
		return await tensorToPixels(y);
	} finally {
		y.dispose();
	}
}

export async function* learnSession(net: StyleNetParts, lossNet: Forward, inputs: SessionInputs, o: SessionOptions): AsyncGenerator<LearnProgress, LearnOutcome> {
	const t0 = performance.now();
	const e = o.effort;
	const elapsed = () => performance.now() - t0;
	const loss = TRAINING_LOSS;
	yield { phase: 'targets', step: 0, steps: e.steps, elapsedMs: elapsed() };
	const targets = styleTargets(lossNet, inputs.style, loss, o.styleSides);
	const contents = tf.tidy(() => tf.stack(inputs.contents.map((c) => squareCrop(c, e.size))) as tf.Tensor4D);
	const contentFeats = contentFeatures(lossNet, contents, loss);
	const p: LearnProblem = { net, lossNet, contents, contentFeats, targets, loss };
	let gen: AsyncGenerator<unknown, Float32Array> | null = null;
	try {
		o.signal?.throwIfAborted();
		yield { phase: 'guess', step: 0, steps: e.steps, elapsedMs: elapsed() };
		const distances = await styleDistances(p);
		o.signal?.throwIfAborted();
		const guess = blendFromDistances(distances);
		const init = await rowOfBlend(net, guess);
		const row0 = tf.tensor2d(init, [1, init.length]);
		const styleLossGuess = (await evaluateRow(p, row0)).style;
		let preview = await previewIn(net, inputs.preview, row0);
		row0.dispose();
		yield { phase: 'guess', step: 0, steps: e.steps, elapsedMs: elapsed(), preview };
		let fresh: PixelImage | null = null;
		const run = learnRows(p, {
			steps: e.steps,
			lr: e.lr,
			batch: e.batch,
			init,
			signal: o.signal,
			gate: o.gate,
			previewEvery: o.previewEvery,
			preview: async (r) => void (fresh = await previewIn(net, inputs.preview, r))
		});
		gen = run;
		const marks: number[] = [];
		let r = await run.next();
		while (!r.done) {
			marks.push(r.value.elapsedMs);
			const step: LearnProgress = { phase: 'learning', step: r.value.step, steps: r.value.steps, loss: r.value.loss, elapsedMs: elapsed() };
			if (fresh) [step.preview, preview, fresh] = [fresh, fresh, null];
			yield step;
			r = await run.next();
		}
		const row = r.value;
		const learned = tf.tensor2d(row, [1, row.length]);
		const styleLossLearned = (await evaluateRow(p, learned)).style;
		learned.dispose();
		const msPerStep = marks.length > 1 ? (marks[marks.length - 1] - marks[0]) / (marks.length - 1) : (marks[0] ?? 0);
		return { row, guess, distances, styleLossGuess, styleLossLearned, steps: e.steps, msPerStep, preview };
	} finally {
		await gen?.return(new Float32Array()); // a session stopped from outside frees the row and the optimizer
		tf.dispose([contents, contentFeats, ...Object.values(targets)]);
	}
}
