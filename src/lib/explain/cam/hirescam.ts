import type * as tf from '@tensorflow/tfjs';
import type { CamMethod } from './types';

/**
 * HiResCAM (Draelos & Carin 2020): a weight per position and channel, the gradient itself:
 * map = relu(Σ_k ∂y_c/∂A_k ⊙ A_k). Where the gradient is the same at every position (ResNet's conv5
 * before a global average pool) it equals Grad-CAM; elsewhere it keeps where the gradient points,
 * which Grad-CAM averages away, so for the last layer the map is exactly each position's share of y_c.
 */
export const hirescam: CamMethod = {
	name: 'hirescam',
	usesGradient: true,
	weights: ({ gradient }) => gradient! as tf.Tensor4D
};
