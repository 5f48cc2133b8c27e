/**
 * Saliency: which pixels the class score is most sensitive to, from the gradient of the score with
 * respect to the input, with the ReLU backward rule of each method (models/classifier/relu.ts):
 *   vanilla      max over colour channels of |∂score/∂x| (Simonyan et al. 2014)
 *   smoothgrad   the same, averaged over noisy copies of the image (Smilkov et al. 2017)
 *   guided       guided backprop (Springenberg et al. 2015), shown as an image
 *   deconv       the deconvnet rule (Zeiler & Fergus 2014), shown as an image
 *   guided-gradcam  guided backprop × the Grad-CAM map (Selvaraju et al. 2017)
 */
import * as tf from '@tensorflow/tfjs';
import { caffeInput } from '../../models/classifier/preprocess';
import type { ReluRule } from '../../models/classifier/relu';
import { createCamFor } from '../../explain/cam';
import { batchAt, checkClass, className, classify, mapPictures, pct, picture } from './common';
import { SALIENCY_RULE as RULE, saliencyInfo, type SaliencyMethod, type SaliencyParams } from '../catalogue/saliency';
import type { LabMode, LabPicture, LabProgress, LabResult } from './types';

export type { SaliencyMethod, SaliencyParams };

/** A signed gradient image [1,h,w,3] shown as a picture: centred on grey, scaled to its 99th percentile-ish (max |g|·0.5). */
function gradientImage(g: tf.Tensor4D): tf.Tensor3D {
	return tf.tidy(() => {
		const x = tf.squeeze(g, [0]);
		const m = tf.maximum(tf.max(tf.abs(x)), 1e-12);
		// caffe input is BGR: back to RGB for showing.
		return tf.clipByValue(tf.add(tf.mul(tf.div(tf.reverse(x, 2), m), 1.5), 0.5), 0, 1) as tf.Tensor3D;
	});
}

export const saliency: LabMode<SaliencyParams> = {
	...saliencyInfo,
	async *run(ctx, input, p): AsyncGenerator<LabProgress, LabResult> {
		checkClass(p.classIndex, ctx.classifier.labels);
		const t0 = performance.now();
		const clf = ctx.classifier;
		const size = clf.inputSize;
		const image = batchAt(input, [size, size]);
		const frame = tf.squeeze(image, [0]) as tf.Tensor3D;
		const kept: tf.Tensor[] = [image, frame];
		let grad: tf.Tensor4D | null = null;
		try {
			// One forward pass gives the top class and, when one is chosen, that class's probability.
			const top = await classify(clf, image, p.classIndex == null ? [] : [p.classIndex]);
			const c = p.classIndex ?? top.index;
			const net = clf.net({ outputs: ['logits'], relu: RULE[p.method] });
			const score = (x: tf.Tensor) => tf.sum(tf.slice(net(x as tf.Tensor4D).logits, [0, c], [1, 1])) as tf.Scalar;
			const gradOf = (x: tf.Tensor4D) => tf.tidy(() => tf.grad(score)(x) as tf.Tensor4D);
			const x0 = caffeInput(image);
			kept.push(x0);
			if (p.method === 'smoothgrad') {
				grad = tf.zerosLike(x0);
				const sd = p.noise * 255;
				for (let i = 0; i < p.samples; i++) {
					ctx.signal.throwIfAborted();
					const next = tf.tidy(() => tf.add(grad!, tf.abs(gradOf(tf.add(x0, tf.randomNormal(x0.shape, 0, sd, 'float32', p.seed + i)) as tf.Tensor4D))) as tf.Tensor4D);
					grad.dispose();
					grad = next;
					yield { phase: `noisy copy ${i + 1} of ${p.samples}`, done: i + 1, total: p.samples, elapsedMs: performance.now() - t0 };
				}
			} else {
				grad = gradOf(x0);
				yield { phase: 'gradient', done: 1, total: 1, elapsedMs: performance.now() - t0 };
			}
			const g = grad;
			const facts = [
				{ label: 'class', value: className(clf.labels, c) },
				{ label: 'its probability', value: pct(p.classIndex == null ? top.prob : top.probs[0]) }
			];
			let pictures: LabPicture[];
			if (p.method === 'vanilla' || p.method === 'smoothgrad') {
				const map = tf.tidy(() => tf.squeeze(tf.max(tf.abs(g), 3), [0]) as tf.Tensor2D);
				kept.push(map);
				pictures = await mapPictures(p.method === 'vanilla' ? 'saliency' : 'SmoothGrad', map, frame);
			} else if (p.method === 'guided' || p.method === 'deconv') {
				const img = gradientImage(g);
				kept.push(img);
				pictures = [await picture(p.method === 'guided' ? 'guided backprop' : 'deconvnet', img)];
			} else {
				const cam = createCamFor(clf, 'gradcam', { stage: 'conv5' });
				const heat = cam.heatmap(frame, { classIndex: c });
				const combined = tf.tidy(() => {
					const up = tf.image.resizeBilinear(tf.reshape(heat, [1, heat.shape[0], heat.shape[1], 1]) as tf.Tensor4D, [size, size], false, true);
					return gradientImage(tf.mul(g, up) as tf.Tensor4D);
				});
				const guided = gradientImage(g);
				kept.push(heat, combined, guided);
				pictures = [await picture('guided Grad-CAM', combined), await picture('guided backprop', guided)];
			}
			return { pictures, facts, elapsedMs: performance.now() - t0 };
		} finally {
			tf.dispose(kept);
			grad?.dispose();
		}
	}
};
