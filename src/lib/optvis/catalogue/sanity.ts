/** The model-randomization sanity check (Adebayo et al. 2018): the catalogue entry (the run: optvis/modes/sanity.ts). */
import type { CamMethodName } from '../../explain/cam/types';
import { NET_SIDE, className, gradientCost, opts, type ModeInfo } from './types';

export interface SanityParams {
	method: Exclude<CamMethodName, 'scorecam'>;
	classIndex: number | null;
	/** The lowest residual block randomized ('res5a' … 'res2a'). */
	lowest: string;
}

/** The residual blocks from the top down (ResNet50 has 16); a run randomizes fc1000, then these in turn down to `lowest`. */
export const SANITY_BLOCKS = ['res5c', 'res5b', 'res5a', 'res4f', 'res4e', 'res4d', 'res4c', 'res4b', 'res4a', 'res3d', 'res3c', 'res3b', 'res3a', 'res2c', 'res2b', 'res2a'];
/** Maps of a run: the original, fc1000, then the blocks from res5c down to `lowest`. */
const mapsFor = (lowest: string) => 2 + Math.max(0, SANITY_BLOCKS.indexOf(lowest)) + 1;

export const sanityInfo: ModeInfo<SanityParams> = {
	id: 'sanity',
	title: 'Sanity check: randomize the model',
	source: 'Adebayo et al., “Sanity Checks for Saliency Maps”, NeurIPS 2018',
	caption:
		'A heat map is only an explanation of the network if it changes when the network changes. Here the network’s layers are replaced by random ones, ' +
		'from the top down, one block more at each step, and the picture is explained again each time. The number under each map is its rank correlation ' +
		'with the original map: near 1 means “still the same map” — then the method shows the picture, not what the network learned.',
	defaults: { method: 'gradcam', classIndex: null, lowest: 'res4f' },
	fields: [
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
	uses: (p, labels) =>
		`${p.method} for ${p.classIndex == null ? 'the top class' : `class ${className(labels, p.classIndex)}`}; fc1000 then res5c … ${p.lowest} randomized in turn (weights restored afterwards)`,
	units: (p) => mapsFor(p.lowest),
	cost: () => gradientCost([NET_SIDE, NET_SIDE])
};
