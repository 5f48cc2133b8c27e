/**
 * Learn a new style for the style network: only the conditional-instance-norm rows (γ, β of every cin
 * op, one row of the network's cinTable) change; the body is frozen (Dumoulin et al. 2017). The loss is
 * the style network's training loss — the same statistics, layers and weights as version 2 was trained
 * with (training/train.py, the manifest's `training.hyperparameters`), through optvis/objectives.ts (the
 * twin of training/losses.py) — on a small set of content photos, with Adam on the row.
 *
 * Pure tensor code: the caller loads the networks, decodes the pictures and shows the progress. Every
 * step is its own tidy; the row variable, the targets and the optimizer are freed when the run ends,
 * however it ends (training/learn_style.py is the PyTorch twin).
 */
import * as tf from '@tensorflow/tfjs';
import type { StyleNetParts } from '../models/style-net';
import { blendCinRow } from '../models/style-net/forward';
import { forwardRows } from '../models/style-net/forward-stats';
import * as obj from '../optvis/objectives';
import type { Forward } from '../optvis/optimize';
import { installConv2dInputGrad, installDepthwiseInputGrad } from '../tf/conv-grad';
import { installMirrorPadGrad } from '../tf/mirror-pad-grad';

/** The loss: which layers of the loss network, which statistic, which weights. */
export interface LearnLoss {
	contentWeight: number;
	styleWeight: number;
	tvWeight: number;
	/** Loss-network layer → weight (the classifier's stage names: conv1 … conv4 are training's conv1, res2 … res4). */
	styleLayers: Record<string, number>;
	contentLayer: string;
	stat: obj.StyleStat;
	smooth: obj.Smooth;
}

/**
 * Version 2's training loss (manifest.training.hyperparameters: style_layers conv1:1,res2:1,res3:1,res4:1,
 * content_layer res3, weights content 1 / style 2 / tv 2, covmean, no smoothing). Training's noise
 * (stability) term is left out: it shapes the body's response to noise, which the rows barely move.
 */
export const TRAINING_LOSS: LearnLoss = {
	contentWeight: 1,
	styleWeight: 2,
	tvWeight: 2,
	styleLayers: { conv1: 1, conv2: 1, conv3: 1, conv4: 1 },
	contentLayer: 'conv3',
	stat: 'covmean',
	smooth: 'none'
};

/** Short sides the style image is seen at; the target is the mean of its statistics (train.py --style-sizes). */
export const TRAINING_STYLE_SIDES = [384, 512];

/** Width of one cin row: Σ over cin ops of 2·channels. */
export function rowWidth(net: StyleNetParts): number {
	return net.params.cinWidth;
}

/** [H, W, 3] → [1, h, w, 3] with the short side `short` (bilinear). */
function atShortSide(image: tf.Tensor3D, short: number): tf.Tensor4D {
	const [h, w] = image.shape;
	const s = short / Math.min(h, w);
	return tf.expandDims(tf.image.resizeBilinear(image, [Math.max(1, Math.round(h * s)), Math.max(1, Math.round(w * s))], false, true), 0) as tf.Tensor4D;
}

/** The style targets: per style layer, the statistic of the image, averaged over the short sides. Caller disposes. */
export function styleTargets(lossNet: Forward, image: tf.Tensor3D, loss: LearnLoss, shortSides: readonly number[] = TRAINING_STYLE_SIDES): Record<string, tf.Tensor3D> {
	const layers = Object.keys(loss.styleLayers);
	return tf.tidy(() => {
		const per = shortSides.map((short) => {
			const f = lossNet(atShortSide(image, short), layers);
			return layers.map((l) => obj.styleStatistic(f[l] as tf.Tensor4D, loss.stat, loss.smooth));
		});
		return Object.fromEntries(layers.map((l, i) => [l, tf.div(tf.addN(per.map((t) => t[i])), per.length) as tf.Tensor3D]));
	});
}

