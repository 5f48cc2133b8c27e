/** DeepDream (Mordvintsev et al. 2015): the catalogue entry (the run: optvis/modes/deepdream.ts). */
import { fitLong, type ModeInfo } from './types';

export interface DeepDreamParams {
	layer: string;
	octaves: number;
	octaveScale: number;
	stepsPerOctave: number;
	/** Normalized step size (pixels in [0, 1]). */
	lr: number;
	/** Random shift, ± px. */
	jitter: number;
	/** Long side of the largest octave, px. */
	size: number;
	seed: number;
}

/** Octave sizes, smallest first: size / scale^k for k = n−1 … 0. */
export function octaveSizes(base: [number, number], octaves: number, scale: number): [number, number][] {
	const out: [number, number][] = [];
	for (let k = octaves - 1; k >= 0; k--) out.push([Math.max(32, Math.round(base[0] / scale ** k)), Math.max(32, Math.round(base[1] / scale ** k))]);
	return out;
}

export const deepdreamInfo: ModeInfo<DeepDreamParams> = {
	id: 'deepdream',
	title: 'DeepDream',
	source: 'Mordvintsev, Olah & Tyka, “Inceptionism: Going Deeper into Neural Networks”, Google Research blog, 2015',
	caption:
		'Whatever a layer already sees a little of, make it see more: the picture is nudged so the chosen layer responds more strongly. ' +
		'Early layers amplify edges and textures; deeper ones grow eyes, fur, arches and animal faces — the patterns the network learned to look for. ' +
		'Working over several scales (octaves) lets the patterns grow large and small.',
	defaults: { layer: 'conv4', octaves: 3, octaveScale: 1.4, stepsPerOctave: 12, lr: 0.015, jitter: 16, size: 256, seed: 0 },
	fields: [
		{ key: 'layer', label: 'Layer', kind: 'layer' },
		{ key: 'octaves', label: 'Octaves', kind: 'number', min: 1, max: 6, step: 1, integer: true },
		{ key: 'octaveScale', label: 'Octave scale', kind: 'number', min: 1.1, max: 2, step: 0.1 },
		{ key: 'stepsPerOctave', label: 'Steps per octave', kind: 'number', min: 1, max: 100, step: 1, integer: true },
		{ key: 'lr', label: 'Step size', kind: 'number', min: 0.001, max: 0.1, step: 0.001 },
		{ key: 'jitter', label: 'Jitter (px)', kind: 'number', min: 0, max: 64, step: 1, integer: true },
		{ key: 'size', label: 'Size (long side, px)', kind: 'number', min: 64, max: 640, step: 32, integer: true }
	],
	uses: (p) => `layer ${p.layer}: the mean of its squared activations, maximized`,
	units: (p) => p.octaves * p.stepsPerOctave,
	cost: (p, input) => {
		const sizes = octaveSizes(fitLong(input.height, input.width, p.size), p.octaves, p.octaveScale);
		return { gradientPixels: Math.max(...sizes.map(([h, w]) => h * w)), forwardPixels: 0 };
	},
	// Each octave is larger than the last: each is warmed up on its own, as a one-octave run at its size.
	phases: (p, input) =>
		octaveSizes(fitLong(input.height, input.width, p.size), p.octaves, p.octaveScale).map(([h, w]) => ({ params: { octaves: 1, size: Math.max(h, w) }, units: p.stepsPerOctave }))
};
