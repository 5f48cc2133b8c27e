import type * as tf from '@tensorflow/tfjs';
import type { ReluRule } from './relu';

/** Stage outputs of ResNet50 that can be tapped: relu after conv1, and after the last Add of stages 2–5. */
export type StageName = 'conv1' | 'conv2' | 'conv3' | 'conv4' | 'conv5';
export const STAGES: readonly StageName[] = ['conv1', 'conv2', 'conv3', 'conv4', 'conv5'];

/** Load-time configuration (see fillConfig for defaults). */
export interface ClassifierConfig {
	/** Folder holding model.json, labels.json (and manifest.json). Default '/models/resnet50/'. */
	url?: string;
	/** Stage outputs to expose from the one forward pass. Default: all five. */
	taps?: StageName[];
	/** Custom fetch (tests read files with it; the app can add caching). */
	fetchFunc?: typeof fetch;
	/** Run one prediction on zeros in load() so the first real frame is not slow. Default true. */
	warmUp?: boolean;
}

export interface ResolvedClassifierConfig {
	url: string;
	taps: StageName[];
	fetchFunc?: typeof fetch;
	warmUp: boolean;
}

export interface Prediction {
	index: number;
	label: string;
	/** Softmax probability. */
	prob: number;
}

/** Everything one forward pass gives; the caller disposes each tensor (or use tf.dispose(out)). */
export interface ForwardResult {
	/** Pre-softmax class scores [1, 1000]. */
	logits: tf.Tensor2D;
	/** Activations of the configured taps, [1, h, w, C] each. */
	taps: Partial<Record<StageName, tf.Tensor4D>>;
}

/**
 * What `Classifier.net` computes: any mix of 'logits' (pre-softmax [N, 1000]), 'pooled' (the 2048-d
 * penultimate features), a stage ('conv1' … 'conv5'), a residual block ('res2a' … 'res5c') or a Keras
 * layer name.
 */
export type NetOutput = string;

export interface NetOptions {
	outputs: readonly NetOutput[];
	/** Backward rule of every ReLU (default 'plain'; 'guided' and 'deconv' for the saliency modes). */
	relu?: ReluRule;
}

/**
 * The network as a differentiable function of a PREPROCESSED input [N, H, W, 3] (any H, W ≥ 32: the
 * network is convolutional up to its global pooling) → each requested output. Plain tfjs ops with
 * the weights as constants: call it inside tf.tidy / tf.grad; the caller owns what it returns.
 */
export type NetFn = (input: tf.Tensor4D) => Record<NetOutput, tf.Tensor>;

export interface Classifier {
	readonly labels: readonly string[];
	readonly taps: readonly StageName[];
	/** Network input side (224). */
	readonly inputSize: number;
	/** Keras layer name of each stage output ('activation', 'activation_9', …). */
	readonly stageLayers: Readonly<Record<StageName, string>>;
	/**
	 * Frame [H, W, 3] in [0, 1] (RGB) → network input [1, 224, 224, 3]: the whole frame squashed to
	 * 224² (no crop, so a heat map lines up with the full frame), RGB→BGR, ×255 minus the ImageNet mean.
	 * One tidy; caller disposes.
	 */
	preprocess(frame: tf.Tensor3D): tf.Tensor4D;
	/** Pre-softmax scores [1, 1000] for a frame [H,W,3] or an already preprocessed batch [N,224,224,3]. */
	logits(input: tf.Tensor3D | tf.Tensor4D): tf.Tensor2D;
	/** One forward pass: logits plus the tapped activations. Synchronous tensor work (usable in a tidy). */
	forward(input: tf.Tensor3D | tf.Tensor4D): ForwardResult;
	/** Top-k classes of a frame. */
	classify(frame: tf.Tensor3D, k?: number): Promise<Prediction[]>;
	/** Top-k classes from logits [1, 1000] you already have (does not dispose them). */
	topK(logits: tf.Tensor2D, k?: number): Promise<Prediction[]>;
	/**
	 * Logits [N, 1000] from a stage activation [N, h, w, C]: the rest of the network after that stage,
	 * built once at load (for conv5 it is global average pooling + the fc1000 weights).
	 */
	head(stage: StageName, activation: tf.Tensor4D): tf.Tensor2D;
	/** Residual block names ('res2a' … 'res5c'), in graph order: the layers the lab offers. */
	readonly blocks: readonly string[];
	/**
	 * The network as a compiled differentiable function (compiled once per set of outputs and ReLU
	 * rule, then cached): logits, named activations and, through tf.grad, input gradients. The first
	 * backward pass through a convolution keeps a flipped copy of its kernel (tf/conv-grad.ts), freed by dispose().
	 */
	net(options: NetOptions): NetFn;
	/** The fc1000 weights (owned by the classifier: do not dispose). kernel [2048, 1000], bias [1000]. */
	readonly fc: { kernel: tf.Tensor2D; bias: tf.Tensor1D };
	/** conv1 kernel [7, 7, 3 (BGR), 64] (owned by the classifier: do not dispose). */
	readonly conv1Kernel: tf.Tensor4D;
	/** The underlying Keras-style model (read only; e.g. to randomize weights in a sanity test). */
	readonly model: tf.LayersModel;
	dispose(): void;
}
