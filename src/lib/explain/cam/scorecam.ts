import * as tf from '@tensorflow/tfjs';
import type { CamMethod } from './types';

/**
 * Score-CAM (Wang et al. 2020), no gradient: each of the `scoreCamChannels` most active channels,
 * upsampled to the input and scaled to [0, 1], masks the input (masked-out pixels become the mean
 * colour, i.e. 0 after preprocessing); the class's softmax probability on that masked image is the
 * channel's weight. Other channels get weight 0. Costs channels/batch extra forward passes.
 */
export const scorecam: CamMethod = {
	name: 'scorecam',
	usesGradient: false,
	weights: ({ model, config, input, activation, target }) => {
		const [, h, w, c] = activation.shape;
		const [, sh, sw] = input.shape;
		const k = Math.min(config.scoreCamChannels, c);
		const means = tf.reshape(tf.mean(activation, [0, 1, 2]), [c]) as tf.Tensor1D;
		const { indices } = tf.topk(means, k);
		// [1,h,w,k] → [k,h,w,1] → upsampled masks [k,sh,sw,1] in [0,1] per channel.
		const chosen = tf.gather(tf.reshape(activation, [h * w, c]), indices, 1);
		const maps = tf.reshape(tf.transpose(chosen), [k, h, w, 1]) as tf.Tensor4D;
		const up = tf.image.resizeBilinear(maps, [sh, sw], false, true);
		const lo = tf.min(up, [1, 2, 3], true);
		const hi = tf.max(up, [1, 2, 3], true);
		const masks = tf.div(tf.sub(up, lo), tf.maximum(tf.sub(hi, lo), 1e-8));
		const scores: tf.Tensor1D[] = [];
		for (let b = 0; b < k; b += config.scoreCamBatch) {
			const n = Math.min(config.scoreCamBatch, k - b);
			const batch = tf.mul(input, tf.slice(masks, [b, 0, 0, 0], [n, -1, -1, -1])) as tf.Tensor4D;
			const probs = tf.softmax(model.logits(batch));
			scores.push(tf.sum(tf.mul(probs, target), 1) as tf.Tensor1D);
		}
		const perChosen = tf.concat(scores); // [k]
		// Scatter back to all C channels: [1,k] · oneHot [k,C].
		const onehot = tf.cast(tf.oneHot(indices, c), 'float32');
		return tf.reshape(tf.matMul(tf.reshape(perChosen, [1, k]), onehot), [c]) as tf.Tensor1D;
	}
};
