/** Feature inversion (Mahendran & Vedaldi 2015): the catalogue entry (the run: optvis/modes/inversion.ts). */
import { STAGES } from '../../models/classifier/types';
import { fitLong, gradientCost, type ModeInfo } from './types';

export interface InversionParams {
	/** A stage or block name, or 'all' for conv1 … conv5 in turn. */
	layer: string;
	steps: number;
	lr: number;
	tvWeight: number;
	size: number;
	seed: number;
}

export const inversionLayers = (p: InversionParams): string[] => (p.layer === 'all' ? [...STAGES] : [p.layer]);

export const inversionInfo: ModeInfo<InversionParams> = {
	id: 'inversion',
	title: 'Feature inversion',
	source: 'Mahendran & Vedaldi, “Understanding Deep Image Representations by Inverting Them”, CVPR 2015',
	caption:
		'What does a layer remember about your picture? Start from noise and change it until the layer responds exactly as it did to your snapshot. ' +
		'From the first layers the photo comes back almost whole; from deeper layers only what helps to recognise things survives — ' +
		'shapes and parts stay, exact colours, textures and positions fade.',
	defaults: { layer: 'all', steps: 120, lr: 0.03, tvWeight: 2, size: 224, seed: 0 },
	fields: [
		{ key: 'layer', label: 'Layer', kind: 'layer', withAll: true, hint: '“every stage” runs conv1 … conv5 in turn' },
		{ key: 'steps', label: 'Iterations (per layer)', kind: 'number', min: 1, max: 1000, step: 1, integer: true },
		{ key: 'tvWeight', label: 'Total variation', kind: 'number', min: 0, max: 50, step: 0.5 },
		{ key: 'size', label: 'Size (long side, px)', kind: 'number', min: 64, max: 448, step: 32, integer: true }
	],
	uses: (p) => `features of ${inversionLayers(p).join(', ')} (relative squared error) + total variation`,
	units: (p) => inversionLayers(p).length * p.steps,
	cost: (p, input) => gradientCost(fitLong(input.height, input.width, p.size)),
	// A deeper layer costs more per step: each is warmed up on its own.
	phases: (p) => inversionLayers(p).map((layer) => ({ params: { layer }, units: p.steps }))
};
