import type * as tf from '@tensorflow/tfjs';
import type { ForwardResult, Prediction, StageName } from '../../models/classifier/types';

export type CamMethodName = 'gradcam' | 'gradcam++' | 'hirescam' | 'layercam' | 'scorecam' | 'eigencam';

/** What a CAM needs from a model: the classifier satisfies it; tests pass tiny hand-built ones. */
export interface CamModel {
	readonly labels: readonly string[];
	preprocess(frame: tf.Tensor3D): tf.Tensor4D;
	/** Logits and the tapped stage activations for a frame or a preprocessed batch. */
	forward(input: tf.Tensor3D | tf.Tensor4D): ForwardResult;
	/** Logits [N, classes] from a preprocessed batch [N, s, s, 3] (Score-CAM's masked inputs). */
	logits(input: tf.Tensor4D): tf.Tensor2D;
	/** Logits from a stage activation: the rest of the network after that stage. */
	head(stage: StageName, activation: tf.Tensor4D): tf.Tensor2D;
}

/** Per-call options. */
export interface CamOptions {
	/** Class to explain; default: the top class of this frame. */
	classIndex?: number;
}

/** Creation options (see fillCamConfig for defaults). */
export interface CamConfig {
	method: CamMethodName;
	/** Stage whose activations are weighted; default conv5 (conv3/conv4 suit Layer-CAM). */
	stage?: StageName;
	/** Score-CAM: how many channels (highest mean activation) become masks. Default 16 (each is one forward pass). */
	scoreCamChannels?: number;
	/** Score-CAM: masked images per forward batch. Default 8. */
	scoreCamBatch?: number;
	/**
	 * Eigen-smoothing (any method): the map is the first principal component of the weighted
	 * activations w·A [h·w, C] instead of their sum over channels. Default false.
	 */
	eigenSmooth?: boolean;
	/**
	 * Augmentation smoothing (any method): the mean of the map of the frame and the map of its mirror
	 * image (mirrored back). One more forward (and backward) pass. Default false.
	 */
	flipSmooth?: boolean;
}

export type ResolvedCamConfig = Required<CamConfig>;

/**
 * The one typed object every method receives. Tensors belong to the base's tidy: methods return
 * new tensors and never dispose these.
 */
export interface CamContext {
	model: CamModel;
	config: ResolvedCamConfig;
	/** Preprocessed input [1, s, s, 3]. */
	input: tf.Tensor4D;
	/** Stage activation A [1, h, w, C]. */
	activation: tf.Tensor4D;
	/** ∂ logit_c / ∂A [1, h, w, C]; null for methods that do not use gradients. */
	gradient: tf.Tensor4D | null;
	/** One-hot [1, classes] of the explained class c. */
	target: tf.Tensor2D;
}

/**
 * A CAM method only says how the weights of the activation channels are computed.
 * The base then forms relu(Σ_k w_k · A_k), divided by its maximum — or, for methods that reduce by
 * `principal` (EigenCAM) and under eigen-smoothing, relu of the first principal component of w·A.
 */
export interface CamMethod {
	readonly name: CamMethodName;
	readonly usesGradient: boolean;
	/** How the weighted activations w·A [h·w, C] become a map: 'sum' over channels (default) or their first 'principal' component. */
	readonly reduce?: 'sum' | 'principal';
	/** Channel weights [C], or per-position weights [1, h, w, C] (Layer-CAM). */
	weights(ctx: CamContext): tf.Tensor1D | tf.Tensor4D;
}

export interface CamResult {
	/** [h, w] in [0, 1] at the stage's resolution (7×7 for conv5 at 224²); caller disposes. */
	heatmap: tf.Tensor2D;
	classIndex: number;
	label: string;
	/** Softmax probability of the explained class. */
	prob: number;
	/** Top-5 of the frame (from the same forward pass). */
	top: Prediction[];
}
