import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as obj from '../../../src/lib/optvis/objectives';
import { optimize, type Forward } from '../../../src/lib/optvis/optimize';
import { pixelParam } from '../../../src/lib/optvis/param';
import { occlusionMap, patchStarts } from '../../../src/lib/optvis/modes/occlusion';
import { octaveSizes } from '../../../src/lib/optvis/modes/deepdream';

describe('occlusion on a toy model', () => {
	it('covers the image with patches, edge included', () => {
		expect(patchStarts(224, 48, 16)).toEqual([0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176]);
		expect(patchStarts(10, 4, 4)).toEqual([0, 4, 6]);
	});

	it('finds the planted region', async () => {
		// The "class probability" is the mean brightness of a planted 8×8 square at rows 20–27, cols 4–11.
		const image = tf.tidy(() => tf.pad(tf.ones([1, 8, 8, 3]), [[0, 0], [20, 4], [4, 20], [0, 0]]) as tf.Tensor4D); // 32×32
		const probsOf = (batch: tf.Tensor4D) => tf.mean(tf.slice(batch, [0, 20, 4, 0], [-1, 8, 8, -1]), [1, 2, 3]) as tf.Tensor1D;
		const before = tf.memory().numTensors;
		const steps = [];
		for await (const s of occlusionMap(image, probsOf, { patch: 8, stride: 4, fill: [0, 0, 0], batch: 5 })) steps.push(s);
		expect(tf.memory().numTensors).toBe(before);
		const last = steps.at(-1)!;
		expect(last.done).toBe(last.total);
		expect(steps.map((s) => s.done)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 49]);
		const { rows, cols, probs, baseline } = last.map!;
		expect([rows, cols]).toEqual([7, 7]);
		expect(baseline).toBeCloseTo(1);
		let worst = 0;
		for (let i = 1; i < probs.length; i++) if (probs[i] < probs[worst]) worst = i;
		// The patch at row 20 / col 4 covers the square exactly.
		expect([Math.floor(worst / cols) * 4, (worst % cols) * 4]).toEqual([20, 4]);
		expect(probs[worst]).toBeCloseTo(0);
		// Patches far from the square change nothing.
		expect(probs[0]).toBeCloseTo(1);
		image.dispose();
	});
});

describe('fooling a toy classifier', () => {
	it('one FGSM step of size ε flips its answer, and changes no pixel by more than ε', async () => {
		// Linear classifier on the mean colour: logits = [r − b, b − r] · 10; the image is slightly red.
		const forward: Forward = (image, layers) => {
			const m = tf.mean(image, [1, 2]) as tf.Tensor2D;
			const d = tf.sub(tf.slice(m, [0, 0], [-1, 1]), tf.slice(m, [0, 2], [-1, 1]));
			const out: Record<string, tf.Tensor> = { logits: tf.mul(tf.concat([d, tf.neg(d)], 1), 10) };
			return Object.fromEntries(layers.map((l) => [l, out[l]]));
		};
		const photo = tf.tidy(() => tf.add(tf.fill([1, 8, 8, 3], 0.5), tf.tensor1d([0.01, 0, -0.01])) as tf.Tensor4D);
		const eps = 4 / 255;
		const [lo, hi] = [tf.sub(photo, eps) as tf.Tensor4D, tf.add(photo, eps) as tf.Tensor4D];
		const param = pixelParam(photo, { lo, hi });
		const argmax = async (img: tf.Tensor4D) => {
			const a = tf.tidy(() => tf.argMax(forward(img, ['logits']).logits, 1));
			const [v] = await a.data();
			a.dispose();
			return v;
		};
		expect(await argmax(photo)).toBe(0);
		for await (const _ of optimize({ forward, objective: obj.neg(obj.crossEntropy(0)), param, steps: 1, rule: 'sign', lr: eps })) void _;
		const adv = param.image();
		expect(await argmax(adv)).toBe(1);
		const linf = tf.tidy(() => tf.max(tf.abs(tf.sub(adv, photo))));
		expect((await linf.data())[0]).toBeLessThanOrEqual(eps + 1e-6);
		tf.dispose([adv, linf, photo, lo, hi]);
		param.dispose();
	});
});

describe('DeepDream octaves', () => {
	it('go from small to the full size by the octave scale', () => {
		expect(octaveSizes([256, 192], 3, 1.4)).toEqual([
			[131, 98],
			[183, 137],
			[256, 192]
		]);
	});
});
