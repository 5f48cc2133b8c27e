/**
 * Optimization style transfer (Gatys, Ecker & Bethge 2016) on ResNet50: change the pixels until the
 * features of one layer match the photo's and the activation statistics of several layers match the
 * paintings'. ResNet's activations are peaky, which makes plain Gram matrices stylize poorly; the
 * statistic and the softmax smoothing (SWAG, Wang et al. CVPR 2021) are parameters, with the defaults
 * that worked best (docs/lab-gatys.md). The losses are the training losses (objectives.ts ↔ losses.py).
 */
import * as tf from '@tensorflow/tfjs';
import { pixelsToTensor } from '../../render/pixel-tensors';
import * as obj from '../objectives';
import { optimize } from '../optimize';
import { pixelParam } from '../param';
import { batchAt, fitLong, forwardOf, picture } from './common';
import { gatysInfo, type GatysParams } from '../catalogue/gatys';
import type { LabMode, LabProgress, LabResult } from './types';

export type { GatysParams };

export const gatys: LabMode<GatysParams> = {
	...gatysInfo,
	async *run(ctx, input, p): AsyncGenerator<LabProgress, LabResult> {
		if (p.styles.length === 0 && !p.styleImage) throw new Error('Choose at least one painting or upload a style image.');
		const t0 = performance.now();
		const forward = forwardOf(ctx.classifier);
		const size = fitLong(input.shape[0], input.shape[1], p.size);
		const layers = Object.keys(p.styleLayers);
		const photo = batchAt(input, size);
		const kept: tf.Tensor[] = [photo];
		try {
			// Style statistics, once: the mean over the chosen paintings.
			const styleShort = Math.round(Math.min(...size) * p.styleScale);
			const sources: tf.Tensor3D[] = [];
			for (const id of p.styles) sources.push(await ctx.painting(id));
			if (p.styleImage) sources.push(pixelsToTensor(p.styleImage));
			ctx.signal.throwIfAborted();
			const targets = tf.tidy(() => {
				const per = sources.map((s) => {
					const sz = fitLong(s.shape[0], s.shape[1], Math.round((styleShort * Math.max(...s.shape.slice(0, 2))) / Math.min(...s.shape.slice(0, 2))));
					const f = forward(batchAt(s, sz), layers);
					return Object.fromEntries(layers.map((l) => [l, obj.styleStatistic(f[l] as tf.Tensor4D, p.stat, p.smooth)]));
				});
				return Object.fromEntries(layers.map((l) => [l, tf.div(tf.addN(per.map((t) => t[l])), per.length) as tf.Tensor3D]));
			});
			tf.dispose(sources);
			kept.push(...Object.values(targets));
			const contentTarget = tf.tidy(() => forward(photo, [p.contentLayer])[p.contentLayer] as tf.Tensor4D);
			kept.push(contentTarget);
			const objective = obj.sum(
				obj.scale(obj.content(p.contentLayer, contentTarget), p.contentWeight),
				obj.scale(obj.style(p.styleLayers, targets, p.stat, p.smooth), p.styleWeight),
				obj.scale(obj.totalVariation(), p.tvWeight)
			);
			const init = p.init === 'photo' ? photo : (tf.randomUniform(photo.shape, 0, 1, 'float32', p.seed) as tf.Tensor4D);
			const param = pixelParam(init);
			if (init !== photo) init.dispose();
			kept.push(...param.variables); // (pixelParam owns nothing else)
			for await (const s of optimize({ forward, objective, param, steps: p.steps, lr: p.lr, signal: ctx.signal, previewEvery: ctx.previewEvery, seed: p.seed })) {
				yield { phase: `step ${s.step} of ${s.steps}`, done: s.step, total: s.steps, loss: s.loss, elapsedMs: performance.now() - t0, preview: s.preview };
			}
			const out = param.image();
			const result = await picture('stylized', out);
			out.dispose();
			return { pictures: [result], facts: [{ label: 'steps', value: String(p.steps) }, { label: 'size', value: `${size[1]}×${size[0]}` }], elapsedMs: performance.now() - t0 };
		} finally {
			tf.dispose(kept);
		}
	}
};
