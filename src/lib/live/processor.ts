import * as tf from '@tensorflow/tfjs';

/** What every processor in the chain is told about the frame at hand. */
export interface FrameContext {
	/** Monotonic frame counter of the live loop. */
	frame: number;
	/** performance.now() at capture. */
	time: number;
	/** The camera frame as it entered the chain (read only; owned by the loop). */
	input?: tf.Tensor3D;
}

/**
 * One step of the per-frame chain. `process` is synchronous tensor work that runs inside the
 * chain's single tf.tidy: it must not keep tensors (a processor that owns long-lived tensors keeps
 * them itself and frees them in dispose()).
 */
export interface FrameProcessor {
	readonly id: string;
	enabled: boolean;
	process(frame: tf.Tensor3D, ctx: FrameContext): tf.Tensor3D;
	dispose?(): void;
}

export const identityProcessor = (): FrameProcessor => ({
	id: 'identity',
	enabled: true,
	process: (frame) => frame
});

/** Runs the enabled processors in order, in one tidy; the caller disposes the result. */
export function runChain(chain: readonly FrameProcessor[], input: tf.Tensor3D, ctx: FrameContext): tf.Tensor3D {
	return tf.tidy(() => {
		let t = input;
		const withInput = { ...ctx, input };
		for (const p of chain) if (p.enabled) t = p.process(t, withInput);
		// Never hand back the caller's input itself: the caller disposes both.
		return t === input ? tf.clone(t) : t;
	});
}
