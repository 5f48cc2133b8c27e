import * as tf from '@tensorflow/tfjs';
import type { CamMethod } from './types';

/**
 * EigenCAM (Muhammad & Yeasin 2020): no gradient and no class — the first principal component of the
 * stage activations [h·w, C] (centred), i.e. the one pattern over positions that explains most of
 * how the channels vary. Every channel weighs 1; the base's 'principal' reduction does the rest.
 */
export const eigencam: CamMethod = {
	name: 'eigencam',
	usesGradient: false,
	reduce: 'principal',
	weights: ({ activation }) => tf.ones([activation.shape[3]]) as tf.Tensor1D
};
