/**
 * Objectives: what the lab's optimizer minimizes. An objective is `{name, layers, fn(taps) → scalar}`
 * over the network's outputs by name (plus `image`, the picture being optimized, before transforms);
 * `sum`, `scale` and `neg` build new ones (lucent's optvis/objectives.py, in tfjs).
 *
 * The loss math at the top is the TWIN of training/losses.py (the style network's training losses):
 * same statistics, same normalisations, NHWC here where PyTorch is NCHW. tests/unit/optvis/losses-parity
 * checks both against tests/fixtures/optvis/losses.json, written by training/make_loss_fixture.py.
 */
import * as tf from '@tensorflow/tfjs';

/** Network outputs by name (classifier.net names) plus `image`: [1, H, W, 3] RGB in [0, 1]. */
export type Taps = Readonly<Record<string, tf.Tensor>>;

export interface Objective {
	readonly name: string;
	/** The network outputs it reads (besides `image`). */
	readonly layers: readonly string[];
	/** A scalar to MINIMIZE; runs inside the optimizer step's tidy. */
	fn(taps: Taps): tf.Scalar;
}

export function objective(name: string, layers: readonly string[], fn: (taps: Taps) => tf.Scalar): Objective {
	return { name, layers, fn };
}

export function sum(...parts: Objective[]): Objective {
	if (parts.length === 0) throw new Error('optvis: sum() of no objectives');
	return objective(parts.map((p) => p.name).join(' + '), [...new Set(parts.flatMap((p) => p.layers))], (taps) =>
		tf.addN(parts.map((p) => p.fn(taps))) as tf.Scalar
	);
}

export function scale(obj: Objective, k: number): Objective {
	return objective(`${k}·${obj.name}`, obj.layers, (taps) => tf.mul(obj.fn(taps), k) as tf.Scalar);
}

export function neg(obj: Objective): Objective {
	return objective(`−${obj.name}`, obj.layers, (taps) => tf.neg(obj.fn(taps)) as tf.Scalar);
}

// ——— The loss math (twin of training/losses.py) ———————————————————————————————————————————————

/** Which statistic of a layer's activations the style loss matches. */
export type StyleStat = 'gram' | 'covmean';
/** Activation smoothing before the statistic: softmax over channels is SWAG (Wang et al., CVPR 2021). */
export type Smooth = 'none' | 'softmax';

function tap4(taps: Taps, layer: string): tf.Tensor4D {
	const t = taps[layer];
	if (!t) throw new Error(`optvis: the objective needs layer "${layer}", which the network did not give`);
	return t as tf.Tensor4D;
}

/** losses.smooth_feats: softmax over the channel axis, or identity. */
export function smoothFeats(f: tf.Tensor4D, mode: Smooth): tf.Tensor4D {
	return mode === 'softmax' ? (tf.softmax(f, -1) as tf.Tensor4D) : f;
}

const flat = (f: tf.Tensor4D): tf.Tensor3D => tf.reshape(f, [f.shape[0], f.shape[1] * f.shape[2], f.shape[3]]);

/** losses.gram: FᵀF / (C·H·W), [b, C, C]. */
export function gram(f: tf.Tensor4D): tf.Tensor3D {
	return tf.tidy(() => {
		const [, h, w, c] = f.shape;
		const x = flat(f);
		return tf.div(tf.matMul(x, x, true, false), c * h * w) as tf.Tensor3D;
	});
}

/** losses.cov_mean: [b, C, C+1] = channel covariance (/ H·W) | channel means. */
export function covMean(f: tf.Tensor4D): tf.Tensor3D {
	return tf.tidy(() => {
		const [b, h, w, c] = f.shape;
		const x = flat(f);
		const m = tf.mean(x, 1, true); // [b, 1, C]
		const xc = tf.sub(x, m);
		const cov = tf.div(tf.matMul(xc, xc, true, false), h * w);
		return tf.concat([cov, tf.reshape(m, [b, c, 1])], 2) as tf.Tensor3D;
	});
}

/** losses.relative_mse over every axis but the batch: mean((a−b)²) / (mean(b²) + 1e-12), [b]. */
export function relativeMse(a: tf.Tensor, b: tf.Tensor): tf.Tensor1D {
	return tf.tidy(() => {
		const axes = a.shape.map((_, i) => i).slice(1);
		return tf.div(tf.mean(tf.squaredDifference(a, b), axes), tf.add(tf.mean(tf.square(b), axes), 1e-12)) as tf.Tensor1D;
	});
}

/** losses.style_layer_error: one layer's statistic g against its target t (same shape), [b]. */
export function styleLayerError(g: tf.Tensor3D, t: tf.Tensor3D, stat: StyleStat): tf.Tensor1D {
	if (stat === 'gram') return relativeMse(g, t);
	return tf.tidy(() => {
		const c = g.shape[1];
		const part = (x: tf.Tensor3D, start: number, size: number) => tf.slice(x, [0, 0, start], [-1, -1, size]);
		return tf.add(relativeMse(part(g, 0, c), part(t, 0, c)), relativeMse(part(g, c, 1), part(t, c, 1))) as tf.Tensor1D;
	});
}

