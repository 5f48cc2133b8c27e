/**
 * Plain-language captions for the explanation views (students, kiosk). The same text is in
 * docs/explanations.md; keep the two in step.
 */
import type { CamMethodName } from './cam/types';

export type ExplanationView = CamMethodName | 'labels' | 'activations' | 'filters';

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