/** What a step needs besides the row: the content batch, its features, the style targets. */
export interface LearnProblem {
	net: StyleNetParts;
	lossNet: Forward;
	/** Content photos [N, h, w, 3] in [0, 1]; h and w multiples of the network's padToMultiple. */
	contents: tf.Tensor4D;
	/** The loss network's content-layer features of `contents` (contentFeatures). */
	contentFeats: tf.Tensor4D;
	targets: Record<string, tf.Tensor3D>;
	loss: LearnLoss;
}

/** The loss network's features of the content photos at the content layer. Caller disposes. */
export function contentFeatures(lossNet: Forward, contents: tf.Tensor4D, loss: LearnLoss): tf.Tensor4D {
	return tf.tidy(() => lossNet(contents, [loss.contentLayer])[loss.contentLayer] as tf.Tensor4D);
}

/** The objective over taps { image: stylized batch, <layers>: its features }: training's weighted sum. */
function objectiveOf(p: LearnProblem, contentFeats: tf.Tensor4D): obj.Objective {
	const l = p.loss;
	return obj.sum(
		obj.scale(obj.content(l.contentLayer, contentFeats), l.contentWeight),
		obj.scale(obj.style(l.styleLayers, p.targets, l.stat, l.smooth), l.styleWeight),
		obj.scale(obj.totalVariation(), l.tvWeight)
	);
}

/** The images of batch `step` (wrapping around the set) and their content features. */
function batchOf(p: LearnProblem, step: number, batch: number): { x: tf.Tensor4D; fx: tf.Tensor4D } {
	const n = p.contents.shape[0];
	if (batch >= n) return { x: p.contents, fx: p.contentFeats };
	const idx = tf.tensor1d(Array.from({ length: batch }, (_, i) => (step * batch + i) % n), 'int32');
	return { x: tf.gather(p.contents, idx), fx: tf.gather(p.contentFeats, idx) };
}

/**
 * The gradients the learner needs, on every backend: depthwise input gradients (wasm has none), conv2d
 * input gradients by forward convolutions (wasm's backward kernel is a plain loop) and a correct
 * mirrorPad gradient (tfjs's drops the border). Idempotent.
 */
export function installLearnerGradients(): void {
	installDepthwiseInputGrad();
	installConv2dInputGrad();
	installMirrorPadGrad();
}

/** The total loss of a row on a batch (a scalar; call inside tidy). Differentiable in `row`. */
export function lossOf(p: LearnProblem, row: tf.Tensor2D, x: tf.Tensor4D, fx: tf.Tensor4D): tf.Scalar {
	installLearnerGradients();
	const y = forwardRows(p.net.manifest, p.net.params, x, row);
	const o = objectiveOf(p, fx);
	return o.fn({ image: y, ...p.lossNet(y, o.layers) });
}

/** The parts of the loss of a row over the whole content set: content, style, tv (unweighted) and total. */
export async function evaluateRow(p: LearnProblem, row: tf.Tensor2D): Promise<{ content: number; style: number; tv: number; total: number }> {
	const t = tf.tidy(() => {
		const l = p.loss;
		const y = forwardRows(p.net.manifest, p.net.params, p.contents, row);
		const taps = { image: y, ...p.lossNet(y, [...new Set([l.contentLayer, ...Object.keys(l.styleLayers)])]) };
		const c = obj.content(l.contentLayer, p.contentFeats).fn(taps);
		const s = obj.style(l.styleLayers, p.targets, l.stat, l.smooth).fn(taps);
		const tv = obj.totalVariation().fn(taps);
		return tf.stack([c, s, tv]);
	});
	const [content, style, tv] = await t.data();
	t.dispose();
	const l = p.loss;
	return { content, style, tv, total: l.contentWeight * content + l.styleWeight * style + l.tvWeight * tv };
}

/**
 * The style-loss distance of each built-in style (row of the cinTable) to the targets, on the first
 * `photos` content photos (the outputs' statistics, not the paintings': what each row really draws).
 */
