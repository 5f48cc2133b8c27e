/**
 * Feature inversion (Mahendran & Vedaldi 2015): from noise, find an image whose features at one layer
 * equal the snapshot's, with a total-variation prior. Early layers give the photo back almost exactly;
 * deep ones keep what matters for recognition and let go of colour, texture and exact positions.
 * "all" runs every stage in turn.
 */
import * as tf from '@tensorflow/tfjs';
import * as obj from '../objectives';
import { optimize } from '../optimize';
import { pixelParam } from '../param';
import { batchAt, fitLong, forwardOf, picture } from './common';
import { inversionInfo, inversionLayers as layersOf, type InversionParams } from '../catalogue/inversion';
import type { LabMode, LabPicture, LabProgress, LabResult } from './types';

export type { InversionParams };

export const inversion: LabMode<InversionParams> = {
	...inversionInfo,
	async *run(ctx, input, p): AsyncGenerator<LabProgress, LabResult> {
		const t0 = performance.now();
		const forward = forwardOf(ctx.classifier);
		const size = fitLong(input.shape[0], input.shape[1], p.size);
		const photo = batchAt(input, size);
		const layers = layersOf(p);
		const pictures: LabPicture[] = [];
		const facts: LabResult['facts'] = [];
		try {
			for (const [k, layer] of layers.entries()) {
				const target = tf.tidy(() => forward(photo, [layer])[layer] as tf.Tensor4D);
				const init = tf.randomUniform(photo.shape, 0.4, 0.6, 'float32', p.seed + k) as tf.Tensor4D;
				const param = pixelParam(init);
				init.dispose();
				let loss = NaN;
				try {
					const objective = obj.sum(obj.content(layer, target), obj.scale(obj.totalVariation(), p.tvWeight));
					for await (const s of optimize({ forward, objective, param, steps: p.steps, lr: p.lr, signal: ctx.signal, previewEvery: ctx.previewEvery, seed: p.seed + k })) {
						loss = s.loss;
						yield { phase: `${layer} (${k + 1} of ${layers.length}), step ${s.step} of ${s.steps}`, done: k * p.steps + s.step, total: layers.length * p.steps, loss, elapsedMs: performance.now() - t0, preview: s.preview };
					}
					const out = param.image();
					pictures.push(await picture(`from ${layer}`, out));
					out.dispose();
					facts.push({ label: `${layer} loss`, value: loss.toFixed(3) });
				} finally {
					param.dispose();
					target.dispose();
				}
			}
			return { pictures, facts, elapsedMs: performance.now() - t0 };
		} finally {
			photo.dispose();
		}
	}
};
