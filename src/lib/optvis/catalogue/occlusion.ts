/** Occlusion maps (Zeiler & Fergus 2014): the catalogue entry (the run: optvis/modes/occlusion.ts). */
import { NET_SIDE, className, opts, type ModeInfo } from './types';

export type OcclusionFill = 'gray' | 'black' | 'mean';

export interface OcclusionParams {
	/** Patch side and stride, px at the network's 224². */
	patch: number;
	stride: number;
	fill: OcclusionFill;
	classIndex: number | null;
	/** Occluded copies per forward pass. */
	batch: number;
}

/** Top-left corners of the patches along one side. */
export function patchStarts(side: number, patch: number, stride: number): number[] {
	const out: number[] = [];
	for (let s = 0; s + patch <= side; s += stride) out.push(s);
	if (out.length === 0 || out[out.length - 1] + patch < side) out.push(Math.max(0, side - patch));
	return out;
}

export const occlusionInfo: ModeInfo<OcclusionParams> = {
	id: 'occlusion',
	title: 'Occlusion map',
	source: 'Zeiler & Fergus, “Visualizing and Understanding Convolutional Networks”, ECCV 2014',
	caption:
		'Cover a small square of the picture and ask the network again; move the square everywhere. Where covering the picture makes the network ' +
		'much less sure of its answer is where the evidence is. It needs no gradients — only many forward passes — so it works for any model, and it is slow.',
	defaults: { patch: 48, stride: 16, fill: 'gray', classIndex: null, batch: 8 },
	fields: [
		{ key: 'patch', label: 'Patch (px of 224)', kind: 'number', min: 8, max: 112, step: 4, integer: true },
		{ key: 'stride', label: 'Stride (px)', kind: 'number', min: 4, max: 112, step: 4, integer: true },
		{ key: 'fill', label: 'Fill', kind: 'select', options: opts(['gray', 'grey'], ['black', 'black'], ['mean', 'mean colour']) },
		{ key: 'classIndex', label: 'Class', kind: 'class', optional: true, hint: 'empty: the top class' }
	],
	uses: (p, labels) => `${p.classIndex == null ? 'the top class' : `class ${className(labels, p.classIndex)}`}: its softmax probability with each ${p.patch}×${p.patch} patch covered`,
	units: (p) => patchStarts(NET_SIDE, p.patch, p.stride).length ** 2,
	cost: (p) => ({ gradientPixels: 0, forwardPixels: p.batch * NET_SIDE * NET_SIDE })
};
