import * as tf from '@tensorflow/tfjs';

/**
 * Temporal stabilization for live style transfer. Where the camera image did not change since the
 * last frame, the stylized output is pulled towards the previous output (an exponential moving
 * average); where it changed, the new stylized frame is taken as it is, so moving parts do not smear:
 *
 *   d      = mean over RGB of |input_t − input_{t−1}|, blurred 3×3   (per pixel)
 *   keep   = maxKeep · exp(−(d / threshold)²)
 *   out_t  = keep · out_{t−1} + (1 − keep) · stylized_t
 *
 * It owns two long-lived tensors (previous input and output), kept and freed here. Any change of
 * size resets it; reset() also after a style change so the new style shows at once.
 */
export interface StabilizerOptions {
	/** Per-pixel change (0..1) at which the previous output's weight falls to 1/e of maxKeep. */
	threshold: number;
	/** Weight of the previous output on a perfectly still pixel (0..1). */
	maxKeep: number;
}

const DEFAULT_STABILIZER: StabilizerOptions = { threshold: 0.06, maxKeep: 0.8 };

export class TemporalStabilizer {
	private prevInput: tf.Tensor3D | null = null;
	private prevOutput: tf.Tensor3D | null = null;

	constructor(public options: StabilizerOptions = DEFAULT_STABILIZER) {}

	/** Returns a new tensor (the caller disposes it); input and stylized are left alone. */
	apply(input: tf.Tensor3D, stylized: tf.Tensor3D): tf.Tensor3D {
		const same =
			this.prevInput != null &&
			this.prevOutput != null &&
			this.prevInput.shape.join() === input.shape.join() &&
			this.prevOutput.shape.join() === stylized.shape.join();
		const out = tf.tidy(() => {
			if (!same) return tf.clone(stylized);
			const { threshold, maxKeep } = this.options;
			const diff = tf.mean(tf.abs(tf.sub(input, this.prevInput!)), 2, true) as tf.Tensor3D;
			const blurred = tf.avgPool(diff, 3, 1, 'same') as tf.Tensor3D;
			const keep = tf.mul(maxKeep, tf.exp(tf.neg(tf.square(tf.div(blurred, threshold)))));
			return tf.add(tf.mul(keep, this.prevOutput!), tf.mul(tf.sub(1, keep), stylized)) as tf.Tensor3D;
		});
		this.prevInput?.dispose();
		this.prevOutput?.dispose();
		this.prevInput = tf.keep(tf.clone(input));
		this.prevOutput = tf.keep(tf.clone(out));
		return out;
	}

	reset(): void {
		this.prevInput?.dispose();
		this.prevOutput?.dispose();
		this.prevInput = null;
		this.prevOutput = null;
	}

	dispose(): void {
		this.reset();
	}
}
