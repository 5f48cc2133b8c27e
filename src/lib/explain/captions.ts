/**
 * Plain-language captions for the explanation views (students, kiosk). The same text is in
 * docs/explanations.md; keep the two in step.
 */
import type { CamMethodName } from './cam/types';

import type { StageName } from '../models/classifier/types';

export type ExplanationView = CamMethodName | 'labels' | 'activations' | 'filters' | 'faithfulness';

interface Caption {
	title: string;
	caption: string;
}

const ENTRIES: Record<ExplanationView, Caption> = {
	labels: {
		title: 'What the network sees',
		caption:
			'The five ImageNet classes this network (ResNet50) finds most likely in the picture, with its confidence. It only knows 1,000 fixed classes, so it always names one of them, even for things it has never seen.'
	},
	gradcam: {
		title: 'Grad-CAM: where the evidence is',
		caption:
			'Bright, warm areas are the parts of the picture that most raised the score of the chosen class; dark areas did not help. It is coarse (a 7×7 grid stretched over the image), so it shows the region, not the outline.'
	},
	'gradcam++': {
		title: 'Grad-CAM++',
		caption:
			'Like Grad-CAM, warm colours mark the regions that support the chosen class, but each region counts on its own, so several copies of an object (a flock, a bunch of fruit) light up more evenly.'
	},
	layercam: {
		title: 'Layer-CAM: finer detail from earlier layers',
		caption:
			'Warm colours show, pixel by pixel, where features in an earlier, more detailed layer push the chosen class up. The map is sharper than Grad-CAM but noisier, because earlier layers see small patterns such as edges and textures.'
	},
	scorecam: {
		title: 'Score-CAM: test by hiding',
		caption:
			'The network looks at copies of the picture where only some regions are visible; warm colours mark the regions that, kept on their own, keep the class score high. It uses no gradients, and it is slower.'
	},
	hirescam: {
		title: 'HiResCAM: each spot\'s own share',
		caption:
			'Like Grad-CAM, but each spot of the grid is weighed by its own gradient instead of the average over the picture, so warm colours show exactly how much each spot adds to the class score in the last layer. Where the two disagree, trust HiResCAM.'
	},
	eigencam: {
		title: 'EigenCAM: the main pattern, no class',
		caption:
			'Warm colours mark the one pattern that dominates the layer\'s features, whatever the class: it uses no gradients and ignores which class you choose. It is cheap and often outlines the main object, but it cannot tell you why the network chose a class.'
	},
	faithfulness: {
		title: 'Can you trust this map?',
		caption:
			'The check blurs away the warmest parts of the picture first, step by step, and watches the class score: if the map is right, the score falls fast. The same with a random map shows how fast it falls by chance; the bigger the gap, the more the map says about the network.'
	},
	activations: {
		title: 'Feature maps',
		caption:
			'Each small square is one feature detector (channel) of a layer, laid over the whole picture: bright means the detector fires strongly there, dark means not at all. Each square is scaled on its own, so compare places within a square, not brightness between squares.'
	},
	filters: {
		title: 'First-layer filters',
		caption:
			'The 64 patterns the very first layer looks for, each 7×7 pixels: grey means "does not care", colours and light/dark stripes show the colours and edges that make the filter respond. Most networks learn similar edge and colour blobs here.'
	}
};

/** One or two sentences per view: what is shown and what the colours mean. */
export const CAPTIONS: Readonly<Record<ExplanationView, string>> = Object.fromEntries(
	Object.entries(ENTRIES).map(([k, v]) => [k, v.caption])
) as Record<ExplanationView, string>;

/** A short heading per view. */
export const TITLES: Readonly<Record<ExplanationView, string>> = Object.fromEntries(
	Object.entries(ENTRIES).map(([k, v]) => [k, v.title])
) as Record<ExplanationView, string>;

/** What a heat map at each depth of ResNet50 gives (the layer picker's caption). */
export const DEPTH_CAPTIONS: Readonly<Partial<Record<StageName, string>>> = {
	conv3: 'conv3 (28×28): fine grid, early features — edges, textures and parts; maps are sharp but noisy and less tied to the class.',
	conv4: 'conv4 (14×14): object parts; a good compromise between detail and meaning.',
	conv5: 'conv5 (7×7): the last layer, what the class score is made of; coarse but the most faithful.'
};
