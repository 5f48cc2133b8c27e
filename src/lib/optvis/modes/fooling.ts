/**
 * Fooling images: a change too small to see that changes the network's answer.
 *   fgsm       one step of size ε along the sign of the gradient of the loss of the current class
 *              (Goodfellow, Shlens & Szegedy 2015), away from it;
 *   iterative  small signed steps toward a chosen target class, kept within ε of the photo in every
 *              pixel (Szegedy et al. 2014; Kurakin et al. 2017).
 */
import * as tf from '@tensorflow/tfjs';
import * as obj from '../objectives';
import { optimize } from '../optimize';
import { pixelParam } from '../param';
import { batchAt, checkClass, className, classify, forwardOf, pct, picture } from './common';
import { foolingInfo, type FoolingParams } from '../catalogue/fooling';
import type { LabMode, LabProgress, LabResult } from './types';

export type { FoolingParams };

export const fooling: LabMode<FoolingParams> = {
	...foolingInfo,
	async *run(ctx, input, p): AsyncGenerator<LabProgress, LabResult> {
		checkClass(p.target, ctx.classifier.labels);
		if (!(p.epsilon > 0)) throw new Error('ε must be above 0.');
		const t0 = performance.now();
		const clf = ctx.classifier;
		const forward = forwardOf(clf);
		const eps = p.epsilon / 255;
		const photo = batchAt(input, [clf.inputSize, clf.inputSize]);
		const lo = tf.tidy(() => tf.sub(photo, eps) as tf.Tensor4D);
		const hi = tf.tidy(() => tf.add(photo, eps) as tf.Tensor4D);
		const param = pixelParam(photo, { lo, hi });
		try {
			const before = await classify(clf, photo, [p.target]);
			// FGSM ascends the loss of the current class (descends −loss); the iterative one descends the target's.
			const objective = p.method === 'fgsm' ? obj.neg(obj.crossEntropy(before.index)) : obj.crossEntropy(p.target);
			const steps = p.method === 'fgsm' ? 1 : p.steps;
			const lr = p.method === 'fgsm' ? eps : p.alpha / 255;
			for await (const s of optimize({ forward, objective, param, steps, rule: 'sign', lr, signal: ctx.signal })) {
				yield { phase: `step ${s.step} of ${s.steps}`, done: s.step, total: s.steps, loss: s.loss, elapsedMs: performance.now() - t0 };
			}
			const adv = param.image();
			const after = await classify(clf, adv, [p.target, before.index]);
			const [diff, linf] = tf.tidy(() => {
				const d = tf.sub(adv, photo);
				return [tf.add(tf.mul(d, 0.5 / eps), 0.5), tf.max(tf.abs(d))];
			});
			const [l] = await linf.data();
			const pictures = [await picture('perturbed image', adv), await picture(`difference ×${Math.round(0.5 / eps)}`, diff), await picture('photo', photo)];
			tf.dispose([adv, diff, linf]);
			const facts = [
				{ label: 'before', value: `${before.label} ${pct(before.prob)}` },
				{ label: 'after', value: `${after.label} ${pct(after.prob)}` },
				{ label: `p(${clf.labels[before.index]}) after`, value: pct(after.probs[1]) },
				{ label: 'L∞ of the change', value: `${(l * 255).toFixed(2)} / 255` }
			];
			if (p.method === 'iterative') facts.splice(2, 0, { label: `p(${clf.labels[p.target]})`, value: `${pct(before.probs[0])} → ${pct(after.probs[0])}` });
			return { pictures, facts, elapsedMs: performance.now() - t0 };
		} finally {
			param.dispose();
			tf.dispose([photo, lo, hi]);
		}
	}
};
