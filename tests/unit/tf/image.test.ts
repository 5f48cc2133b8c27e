import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleToShortSide, toRgbaBytes } from '../../../src/lib/tf/image';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe('scaleToShortSide', () => {
	it('scales the short side down, keeps aspect, even sizes', () => {
		expect(scaleToShortSide(640, 480, 240)).toEqual({ width: 320, height: 240 });
		expect(scaleToShortSide(1280, 720, 360)).toEqual({ width: 640, height: 360 });
		expect(scaleToShortSide(481, 361, 1000)).toEqual({ width: 480, height: 360 });
	});
	it('never upscales and keeps size for null', () => {
		expect(scaleToShortSide(320, 240, 480)).toEqual({ width: 320, height: 240 });
		expect(scaleToShortSide(640, 480, null)).toEqual({ width: 640, height: 480 });
	});
});

describe('toRgbaBytes', () => {
	it('maps [0,1] floats to bytes with opaque alpha, clipping out-of-range values', async () => {
		const img = tf.tensor3d([0, 0.5, 1, -0.2, 1.4, 0.25], [1, 2, 3]);
		const out = toRgbaBytes(img);
		expect(out.dtype).toBe('int32');
		expect(out.shape).toEqual([1, 2, 4]);
		expect(Array.from(await out.data())).toEqual([0, 128, 255, 255, 0, 255, 64, 255]);
		img.dispose();
		out.dispose();
	});
	it('leaves no tensors behind', () => {
		const img = tf.zeros([4, 4, 3]) as tf.Tensor3D;
		const before = tf.memory().numTensors;
		toRgbaBytes(img).dispose();
		expect(tf.memory().numTensors).toBe(before);
		img.dispose();
	});
});
