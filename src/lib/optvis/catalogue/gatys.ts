/** Optimization style transfer (Gatys et al. 2016): the catalogue entry (the run: optvis/modes/gatys.ts). */
import type { PixelImage } from '../../render/pixels';
import type { Smooth, StyleStat } from '../objectives';
import { fitLong, gradientCost, opts, type ModeInfo } from './types';

export interface GatysParams {
	/** Paintings by id; their statistics are averaged. */
	styles: string[];
	/** An uploaded style image instead of (or with) the paintings. */
	styleImage?: PixelImage | null;
	/** Its file name, for the person. */
	styleImageName?: string | null;
	contentWeight: number;
	styleWeight: number;
	tvWeight: number;
	/** The style image's short side before its statistics are taken, as a multiple of the result's short side. */
	styleScale: number;
	steps: number;
	init: 'photo' | 'noise';
	/** Long side of the result, px. */
	size: number;
	lr: number;
	styleLayers: Record<string, number>;
	contentLayer: string;
	stat: StyleStat;
	smooth: Smooth;
	seed: number;
}

export const gatysInfo: ModeInfo<GatysParams> = {
	id: 'gatys',
	title: 'Style transfer by optimization',
	source: 'Gatys, Ecker & Bethge, “Image Style Transfer Using Convolutional Neural Networks”, CVPR 2016',
	caption:
		'The picture is changed pixel by pixel until two things hold at once: deep in the network it still shows the same things as your photo (content), ' +
		'and the way features co-occur across the whole image — textures, strokes, colours — matches the painting (style). ' +
		'No style network is trained: every picture is its own optimization, which is why it is slow and why it can copy any painting.',
	defaults: {
		styles: ['great_wave'],
		styleImage: null,
		styleImageName: null,
		contentWeight: 1,
		styleWeight: 2.5,
		tvWeight: 1,
		styleScale: 1,
		steps: 100,
		init: 'photo',
		size: 256,
		lr: 0.02,
		styleLayers: { conv1: 1, conv2: 1, conv3: 1, conv4: 1 },
		contentLayer: 'conv4',
		stat: 'covmean',
		smooth: 'none',
		seed: 0
	},
	fields: [
		{ key: 'styles', label: 'Paintings', kind: 'paintings', hint: 'one or several; their statistics are averaged' },
		{ key: 'styleWeight', label: 'Style weight', kind: 'number', min: 0, max: 100, step: 1 },
		{ key: 'contentWeight', label: 'Content weight', kind: 'number', min: 0, max: 10, step: 0.1 },
		{ key: 'tvWeight', label: 'Smoothness (total variation)', kind: 'number', min: 0, max: 100, step: 1 },
		{ key: 'styleScale', label: 'Style scale', kind: 'number', min: 0.25, max: 3, step: 0.05, hint: 'the painting’s size before its statistics are taken, relative to the result' },
		{ key: 'steps', label: 'Iterations', kind: 'number', min: 1, max: 1000, step: 1, integer: true },
		{ key: 'init', label: 'Start from', kind: 'select', options: opts(['photo', 'the photo'], ['noise', 'noise']) },
		{ key: 'size', label: 'Size (long side, px)', kind: 'number', min: 64, max: 640, step: 32, integer: true },
		{ key: 'stat', label: 'Style statistic', kind: 'select', options: opts(['gram', 'Gram matrix'], ['covmean', 'covariance + means']) },
		{ key: 'smooth', label: 'Activation smoothing', kind: 'select', options: opts(['softmax', 'softmax (SWAG)'], ['none', 'none']) }
	],
	uses: (p) => `${p.styles.length + (p.styleImage ? 1 : 0)} style image(s); content: ${p.contentLayer}; style: ${Object.keys(p.styleLayers).join(', ')} (${p.stat === 'gram' ? 'Gram matrices' : 'covariance + means'}${p.smooth === 'softmax' ? ', softmax-smoothed' : ''})`,
	units: (p) => p.steps,
	cost: (p, input) => {
		const size = fitLong(input.height, input.width, p.size);
		// Each style image's statistics are taken once, forward only, at about styleScale × the result.
		return { ...gradientCost(size), forwardPixels: Math.round(size[0] * size[1] * p.styleScale ** 2) };
	}
};
