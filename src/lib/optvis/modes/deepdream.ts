/**
 * DeepDream (Mordvintsev, Olah & Tyka 2015): gradient ASCENT on the input to make one layer's
 * activations stronger (the mean of their squares), with normalized gradient steps, random shifts
 * (jitter) and octaves — small to large, carrying the detail the dream added — so patterns grow at
 * several scales. The same algorithm as training/optvis.py's deepdream (the benchmark's twin).
 */
import * as tf from '@tensorflow/tfjs';
import * as obj from '../objectives';
import { optimize } from '../optimize';
import { pixelParam } from '../param';
import { randomRoll } from '../transforms';
import { batchAt, fitLong, forwardOf, picture } from './common';
import type { LabMode, LabProgress, LabResult } from './types';

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

export const deepdream: LabMode<DeepDreamParams> = {
	id: 'deepdream',
	title: 'DeepDream',
	source: 'Mordvintsev, Olah & Tyka, “Inceptionism: Going Deeper into Neural Networks”, Google Research blog, 2015',
	caption:
		'Whatever a layer already sees a little of, make it see more: the picture is nudged so the chosen layer responds more strongly. ' +
		'Early layers amplify edges and textures; deeper ones grow eyes, fur, arches and animal faces — the patterns the network learned to look for. ' +
		'Working over several scales (octaves) lets the patterns grow large and small.',
	defaults: { layer: 'conv4', octaves: 3, octaveScale: 1.4, stepsPerOctave: 12, lr: 0.015, jitter: 16, size: 256, seed: 0 },
	uses: (p) => `layer ${p.layer}: the mean of its squared activations, maximized`,
	units: (p) => p.octaves * p.stepsPerOctave,
	async *run(ctx, input, p): AsyncGenerator<LabProgress, LabResult> {
		const t0 = performance.now();
		const forward = forwardOf(ctx.classifier);
		const sizes = octaveSizes(fitLong(input.shape[0], input.shape[1], p.size), p.octaves, p.octaveScale);
		const objective = obj.neg(obj.layerPower(p.layer));
		const total = sizes.length * p.stepsPerOctave;
		let img: tf.Tensor4D = batchAt(input, sizes[0]);
		try {
			for (let k = 0; k < sizes.length; k++) {
				if (k > 0) {
					// Upscale the dream and add back the detail the photo lost by being shrunk to the last octave.
					const next = tf.tidy(() => {
						const up = tf.image.resizeBilinear(img, sizes[k], false, true);
						const sharp = batchAt(input, sizes[k]);
						const blurry = tf.image.resizeBilinear(batchAt(input, sizes[k - 1]), sizes[k], false, true);
						return tf.add(up, tf.sub(sharp, blurry)) as tf.Tensor4D;
					});
					img.dispose();
					img = next;
				}
				const param = pixelParam(img);
				try {
					for await (const s of optimize({ forward, objective, param, steps: p.stepsPerOctave, rule: 'normalized', lr: p.lr, transform: randomRoll(p.jitter), signal: ctx.signal, previewEvery: ctx.previewEvery, seed: p.seed + k })) {
						yield { phase: `octave ${k + 1} of ${sizes.length} (${sizes[k][1]}×${sizes[k][0]})`, done: k * p.stepsPerOctave + s.step, total, loss: -s.loss, elapsedMs: performance.now() - t0, preview: s.preview };
					}
					img.dispose();
					img = param.image();
				} finally {
					param.dispose();
				}
			}
			return { pictures: [await picture(`dream (${p.layer})`, img)], facts: [{ label: 'layer', value: p.layer }, { label: 'octaves', value: sizes.map((s) => `${s[1]}×${s[0]}`).join(' → ') }], elapsedMs: performance.now() - t0 };
		} finally {
			img.dispose();
		}
	}
};
