import * as tf from '@tensorflow/tfjs';
import type { CamMethod } from './types';

/** Grad-CAM (Selvaraju et al. 2017): w_k = mean over positions of ∂y_c/∂A_k. */
export const gradcam: CamMethod = {
	name: 'gradcam',
	usesGradient: true,
	weights: ({ gradient }) => tf.mean(gradient!, [0, 1, 2]) as tf.Tensor1D
};
