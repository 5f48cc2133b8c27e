/**
 * A lab mode: one of the gradient-based classics, as a preset over the optimizer loop (or, for saliency
 * and occlusion, over the network's gradients and forward passes). Parameters and results are plain
 * data so they cross to and from the lab worker; tensors never leave the mode.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Classifier } from '../../models/classifier/types';
import type { PixelImage } from '../../render/pixels';

export type LabModeId = 'gatys' | 'deepdream' | 'classviz' | 'saliency' | 'occlusion' | 'inversion' | 'fooling' | 'sanity';

export interface LabProgress {
	/** What is being done, in words ("octave 2 of 3", "patch 40 of 169", "stage conv3"). */
	phase: string;
	/** Work units done and in all (steps, patches, samples) for the progress bar and the ETA. */
	done: number;
	total: number;
	loss?: number;
	elapsedMs: number;
	preview?: PixelImage;
}

export interface LabPicture {
	label: string;
	image: PixelImage;
}

export interface LabResult {
	/** The main result first (what "download" and "use as input" take), then any others. */
	pictures: LabPicture[];
	/** Numbers to show beside them: confidences, L∞, score drops … */
	facts: { label: string; value: string }[];
	elapsedMs: number;
	/** Filled by the lab worker: time per work unit after the first (which compiles kernels). */
	timing?: { units: number; msPerUnit: number; firstUnitMs: number };
}

export interface ModeContext {
	classifier: Classifier;
	signal: AbortSignal;
	/** A painting by id ('great_wave' …) as [H, W, 3] RGB in [0, 1]; the caller disposes it. */
	painting(id: string): Promise<tf.Tensor3D>;
	/** Send a preview every this many steps (0: none). */
	previewEvery: number;
}

export interface LabMode<P> {
	readonly id: LabModeId;
	readonly title: string;
	/** The paper(s) it comes from. */
	readonly source: string;
	/** One paragraph for students: what it shows. */
	readonly caption: string;
	readonly defaults: P;
	/** The layer(s) and class it uses, in words (shown before running). */
	uses(params: P, labels: readonly string[]): string;
	/** Work units of a run with these parameters (for the ETA from a measured warm-up). */
	units(params: P): number;
	run(ctx: ModeContext, input: tf.Tensor3D, params: P): AsyncGenerator<LabProgress, LabResult>;
}
