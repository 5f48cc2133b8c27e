/** The lab's parameter forms: which fields each mode shows, with labels, ranges and choices. */
import type { LabModeId } from '$lib/optvis/modes';

export type Field =
	| { key: string; label: string; kind: 'number'; min: number; max: number; step: number; hint?: string }
	| { key: string; label: string; kind: 'select'; options: { value: string; label: string }[]; hint?: string }
	| { key: string; label: string; kind: 'class'; optional?: boolean; hint?: string }
	| { key: string; label: string; kind: 'layer'; withAll?: boolean; hint?: string }
	| { key: string; label: string; kind: 'paintings'; hint?: string };

const opts = (...vs: [string, string][]) => vs.map(([value, label]) => ({ value, label }));

export const FIELDS: Record<LabModeId, Field[]> = {
	gatys: [
		{ key: 'styles', label: 'Paintings', kind: 'paintings', hint: 'one or several; their statistics are averaged' },
		{ key: 'styleWeight', label: 'Style weight', kind: 'number', min: 0, max: 100, step: 1 },
		{ key: 'contentWeight', label: 'Content weight', kind: 'number', min: 0, max: 10, step: 0.1 },
		{ key: 'tvWeight', label: 'Smoothness (total variation)', kind: 'number', min: 0, max: 100, step: 1 },
		{ key: 'styleScale', label: 'Style scale', kind: 'number', min: 0.25, max: 3, step: 0.05, hint: 'the painting’s size before its statistics are taken, relative to the result' },
		{ key: 'steps', label: 'Iterations', kind: 'number', min: 1, max: 1000, step: 1 },
		{ key: 'init', label: 'Start from', kind: 'select', options: opts(['photo', 'the photo'], ['noise', 'noise']) },
		{ key: 'size', label: 'Size (long side, px)', kind: 'number', min: 64, max: 640, step: 32 },
		{ key: 'stat', label: 'Style statistic', kind: 'select', options: opts(['gram', 'Gram matrix'], ['covmean', 'covariance + means']) },
		{ key: 'smooth', label: 'Activation smoothing', kind: 'select', options: opts(['softmax', 'softmax (SWAG)'], ['none', 'none']) }
	],
	deepdream: [
		{ key: 'layer', label: 'Layer', kind: 'layer' },
		{ key: 'octaves', label: 'Octaves', kind: 'number', min: 1, max: 6, step: 1 },
		{ key: 'octaveScale', label: 'Octave scale', kind: 'number', min: 1.1, max: 2, step: 0.1 },
		{ key: 'stepsPerOctave', label: 'Steps per octave', kind: 'number', min: 1, max: 100, step: 1 },
		{ key: 'lr', label: 'Step size', kind: 'number', min: 0.001, max: 0.1, step: 0.001 },
		{ key: 'jitter', label: 'Jitter (px)', kind: 'number', min: 0, max: 64, step: 1 },
		{ key: 'size', label: 'Size (long side, px)', kind: 'number', min: 64, max: 640, step: 32 }
	],
	classviz: [
		{ key: 'classIndex', label: 'Class', kind: 'class' },
		{ key: 'parameterization', label: 'Parameterization', kind: 'select', options: opts(['fourier', 'decorrelated Fourier (lucid)'], ['pixels', 'pixels with blur + decay']) },
		{ key: 'init', label: 'Start from (pixels)', kind: 'select', options: opts(['zeros', 'zeros (mean colour)'], ['noise', 'noise'], ['photo', 'the photo']) },
		{ key: 'steps', label: 'Iterations', kind: 'number', min: 1, max: 1000, step: 1 },
		{ key: 'lr', label: 'Learning rate', kind: 'number', min: 0.001, max: 0.5, step: 0.001 },
		{ key: 'l2', label: 'L2 decay (pixels)', kind: 'number', min: 0, max: 10, step: 0.1 },
		{ key: 'tvWeight', label: 'Total variation (pixels)', kind: 'number', min: 0, max: 50, step: 0.5 },
		{ key: 'blurEvery', label: 'Blur every k steps (pixels)', kind: 'number', min: 0, max: 50, step: 1 },
		{ key: 'jitter', label: 'Jitter (px)', kind: 'number', min: 0, max: 32, step: 1 }
	],
	saliency: [
		{ key: 'method', label: 'Method', kind: 'select', options: opts(['vanilla', 'vanilla gradient'], ['smoothgrad', 'SmoothGrad'], ['guided', 'guided backprop'], ['deconv', 'deconvnet'], ['guided-gradcam', 'guided Grad-CAM']) },
		{ key: 'classIndex', label: 'Class', kind: 'class', optional: true, hint: 'empty: the top class' },
		{ key: 'samples', label: 'SmoothGrad samples', kind: 'number', min: 2, max: 64, step: 1 },
		{ key: 'noise', label: 'SmoothGrad noise', kind: 'number', min: 0.01, max: 0.5, step: 0.01 }
	],
	sanity: [
		{
			key: 'method',
			label: 'Method',
			kind: 'select',
			options: opts(['gradcam', 'Grad-CAM'], ['gradcam++', 'Grad-CAM++'], ['hirescam', 'HiResCAM'], ['layercam', 'Layer-CAM (conv4)'], ['eigencam', 'EigenCAM'])
		},
		{ key: 'classIndex', label: 'Class', kind: 'class', optional: true, hint: 'empty: the top class' },
		{
			key: 'lowest',
			label: 'Randomize down to',
			kind: 'select',
			options: opts(['res5a', 'res5a (stage 5)'], ['res4f', 'res4f'], ['res4a', 'res4a (stage 4)'], ['res3a', 'res3a (stage 3)'], ['res2a', 'res2a (all blocks)']),
			hint: 'one step per block, from the top'
		}
	],
	occlusion: [
		{ key: 'patch', label: 'Patch (px of 224)', kind: 'number', min: 8, max: 112, step: 4 },
		{ key: 'stride', label: 'Stride (px)', kind: 'number', min: 4, max: 112, step: 4 },
		{ key: 'fill', label: 'Fill', kind: 'select', options: opts(['gray', 'grey'], ['black', 'black'], ['mean', 'mean colour']) },
		{ key: 'classIndex', label: 'Class', kind: 'class', optional: true, hint: 'empty: the top class' }
	],
	inversion: [
		{ key: 'layer', label: 'Layer', kind: 'layer', withAll: true, hint: '“every stage” runs conv1 … conv5 in turn' },
		{ key: 'steps', label: 'Iterations (per layer)', kind: 'number', min: 1, max: 1000, step: 1 },
		{ key: 'tvWeight', label: 'Total variation', kind: 'number', min: 0, max: 50, step: 0.5 },
		{ key: 'size', label: 'Size (long side, px)', kind: 'number', min: 64, max: 448, step: 32 }
	],
	fooling: [
		{ key: 'method', label: 'Method', kind: 'select', options: opts(['iterative', 'iterative, to a target class'], ['fgsm', 'FGSM, one step']) },
		{ key: 'target', label: 'Target class', kind: 'class' },
		{ key: 'epsilon', label: 'ε (of 255)', kind: 'number', min: 0.5, max: 32, step: 0.5 },
		{ key: 'steps', label: 'Steps (iterative)', kind: 'number', min: 1, max: 100, step: 1 },
		{ key: 'alpha', label: 'Step (of 255, iterative)', kind: 'number', min: 0.1, max: 8, step: 0.1 }
	]
};
