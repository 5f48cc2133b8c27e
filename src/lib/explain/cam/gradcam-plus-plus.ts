import * as tf from '@tensorflow/tfjs';
import type { CamMethod } from './types';

/**
 * Grad-CAM++ (Chattopadhay et al. 2018), closed form with first-order gradients (as in
 * pytorch-grad-cam): α = g² / (2g² + Σ_ij A · g³), zero where g = 0; w_k = Σ_ij α · relu(g).
 */
export const gradcamPlusPlus: CamMethod = {
	name: 'gradcam++',
	usesGradient: true,
	weights: ({ gradient, activation }) => {
		const g = gradient!;
		const g2 = tf.square(g);
		const g3 = tf.mul(g2, g);
		const sumA = tf.sum(activation, [1, 2], true);
		const denom = tf.add(tf.mul(g2, 2), tf.mul(sumA, g3));
		const safe = tf.where(tf.notEqual(denom, 0), denom, tf.onesLike(denom));
		const alpha = tf.where(tf.notEqual(g, 0), tf.div(g2, safe), tf.zerosLike(g));
		return tf.sum(tf.mul(alpha, tf.relu(g)), [0, 1, 2]) as tf.Tensor1D;
	}
};
