/** tf/mirror-pad-grad.ts: the gradient of mirrorPad equals finite differences (tfjs's own does not). */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { installMirrorPadGrad, mirrorPadInputGrad } from '../../../src/lib/tf/mirror-pad-grad';

describe('mirrorPad gradient', () => {
	const cases: [string, number[], [number, number][], 'reflect' | 'symmetric'][] = [
		['reflect, 2-D, uneven pads', [5, 6], [[2, 1], [0, 3]], 'reflect'],
		['symmetric, 2-D', [4, 5], [[1, 2], [2, 2]], 'symmetric'],
		['reflect, NHWC as the style network pads', [2, 6, 7, 3], [[0, 0], [1, 1], [2, 2], [0, 0]], 'reflect']
	];
	it.each(cases)('%s: the exact adjoint of the padding', async (_n, shape, paddings, mode) => {
		await tf.setBackend('cpu');
		const x = tf.randomNormal(shape, 0, 1, 'float32', 4);
		const w = tf.randomNormal(tf.mirrorPad(x, paddings, mode).shape, 0, 1, 'float32', 5);
		// Σ pad(x)·w is linear in x, so its gradient is exact: compare with ⟨pad(e_i), w⟩ for every i.
		const g = await mirrorPadInputGrad(w, x.shape, paddings, mode).data();
		const size = x.size;
		const expected = new Float32Array(size);
		for (let i = 0; i < size; i++) {
			const e = tf.tidy(() => tf.sum(tf.mul(tf.mirrorPad(tf.reshape(tf.oneHot(i, size), shape), paddings, mode), w)));
			expected[i] = (await e.data())[0];
			e.dispose();
		}
		const worst = Math.max(...Array.from(g, (v, i) => Math.abs(v - expected[i])));
		expect(worst).toBeLessThan(1e-5);
		installMirrorPadGrad();
		const before = tf.memory().numTensors;
		const viaGrad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mirrorPad(t, paddings, mode), w)))(x);
		const d = await viaGrad.data();
		viaGrad.dispose();
		expect(Math.max(...Array.from(d, (v, i) => Math.abs(v - expected[i])))).toBeLessThan(1e-5);
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose([x, w]);
	});
});
