/**
 * A lab mode: one of the gradient-based classics, as a preset over the optimizer loop (or, for saliency
 * and occlusion, over the network's gradients and forward passes): its catalogue entry (plain data,
 * optvis/catalogue) and the code that runs it in the lab worker. Parameters and results are plain data
 * so they cross to and from the lab worker; tensors never leave the mode.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Classifier } from '../../models/classifier/types';
import type { LabProgress, LabResult, ModeInfo } from '../catalogue/types';

export type { LabModeId, LabParams, LabPicture, LabProgress, LabResult } from '../catalogue/types';

export interface ModeContext {
	classifier: Classifier;
	signal: AbortSignal;
	/** A painting by id ('great_wave' …) as [H, W, 3] RGB in [0, 1]; the caller disposes it. */
	painting(id: string): Promise<tf.Tensor3D>;
	/** Send a preview every this many steps (0: none). */
	previewEvery: number;
}

export interface LabMode<P> extends ModeInfo<P> {
	run(ctx: ModeContext, input: tf.Tensor3D, params: P): AsyncGenerator<LabProgress, LabResult>;
}