export async function styleDistances(p: LearnProblem, photos = 2): Promise<number[]> {
	const w = p.net.params.cinWidth;
	const n = p.net.params.cinTable.length / w;
	const k = Math.min(photos, p.contents.shape[0]);
	const contents = tf.slice(p.contents, [0, 0, 0, 0], [k, -1, -1, -1]) as tf.Tensor4D;
	const contentFeats = tf.slice(p.contentFeats, [0, 0, 0, 0], [k, -1, -1, -1]) as tf.Tensor4D;
	const sub = { ...p, contents, contentFeats };
	const out: number[] = [];
	try {
		for (let i = 0; i < n; i++) {
			const row = tf.tensor2d(p.net.params.cinTable.subarray(i * w, (i + 1) * w), [1, w]);
			out.push((await evaluateRow(sub, row)).style);
			row.dispose();
		}
	} finally {
		tf.dispose([contents, contentFeats]);
	}
	return out;
}

/**
 * The starting blend: a softmax over the negative style distances with a temperature of `sharpness` ×
 * the smallest distance, so the nearest style dominates and the close runners-up mix in.
 */
export function blendFromDistances(distances: readonly number[], sharpness = 0.1): number[] {
	const min = Math.min(...distances);
	const t = Math.max(1e-9, sharpness * min);
	const e = distances.map((d) => Math.exp(-(d - min) / t));
	const sum = e.reduce((a, b) => a + b, 0);
	return e.map((v) => v / sum);
}

/** blend · cinTable as plain numbers: the row of a blend of the built-in styles. */
export async function rowOfBlend(net: StyleNetParts, blend: readonly number[]): Promise<Float32Array> {
	return blendCinRow(net.params, blend);
}

export interface LearnRunOptions {
	steps: number;
	/** Adam's step size on the row (γ around 1, β around 0). */
	lr: number;
	/** Content photos per step (all of them when ≥ the set). */
	batch: number;
	/** The row to start from (rowOfBlend of the best guess). */
	init: Float32Array;
	signal?: AbortSignal;
	/** Awaited between steps (pause holds it). */
	gate?: () => Promise<void>;
	/** Called with the row every this many steps and at the last (for previews); 0: never. */
	previewEvery?: number;
	preview?: (row: tf.Tensor2D) => Promise<void>;
}

export interface LearnStep {
	step: number;
	steps: number;
	loss: number;
	elapsedMs: number;
}

/**
 * Adam on the row, one step per iteration; returns the learned row. Frees the variable and the
 * optimizer at the end, on cancel (signal) and on error.
 */
export async function* learnRows(p: LearnProblem, o: LearnRunOptions): AsyncGenerator<LearnStep, Float32Array> {
	installLearnerGradients();
	if (o.init.length !== rowWidth(p.net)) throw new RangeError(`learn: the initial row has ${o.init.length} numbers, the network needs ${rowWidth(p.net)}`);
	const start = tf.tensor2d(o.init, [1, o.init.length]);
	const row = tf.variable(start, true, `learn-row-${Date.now()}-${Math.random()}`);
	start.dispose();
	const adam = tf.train.adam(o.lr);
	const t0 = performance.now();
	try {
		for (let step = 1; step <= o.steps; step++) {
			o.signal?.throwIfAborted();
			if (o.gate) await o.gate();
			o.signal?.throwIfAborted();
			const value = tf.tidy(() => {
				const { x, fx } = batchOf(p, step - 1, o.batch);
				const { value, grads } = tf.variableGrads(() => lossOf(p, row as unknown as tf.Tensor2D, x, fx), [row]);
				adam.applyGradients(grads as unknown as Record<string, tf.Variable>);
				return value;
			});
			const [loss] = await value.data();
			value.dispose();
			const every = o.previewEvery ?? 0;
			if (o.preview && every > 0 && (step % every === 0 || step === o.steps)) await o.preview(row as unknown as tf.Tensor2D);
			yield { step, steps: o.steps, loss, elapsedMs: performance.now() - t0 };
		}
		return (await row.data()) as Float32Array;
	} finally {
		adam.dispose();
		row.dispose();
	}
}
