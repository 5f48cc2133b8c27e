import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { conv2dFastGrad } from '../../../src/lib/tf/conv-grad';

describe('conv2d with the input gradient by a forward convolution', () => {
	const cases: [string, [number, number, number, number], [number, number, number, number], [number, number], 'same' | 'valid'][] = [
		['3×3 stride 1 same', [1, 9, 8, 3], [3, 3, 3, 5], [1, 1], 'same'],
		['1×1 stride 1', [2, 6, 7, 4], [1, 1, 4, 6], [1, 1], 'valid'],
		['1×1 stride 2 (ResNet downsampling), odd size', [1, 7, 9, 4], [1, 1, 4, 3], [2, 2], 'valid'],
		['1×1 stride 2, even size', [1, 8, 8, 2], [1, 1, 2, 3], [2, 2], 'same'],
		['7×7 stride 2 valid (ResNet conv1 after its padding)', [1, 22, 19, 3], [7, 7, 3, 4], [2, 2], 'valid'],
		['3×3 stride 2 same', [1, 10, 11, 2], [3, 3, 2, 3], [2, 2], 'same'],
		['4×4 stride 2 same, even kernel', [1, 9, 10, 2], [4, 4, 2, 2], [2, 2], 'same']
	];
	it.each(cases)('%s: same value and input gradient as tf.conv2d', async (_n, xs, ks, strides, padding) => {
		const x = tf.randomNormal(xs, 0, 1, 'float32', 1) as tf.Tensor4D;
		const k = tf.randomNormal(ks, 0, 1, 'float32', 2) as tf.Tensor4D;
		const fast = conv2dFastGrad(k, strides, padding); // (flips the kernel per call: freed in the tidy)
		const before = tf.memory().numTensors;
		const [y1, y2, g1, g2] = tf.tidy(() => {
			const w = tf.randomNormal(tf.conv2d(x, k, strides, padding).shape, 0, 1, 'float32', 3);
			const ref = (t: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(t as tf.Tensor4D, k, strides, padding), w));
			const mine = (t: tf.Tensor) => tf.sum(tf.mul(fast(t as tf.Tensor4D), w));
			return [tf.conv2d(x, k, strides, padding), fast(x), tf.grad(ref)(x), tf.grad(mine)(x)];
		});
		expect(g2.shape).toEqual(x.shape);
		const diff = async (a: tf.Tensor, b: tf.Tensor) => {
			const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
			const [v] = await d.data();
			d.dispose();
			return v;
		};
		expect(await diff(y1, y2)).toBe(0);
		expect(await diff(g1, g2)).toBeLessThan(1e-4);
		tf.dispose([y1, y2, g1, g2]);
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose([x, k]);
	});
});
