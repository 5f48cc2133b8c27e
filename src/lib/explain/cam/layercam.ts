import * as tf from '@tensorflow/tfjs';
import type { CamMethod } from './types';

/**
 * Layer-CAM (Jiang et al. 2021): a weight per position and channel, relu(∂y_c/∂A); good at earlier
 * stages (conv3, conv4), where maps are finer than conv5's 7×7.
 */
export const layercam: CamMethod = {
	name: 'layercam',
	usesGradient: true,
	weights: ({ gradient }) => tf.relu(gradient!) as tf.Tensor4D
};
