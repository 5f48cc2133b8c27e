/** Saliency maps (Simonyan et al. 2014 …): the catalogue entry (the run: optvis/modes/saliency.ts). */
import { NET_SIDE, className, gradientCost, opts, type ModeInfo } from './types';

export type SaliencyMethod = 'vanilla' | 'smoothgrad' | 'guided' | 'deconv' | 'guided-gradcam';
export type ReluRuleName = 'plain' | 'guided' | 'deconv';

export interface SaliencyParams {
	method: SaliencyMethod;
	/** Class to explain; null: the image's top class. */
	classIndex: number | null;
	/** SmoothGrad: noisy copies, and the noise's standard deviation as a fraction of the pixel range. */
	samples: number;
	noise: number;
	seed: number;
}

/** The ReLU backward rule of each method (models/classifier/relu.ts). */
export const SALIENCY_RULE: Record<SaliencyMethod, ReluRuleName> = { vanilla: 'plain', smoothgrad: 'plain', guided: 'guided', deconv: 'deconv', 'guided-gradcam': 'guided' };

export const saliencyInfo: ModeInfo<SaliencyParams> = {
	id: 'saliency',
	title: 'Saliency maps',
	source:
		'Simonyan et al. 2014 (gradients); Smilkov et al., “SmoothGrad”, 2017; Springenberg et al., “Striving for Simplicity” (guided backprop), 2015; Zeiler & Fergus 2014 (deconvnet); Selvaraju et al., “Grad-CAM”, 2017',
	caption:
		'Which pixels, if changed a little, would change the class score most? That is the gradient of the score with respect to the image. ' +
		'Raw gradients are noisy; averaging over noisy copies (SmoothGrad) cleans them, and changing how the gradient passes back through ReLUs ' +
		'(guided backprop, deconvnet) gives sharp, image-like pictures of the edges that matter. Guided Grad-CAM keeps those edges only where Grad-CAM says the class is.',
	defaults: { method: 'vanilla', classIndex: null, samples: 16, noise: 0.15, seed: 0 },
	fields: [
		{ key: 'method', label: 'Method', kind: 'select', options: opts(['vanilla', 'vanilla gradient'], ['smoothgrad', 'SmoothGrad'], ['guided', 'guided backprop'], ['deconv', 'deconvnet'], ['guided-gradcam', 'guided Grad-CAM']) },
		{ key: 'classIndex', label: 'Class', kind: 'class', optional: true, hint: 'empty: the top class' },
		{ key: 'samples', label: 'SmoothGrad samples', kind: 'number', min: 2, max: 64, step: 1, integer: true },
		{ key: 'noise', label: 'SmoothGrad noise', kind: 'number', min: 0.01, max: 0.5, step: 0.01 }
	],
	uses: (p, labels) =>
		`${p.classIndex == null ? 'the top class' : `class ${className(labels, p.classIndex)}`}: ∂score/∂input through every layer (ReLU rule: ${SALIENCY_RULE[p.method]})` +
		(p.method === 'guided-gradcam' ? '; Grad-CAM at conv5' : ''),
	units: (p) => (p.method === 'smoothgrad' ? p.samples : 1),
	cost: () => gradientCost([NET_SIDE, NET_SIDE])
};
