/**
 * The shared part of every CAM method: the layer tap (one forward pass of the classifier's
 * multi-output model), the gradient step (∂ logit_c / ∂A through the rest of the network, built once
 * at load), and the final relu(Σ_k w_k · A_k) / max. A method file only supplies the weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { ForwardResult, StageName } from '../../models/classifier/types';
import { topKFromProbs } from '../../models/classifier/topk';
import { firstComponent } from './principal';
import type { CamConfig, CamContext, CamMethod, CamModel, CamOptions, CamResult, ResolvedCamConfig } from './types';

function fillCamConfig(config: CamConfig): ResolvedCamConfig {
	return {
		method: config.method,
		stage: config.stage ?? 'conv5',
		scoreCamChannels: Math.max(1, Math.floor(config.scoreCamChannels ?? 16)),
		scoreCamBatch: Math.max(1, Math.floor(config.scoreCamBatch ?? 8)),
		eigenSmooth: config.eigenSmooth ?? false,
		flipSmooth: config.flipSmooth ?? false
	};
}

/**
 * relu(Σ_k w_k A_k) — or relu of the first principal component of w·A when `principal` — scaled so its
 * maximum is 1 (all zeros stay zeros). [1,h,w,C] → [h,w].
 */
function weightedMap(activation: tf.Tensor4D, weights: tf.Tensor1D | tf.Tensor4D, principal: boolean): tf.Tensor2D {
	return tf.tidy(() => {
		const [, h, w, c] = activation.shape;
		const weighted = tf.mul(activation, weights) as tf.Tensor4D;
		const raw = principal ? tf.reshape(firstComponent(tf.reshape(weighted, [h * w, c]) as tf.Tensor2D), [h, w]) : tf.sum(weighted, [0, 3]);
		return normalizeMax(tf.relu(raw) as tf.Tensor2D);
	});
}

/** x / max(x), or zeros when max(x) ≤ 0. */
function normalizeMax<T extends tf.Tensor>(x: T): T {
	return tf.tidy(() => {
		const m = tf.max(x);
		return tf.where(tf.greater(m, 0), tf.div(x, tf.maximum(m, 1e-12)), tf.zerosLike(x)) as T;
	});
}

/** ∂ logit_c / ∂A, with c given by the one-hot `target`. */
function classGradient(model: CamModel, stage: StageName, activation: tf.Tensor4D, target: tf.Tensor2D): tf.Tensor4D {
	return tf.tidy(() => tf.grad((a) => tf.sum(tf.mul(model.head(stage, a as tf.Tensor4D), target)))(activation) as tf.Tensor4D);
}

export interface Cam {
	readonly config: ResolvedCamConfig;
	readonly method: CamMethod;
	/** Heat map [h, w] in [0, 1] for a frame [H, W, 3] in [0, 1]: synchronous, one tidy, usable inside the live chain. */
	heatmap(frame: tf.Tensor3D, options?: CamOptions): tf.Tensor2D;
	/** The heat map plus the class it explains and the frame's top-5, from the same forward pass. */
	explain(frame: tf.Tensor3D, options?: CamOptions): Promise<CamResult>;
	/**
	 * The same from a forward pass the caller already made on the preprocessed `input` (so one pass
	 * serves the heat map, the labels and the activation maps); the caller keeps and disposes its tensors.
	 */
	explainForward(input: tf.Tensor4D, forward: ForwardResult, options?: CamOptions): Promise<CamResult>;
	/** Holds no tensors of its own (the classifier owns the weights); here for a uniform lifecycle. */
	dispose(): void;
}

export function createCam(model: CamModel & { readonly taps?: readonly StageName[] }, method: CamMethod, config: Omit<CamConfig, 'method'> = {}): Cam {
	const cfg = fillCamConfig({ ...config, method: method.name });
	if (model.taps && !model.taps.includes(cfg.stage)) {
		throw new Error(`cam: stage ${cfg.stage} is not tapped by the classifier (taps: ${model.taps.join(', ')})`);
	}

	const principal = method.reduce === 'principal' || cfg.eigenSmooth;

	/** The map of one activation for the class in `target` (a method's weights, then the base's reduction). */
	const mapOf = (input: tf.Tensor4D, activation: tf.Tensor4D, target: tf.Tensor2D) =>
		tf.tidy(() => {
			const ctx: CamContext = {
				model,
				config: cfg,
				input,
				activation,
				gradient: method.usesGradient ? classGradient(model, cfg.stage, activation, target) : null,
				target
			};
			return weightedMap(activation, method.weights(ctx), principal);
		});

	/** Heat map, the one-hot target and the class probabilities from a forward pass already made. */
	const weigh = (input: tf.Tensor4D, logits: tf.Tensor2D, activation: tf.Tensor4D | undefined, options: CamOptions) =>
		tf.tidy(() => {
			if (!activation) throw new Error(`cam: the model gave no activation for ${cfg.stage}`);
			const classes = logits.shape[1];
			const classIdx =
				options.classIndex != null ? tf.tensor1d([checkIndex(options.classIndex, classes)], 'int32') : (tf.argMax(logits, 1) as tf.Tensor1D);
			const target = tf.cast(tf.oneHot(classIdx, classes), 'float32') as tf.Tensor2D;
			let heatmap = mapOf(input, activation, target);
			if (cfg.flipSmooth) {
				// Augmentation smoothing: the mirror image's map, mirrored back, averaged with this one.
				const mirrored = tf.reverse(input, 2) as tf.Tensor4D;
				const mirroredAct = model.forward(mirrored).taps[cfg.stage]!;
				heatmap = normalizeMax(tf.add(heatmap, tf.reverse(mapOf(mirrored, mirroredAct, target), 1)) as tf.Tensor2D);
			}
			return { heatmap, classIdx, probs: tf.squeeze(tf.softmax(logits), [0]) as tf.Tensor1D };
		});

	/** The same, with its own forward pass, in one tidy. */
	const run = (frame: tf.Tensor3D, options: CamOptions) =>
		tf.tidy(() => {
			const input = model.preprocess(frame);
			const { logits, taps } = model.forward(input);
			return weigh(input, logits, taps[cfg.stage], options);
		});

	const finish = async ({ heatmap, classIdx, probs }: ReturnType<typeof run>): Promise<CamResult> => {
		try {
			const [idx, p] = await Promise.all([classIdx.data(), probs.data()]);
			const classIndex = idx[0];
			return {
				heatmap,
				classIndex,
				label: model.labels[classIndex] ?? `class ${classIndex}`,
				prob: p[classIndex],
				top: topKFromProbs(p, model.labels, 5)
			};
		} catch (err) {
			heatmap.dispose();
			throw err;
		} finally {
			tf.dispose([classIdx, probs]);
		}
	};

	return {
		config: cfg,
		method,
		heatmap(frame, options = {}) {
			const { heatmap, classIdx, probs } = run(frame, options);
			tf.dispose([classIdx, probs]);
			return heatmap;
		},
		explain(frame, options = {}) {
			return finish(run(frame, options));
		},
		explainForward(input, forward, options = {}) {
			return finish(weigh(input, forward.logits, forward.taps[cfg.stage], options));
		},
		dispose() {}
	};
}

function checkIndex(i: number, classes: number): number {
	if (!Number.isInteger(i) || i < 0 || i >= classes) throw new Error(`cam: class index ${i} is outside 0…${classes - 1}`);
	return i;
}
