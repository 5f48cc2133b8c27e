/**
 * The installed input gradients (tf/conv-grad.ts): depthwise and conv2d by forward convolutions, the same numbers as
 * tfjs's own gradient on cpu, and a gradient at all on wasm, which lacks DepthwiseConv2dNativeBackpropInput.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { installConv2dInputGrad, installDepthwiseInputGrad } from '../../../src/lib/tf/conv-grad';

describe('depthwiseConv2d input gradient by a forward depthwise convolution', () => {
	const cases: [string, [number, number, number, number], [number, number, number, number], 'same' | 'valid'][] = [
		['3×3 valid (the style network after its reflection pad)', [1, 9, 8, 4], [3, 3, 4, 1], 'valid'],
		['3×3 same', [2, 7, 10, 3], [3, 3, 3, 1], 'same'],
		['5×5 same, batch 2', [2, 11, 9, 2], [5, 5, 2, 1], 'same'],
		['4×4 valid, even kernel', [1, 9, 10, 2], [4, 4, 2, 1], 'valid']
	];
	it.each(cases)('%s: the same gradient as tfjs on cpu, and on wasm (which has no backward kernel)', async (_n, xs, ks, padding) => {
		await tf.setBackend('cpu');
		const x = tf.randomNormal(xs, 0, 1, 'float32', 1) as tf.Tensor4D;
		const k = tf.randomNormal(ks, 0, 1, 'float32', 2) as tf.Tensor4D;
		const w = tf.randomNormal(tf.depthwiseConv2d(x, k, 1, padding).shape, 0, 1, 'float32', 3);
		const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(t as tf.Tensor4D, k, 1, padding), w));
		const ref = tf.grad(f)(x); // tfjs's own gradient, before the override
		const data = { x: await x.array(), k: await k.array(), w: await w.array(), ref: await ref.data() };
		tf.dispose([x, k, w, ref]);
		installDepthwiseInputGrad();
		for (const backend of ['cpu', 'wasm']) {
			expect(await tf.setBackend(backend)).toBe(true);
			const before = tf.memory().numTensors;
			const g = tf.tidy(() => {
				const [x2, k2, w2] = [tf.tensor(data.x), tf.tensor(data.k) as tf.Tensor4D, tf.tensor(data.w)];
				return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(t as tf.Tensor4D, k2, 1, padding), w2)))(x2);
			});
			expect(g.shape).toEqual(xs);
			const got = await g.data();
			g.dispose();
			const worst = Math.max(...Array.from(got, (v, i) => Math.abs(v - data.ref[i])));
			expect(worst, backend).toBeLessThan(1e-4);
			expect(tf.memory().numTensors).toBe(before);
		}
		await tf.setBackend('cpu');
	});
});

describe('conv2d input gradient by a forward convolution, installed for every tf.conv2d', () => {
	const cases: [string, [number, number, number, number], [number, number, number, number], number, 'same' | 'valid'][] = [
		['3×3 stride 2 valid (the style network downsampling)', [1, 11, 10, 3], [3, 3, 3, 4], 2, 'valid'],
		['5×5 stride 1 same', [2, 7, 9, 2], [5, 5, 2, 3], 1, 'same'],
		['1×1 stride 1 valid (pointwise)', [1, 6, 5, 4], [1, 1, 4, 2], 1, 'valid']
	];
	it.each(cases)('%s: the same gradient as tfjs’s own, on cpu and wasm', async (_n, xs, ks, stride, padding) => {
		await tf.setBackend('cpu');
		const x = tf.randomNormal(xs, 0, 1, 'float32', 1) as tf.Tensor4D;
		const k = tf.randomNormal(ks, 0, 1, 'float32', 2) as tf.Tensor4D;
		const w = tf.randomNormal(tf.conv2d(x, k, stride, padding).shape, 0, 1, 'float32', 3);
		const ref = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(t as tf.Tensor4D, k, stride, padding), w)))(x);
		const data = { x: await x.array(), k: await k.array(), w: await w.array(), ref: await ref.data() };
		tf.dispose([x, k, w, ref]);
		installConv2dInputGrad();
		for (const backend of ['cpu', 'wasm']) {
			expect(await tf.setBackend(backend)).toBe(true);
			const before = tf.memory().numTensors;
			const g = tf.tidy(() => {
				const [x2, k2, w2] = [tf.tensor(data.x), tf.tensor(data.k) as tf.Tensor4D, tf.tensor(data.w)];
				return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(t as tf.Tensor4D, k2, stride, padding), w2)))(x2);
			});
			const got = await g.data();
			g.dispose();
			expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - data.ref[i]))), backend).toBeLessThan(1e-4);
			expect(tf.memory().numTensors).toBe(before);
		}
		await tf.setBackend('cpu');
	});
});
