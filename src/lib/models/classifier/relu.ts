/**
 * The ReLU backward rules the lab's saliency modes switch between. The forward pass is the same
 * max(0, x) for all three; only the gradient that flows back through it differs:
 *
 *   plain   (backprop):       dx = dy · [x > 0]
 *   guided  (Springenberg et al. 2015): dx = dy · [x > 0] · [dy > 0]
 *   deconv  (Zeiler & Fergus 2014):     dx = dy · [dy > 0]
 *
 * (the worked 3×3 example of the lectures is in tests/unit/models/relu.test.ts).
 */
import * as tf from '@tensorflow/tfjs';

export type ReluRule = 'plain' | 'guided' | 'deconv';
export const RELU_RULES: readonly ReluRule[] = ['plain', 'guided', 'deconv'];

const positive = (t: tf.Tensor) => tf.cast(tf.greater(t, 0), t.dtype);

const guided = tf.customGrad((x, save) => {
	const xt = x as tf.Tensor;
	(save as tf.GradSaveFunc)([xt]);
	return { value: tf.relu(xt), gradFunc: (dy, [saved]) => tf.mul(tf.mul(dy, positive(saved)), positive(dy)) };
});

const deconv = tf.customGrad((x) => ({ value: tf.relu(x as tf.Tensor), gradFunc: (dy) => tf.relu(dy) }));

/** max(0, x) whose gradient follows `rule`. */
export function reluWith(rule: ReluRule): (x: tf.Tensor) => tf.Tensor {
	switch (rule) {
		case 'plain':
			return (x) => tf.relu(x);
		case 'guided':
			return (x) => guided(x) as tf.Tensor;
		case 'deconv':
			return (x) => deconv(x) as tf.Tensor;
	}
	throw new Error(`classifier: unknown ReLU rule "${rule as string}" (use ${RELU_RULES.join(', ')})`);
}
