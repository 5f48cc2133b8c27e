/**
 * Class visualization (Simonyan, Vedaldi & Zisserman 2014; Yosinski et al. 2015; Olah et al. 2017):
 * make an image the network scores as a chosen class as highly as it can, under priors that keep it
 * image-like — L2 decay, a blur every k steps, jitter, total variation, pixel clipping — or in a
 * decorrelated Fourier basis with random jitter, scale and rotation (lucid / lucent).
 */
import * as tf from '@tensorflow/tfjs';
import { MEAN_RGB01 } from '../../models/classifier/preprocess';
import * as obj from '../objectives';
import { optimize } from '../optimize';
import { fourierParam, pixelParam, type ImageParam } from '../param';
import { compose, gaussianBlur, jitter, rotate, scale } from '../transforms';
import { batchAt, checkClass, className, classify, forwardOf, pct, picture } from './common';
import { classvizInfo, type ClassVizParams } from '../catalogue/classviz';
import type { LabMode, LabProgress, LabResult } from './types';

export type { ClassVizParams };

export const classviz: LabMode<ClassVizParams> = {
	...classvizInfo,
	async *run(ctx, input, p): AsyncGenerator<LabProgress, LabResult> {
		checkClass(p.classIndex, ctx.classifier.labels);
		const t0 = performance.now();
		const forward = forwardOf(ctx.classifier);
		const s = p.size;
		let param: ImageParam;
		let transform;
		let objective = obj.neg(obj.classLogit(p.classIndex));
		if (p.parameterization === 'fourier') {
			param = fourierParam(s, s, { seed: p.seed });
			// lucid's standard robustness transforms.
			transform = compose(jitter(p.jitter), scale([0.9, 0.95, 1, 1.05, 1.1]), rotate([-10, -5, 0, 5, 10]), jitter(Math.ceil(p.jitter / 2)));
		} else {
			const init = tf.tidy(() =>
				p.init === 'photo'
					? batchAt(input, [s, s])
					: p.init === 'noise'
						? (tf.randomUniform([1, s, s, 3], 0.35, 0.65, 'float32', p.seed) as tf.Tensor4D)
						: (tf.mul(tf.ones([1, s, s, 3]), tf.tensor1d(MEAN_RGB01 as unknown as number[])) as tf.Tensor4D)
			);
			param = pixelParam(init);
			init.dispose();
			transform = jitter(p.jitter);
			objective = obj.sum(objective, obj.scale(obj.l2(), p.l2), obj.scale(obj.totalVariation(), p.tvWeight));
		}
		try {
			const afterStep =
				p.parameterization === 'pixels' && p.blurEvery > 0
					? (step: number, prm: ImageParam) => {
							if (step % p.blurEvery === 0) prm.variables[0].assign(gaussianBlur(prm.image(), p.blurSigma));
						}
					: undefined;
			for await (const st of optimize({ forward, objective, param, steps: p.steps, lr: p.lr, transform, afterStep, signal: ctx.signal, previewEvery: ctx.previewEvery, seed: p.seed })) {
				yield { phase: `step ${st.step} of ${st.steps}`, done: st.step, total: st.steps, loss: st.loss, elapsedMs: performance.now() - t0, preview: st.preview };
			}
			const image = param.image();
			const top = await classify(ctx.classifier, image, [p.classIndex]);
			const result = await picture(ctx.classifier.labels[p.classIndex] ?? `class ${p.classIndex}`, image);
			image.dispose();
			return {
				pictures: [result],
				facts: [
					{ label: `p(${ctx.classifier.labels[p.classIndex]})`, value: pct(top.probs[0]) },
					{ label: 'top-1', value: `${top.label} ${pct(top.prob)}` },
					{ label: 'parameterization', value: p.parameterization }
				],
				elapsedMs: performance.now() - t0
			};
		} finally {
			param.dispose();
		}
	}
};