/** The statistic `stat` of smoothed activations: what a style target holds per layer. */
export function styleStatistic(f: tf.Tensor4D, stat: StyleStat, smooth: Smooth): tf.Tensor3D {
	return tf.tidy(() => (stat === 'gram' ? gram : covMean)(smoothFeats(f, smooth)));
}

/** losses.style_loss: Σ_l w_l · error_l / Σ_l w_l, [b]. `targets` are statistics of the style image. */
export function styleLoss(
	feats: Readonly<Record<string, tf.Tensor4D>>,
	targets: Readonly<Record<string, tf.Tensor3D>>,
	layers: Readonly<Record<string, number>>,
	stat: StyleStat,
	smooth: Smooth
): tf.Tensor1D {
	return tf.tidy(() => {
		const names = Object.keys(layers);
		const total = names.reduce((s, l) => s + layers[l], 0);
		const terms = names.map((l) => tf.mul(styleLayerError(styleStatistic(feats[l], stat, smooth), targets[l], stat), layers[l]));
		return tf.div(tf.addN(terms), total) as tf.Tensor1D;
	});
}

/** losses.content_loss: relative error of the generated image's features against the content's, [b]. */
export function contentLoss(fy: tf.Tensor4D, fx: tf.Tensor4D): tf.Tensor1D {
	return relativeMse(fy, fx);
}

/** losses.tv_loss: mean squared vertical differences + mean squared horizontal differences. */
export function tvLoss(y: tf.Tensor4D): tf.Scalar {
	return tf.tidy(() => {
		const [, h, w] = y.shape;
		const dv = tf.sub(tf.slice(y, [0, 1, 0, 0], [-1, h - 1, -1, -1]), tf.slice(y, [0, 0, 0, 0], [-1, h - 1, -1, -1]));
		const dh = tf.sub(tf.slice(y, [0, 0, 1, 0], [-1, -1, w - 1, -1]), tf.slice(y, [0, 0, 0, 0], [-1, -1, w - 1, -1]));
		return tf.add(tf.mean(tf.square(dv)), tf.mean(tf.square(dh))) as tf.Scalar;
	});
}

/** losses.activation_power: mean(f²), DeepDream's "activation norm". */
export function activationPower(f: tf.Tensor): tf.Scalar {
	return tf.mean(tf.square(f)) as tf.Scalar;
}

// ——— Objectives ————————————————————————————————————————————————————————————————————————————————

/** Content: the features of `layer` should equal `target` (the snapshot's, computed once). */
export function content(layer: string, target: tf.Tensor4D): Objective {
	return objective(`content(${layer})`, [layer], (taps) => tf.mean(contentLoss(tap4(taps, layer), target)) as tf.Scalar);
}

/** Style: each layer's statistic should equal the style image's (targets from styleTargets). */
export function style(layers: Readonly<Record<string, number>>, targets: Readonly<Record<string, tf.Tensor3D>>, stat: StyleStat, smooth: Smooth): Objective {
	const names = Object.keys(layers);
	return objective(`style(${names.join(', ')})`, names, (taps) => {
		const feats: Record<string, tf.Tensor4D> = {};
		for (const l of names) feats[l] = tap4(taps, l);
		return tf.mean(styleLoss(feats, targets, layers, stat, smooth)) as tf.Scalar;
	});
}

/** Total variation of the image (smoothness prior). */
export function totalVariation(): Objective {
	return objective('tv', [], (taps) => tvLoss(tap4(taps, 'image')));
}

/** DeepDream: the mean squared activation of a layer (maximize it: use neg). */
export function layerPower(layer: string): Objective {
	return objective(`power(${layer})`, [layer], (taps) => activationPower(tap4(taps, layer)));
}

/** The mean activation of one channel of a layer (maximize it: use neg). */
export function channel(layer: string, c: number): Objective {
	return objective(`${layer}:${c}`, [layer], (taps) => {
		const f = tap4(taps, layer);
		return tf.mean(tf.slice(f, [0, 0, 0, c], [-1, -1, -1, 1])) as tf.Scalar;
	});
}

/** The pre-softmax score of class c (maximize it: use neg). */
export function classLogit(c: number): Objective {
	return objective(`logit ${c}`, ['logits'], (taps) => tf.mean(tf.slice(taps.logits, [0, c], [-1, 1])) as tf.Scalar);
}

/** Cross-entropy of the softmax against class c: −log p(c). */
export function crossEntropy(c: number): Objective {
	return objective(`−log p(${c})`, ['logits'], (taps) => tf.neg(tf.mean(tf.slice(tf.logSoftmax(taps.logits), [0, c], [-1, 1]))) as tf.Scalar);
}

/** L2 size of the image around mid-grey (a decay prior). */
export function l2(): Objective {
	return objective('l2', [], (taps) => tf.mean(tf.square(tf.sub(tap4(taps, 'image'), 0.5))) as tf.Scalar);
}
