/**
 * A tiny hand-built CAM model for exact checks (cpu backend): input [1,4,4,2] →
 * A = relu(conv3x3(input)) [1,4,4,3] (the "stage") → head → logits [1,2].
 * head: 'linear' = GAP + FC (so ∂y_c/∂A = W[:,c]/(h·w) exactly);
 *       'nonlinear' = GAP(relu(A·M)) + FC with a 1×1 mixing M (non-trivial gradients).
 */
import * as tf from '@tensorflow/tfjs';
import type { CamModel } from '../../../src/lib/explain/cam';
import type { StageName } from '../../../src/lib/models/classifier';

export interface TinyModel extends CamModel {
	taps: StageName[];
	W: tf.Tensor2D;
	dispose(): void;
}

export function tinyModel(kind: 'linear' | 'nonlinear' = 'linear', seed = 1): TinyModel {
	const K = tf.randomNormal([3, 3, 2, 3], 0, 0.5, 'float32', seed) as tf.Tensor4D;
	const M = tf.randomNormal([3, 3], 0, 1, 'float32', seed + 1) as tf.Tensor2D;
	const W = tf.randomNormal([3, 2], 0, 1, 'float32', seed + 2) as tf.Tensor2D;
	const b = tf.tensor1d([0.1, -0.2]);
	const stage = (x: tf.Tensor4D) => tf.relu(tf.conv2d(x, K, 1, 'same')) as tf.Tensor4D;
	const head = (_s: StageName, a: tf.Tensor4D) =>
		tf.tidy(() => {
			const feat = kind === 'linear' ? a : tf.relu(tf.reshape(tf.matMul(tf.reshape(a, [-1, 3]), M), a.shape));
			return tf.add(tf.matMul(tf.mean(feat, [1, 2]) as tf.Tensor2D, W), b) as tf.Tensor2D;
		});
	const asInput = (x: tf.Tensor3D | tf.Tensor4D) => (x.rank === 3 ? tf.expandDims(x, 0) : x) as tf.Tensor4D;
	return {
		labels: ['zero', 'one'],
		taps: ['conv5'],
		W,
		preprocess: (frame) => tf.expandDims(frame, 0) as tf.Tensor4D,
		forward: (input) =>
			tf.tidy(() => {
				const a = stage(asInput(input));
				return { logits: head('conv5', a), taps: { conv5: a } } as unknown as tf.TensorContainer;
			}) as never,
		logits: (input) => tf.tidy(() => head('conv5', stage(input))),
		head,
		dispose: () => tf.dispose([K, M, W, b])
	};
}

/** A model whose "stage" is its input: the frame [h,w,C] is the activation A; head = GAP + FC to 2 classes. */
export function identityStage(channels: number): CamModel & { taps: StageName[]; dispose(): void } {
	const W = tf.randomNormal([channels, 2], 0, 1, 'float32', 5) as tf.Tensor2D;
	const head = (_s: StageName, a: tf.Tensor4D) => tf.tidy(() => tf.matMul(tf.mean(a, [1, 2]) as tf.Tensor2D, W) as tf.Tensor2D);
	const asInput = (x: tf.Tensor3D | tf.Tensor4D) => (x.rank === 3 ? tf.expandDims(x, 0) : x) as tf.Tensor4D;
	return {
		labels: ['a', 'b'],
		taps: ['conv5'],
		preprocess: (frame) => tf.expandDims(frame, 0) as tf.Tensor4D,
		forward: (input) =>
			tf.tidy(() => {
				const a = tf.clone(asInput(input));
				return { logits: head('conv5', a), taps: { conv5: a } } as unknown as tf.TensorContainer;
			}) as never,
		logits: (input) => head('conv5', input),
		head,
		dispose: () => W.dispose()
	};
}

/** Spearman rank correlation (the sanity check's own helper). */
export { spearman } from '../../../src/lib/explain/sanity';
