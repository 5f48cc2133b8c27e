/** Class visualization (Simonyan et al. 2014 …): the catalogue entry (the run: optvis/modes/classviz.ts). */
import { className, gradientCost, opts, type ModeInfo } from './types';

export interface ClassVizParams {
	classIndex: number;
	/** Where the pixels start (pixel parameterization): the network's zero input (mean colour), noise, or the snapshot. */
	init: 'zeros' | 'noise' | 'photo';
	parameterization: 'pixels' | 'fourier';
	steps: number;
	lr: number;
	l2: number;
	tvWeight: number;
	/** Blur the pixels every k steps (0: never), with this sigma (px). */
	blurEvery: number;
	blurSigma: number;
	jitter: number;
	size: number;
	seed: number;
}

export const classvizInfo: ModeInfo<ClassVizParams> = {
	id: 'classviz',
	title: 'Class visualization',
	source: 'Simonyan, Vedaldi & Zisserman, “Deep Inside Convolutional Networks”, 2014; Yosinski et al., “Understanding Neural Networks Through Deep Visualization”, 2015; Olah et al., “Feature Visualization”, Distill 2017',
	caption:
		'Instead of asking the network what is in a picture, ask it to paint the picture it would find most “goldfish” (or any class). ' +
		'Starting from grey, noise or your snapshot, the pixels climb the class score. Without help this gives noise that fools the network; ' +
		'small priors — blur, jitter, decay, or painting in a Fourier basis — keep it looking like an image, so the parts the network relies on appear.',
	defaults: { classIndex: 1, init: 'zeros', parameterization: 'fourier', steps: 160, lr: 0.05, l2: 0.5, tvWeight: 2, blurEvery: 4, blurSigma: 0.5, jitter: 8, size: 224, seed: 0 },
	fields: [
		{ key: 'classIndex', label: 'Class', kind: 'class' },
		{ key: 'parameterization', label: 'Parameterization', kind: 'select', options: opts(['fourier', 'decorrelated Fourier (lucid)'], ['pixels', 'pixels with blur + decay']) },
		{ key: 'init', label: 'Start from (pixels)', kind: 'select', options: opts(['zeros', 'zeros (mean colour)'], ['noise', 'noise'], ['photo', 'the photo']) },
		{ key: 'steps', label: 'Iterations', kind: 'number', min: 1, max: 1000, step: 1, integer: true },
		{ key: 'lr', label: 'Learning rate', kind: 'number', min: 0.001, max: 0.5, step: 0.001 },
		{ key: 'l2', label: 'L2 decay (pixels)', kind: 'number', min: 0, max: 10, step: 0.1 },
		{ key: 'tvWeight', label: 'Total variation (pixels)', kind: 'number', min: 0, max: 50, step: 0.5 },
		{ key: 'blurEvery', label: 'Blur every k steps (pixels)', kind: 'number', min: 0, max: 50, step: 1, integer: true },
		{ key: 'jitter', label: 'Jitter (px)', kind: 'number', min: 0, max: 32, step: 1, integer: true }
	],
	uses: (p, labels) => `class ${className(labels, p.classIndex)}: its pre-softmax score (fc1000), maximized`,
	units: (p) => p.steps,
	cost: (p) => gradientCost([p.size, p.size])
};
