/**
 * The first principal component of a small data matrix, as tensor ops (no read-back, usable inside
 * the live chain's tidy): EigenCAM's map and the base's eigen-smoothing.
 */
import * as tf from '@tensorflow/tfjs';

/** Power-iteration steps; the start vector (the channel sum) is usually close already. */
const ITERATIONS = 40;

/** v / ‖v‖ (a zero vector stays zero). */
function unit(v: tf.Tensor2D): tf.Tensor2D {
	return tf.div(v, tf.maximum(tf.norm(v), 1e-20)) as tf.Tensor2D;
}

/**
 * X [n, C] (n positions, C channels) → the projection of the centred rows on the first principal
 * component, [n]. The component comes from power iteration on the smaller of the covariance XᵀX
 * [C, C] and the Gram matrix XXᵀ [n, n]. Its sign is chosen so the result correlates positively
 * with the plain channel sum X·1 (otherwise it would be arbitrary).
 */
export function firstComponent(x: tf.Tensor2D, iterations = ITERATIONS): tf.Tensor1D {
	return tf.tidy(() => {
		const [n, c] = x.shape;
		const centred = tf.sub(x, tf.mean(x, 0, true)) as tf.Tensor2D;
		// Start: all ones over channels, slightly tilted so it is never orthogonal to the component.
		const start = tf.add(tf.ones([c, 1]), tf.mul(tf.sin(tf.reshape(tf.range(1, c + 1), [c, 1])), 0.1)) as tf.Tensor2D;
		let v: tf.Tensor2D;
		if (c <= n) {
			const cov = tf.matMul(centred, centred, true, false);
			v = unit(start);
			for (let i = 0; i < iterations; i++) v = unit(tf.matMul(cov, v));
		} else {
			const gram = tf.matMul(centred, centred, false, true);
			let u = unit(tf.matMul(centred, start));
			for (let i = 0; i < iterations; i++) u = unit(tf.matMul(gram, u));
			v = unit(tf.matMul(centred, u, true, false));
		}
		const proj = tf.reshape(tf.matMul(centred, v), [n]) as tf.Tensor1D;
		const agree = tf.sum(tf.mul(proj, tf.sum(x, 1)));
		return tf.mul(proj, tf.where(tf.less(agree, 0), tf.scalar(-1), tf.scalar(1))) as tf.Tensor1D;
	});
}
