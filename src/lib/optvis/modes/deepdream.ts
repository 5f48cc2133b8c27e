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
import { deepdreamInfo, octaveSizes, type DeepDreamParams } from '../catalogue/deepdream';
import type { LabMode, LabProgress, LabResult } from './types';

export { octaveSizes, type DeepDreamParams };

export const deepdream: LabMode<DeepDreamParams> = {
	...deepdreamInfo,
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
