import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { packRgba } from '../../../src/lib/render/pixels';
import { mapToTensor, pixelsToTensor, tensorToMap, tensorToPixels } from '../../../src/lib/render/pixel-tensors';

beforeAll(async () => {
	await tf.setBackend('cpu');
	await tf.ready();
});

describe('packRgba', () => {
	it('scales to bytes, clamps, rounds and sets alpha 255', () => {
		const rgb = [0, 1, 0.2, -0.5, 1.5, 100.4 / 255, 100.6 / 255, 254.7 / 255, 0.3999 / 255];
		const out = packRgba(rgb, 3, 1);
		expect(out).toBeInstanceOf(Uint8ClampedArray);
		expect(Array.from(out)).toEqual([0, 255, 51, 255, 0, 255, 100, 255, 101, 255, 0, 255]);
	});

	it('keeps the layout row-major, RGB then alpha per pixel', () => {
		// 2×2: pixel p has (p/10, p/10 + 0.1, p/10 + 0.2).
		const rgb = new Float32Array(12);
		for (let p = 0; p < 4; p++) rgb.set([p / 10, p / 10 + 0.1, p / 10 + 0.2], p * 3);
		const out = packRgba(rgb, 2, 2);
		expect(out.length).toBe(16);
		for (let p = 0; p < 4; p++) {
			expect(out[p * 4]).toBe(Math.round((p / 10) * 255));
			expect(out[p * 4 + 1]).toBe(Math.round((p / 10 + 0.1) * 255));
			expect(out[p * 4 + 2]).toBe(Math.round((p / 10 + 0.2) * 255));
			expect(out[p * 4 + 3]).toBe(255);
		}
	});

	it('reuses `into` when it has the right size, and makes a new array otherwise', () => {
		const into = new Uint8ClampedArray(8).fill(7);
		const out = packRgba([1, 1, 1, 0, 0, 0], 2, 1, into);
		expect(out).toBe(into);
		expect(Array.from(into)).toEqual([255, 255, 255, 255, 0, 0, 0, 255]);
		const small = new Uint8ClampedArray(4);
		const other = packRgba([1, 1, 1, 0, 0, 0], 2, 1, small);
		expect(other).not.toBe(small);
		expect(other.length).toBe(8);
		expect(Array.from(small)).toEqual([0, 0, 0, 0]);
	});

	it('throws on a wrong number of values', () => {
		expect(() => packRgba([0, 0, 0, 0], 1, 1)).toThrow(RangeError);
		expect(() => packRgba(new Float32Array(11), 2, 2)).toThrow(/11 values for 2×2×3/);
		expect(() => packRgba([], 0, 0)).not.toThrow();
	});
});

describe('tensorToPixels / pixelsToTensor', () => {
	it('round-trips within 1/255 and leaks nothing', async () => {
		const before = tf.memory().numTensors;
		const image = tf.randomUniform([5, 7, 3], 0, 1, 'float32', 42) as tf.Tensor3D;
		const px = await tensorToPixels(image);
		expect(px.width).toBe(7);
		expect(px.height).toBe(5);
		expect(px.data.length).toBe(5 * 7 * 4);
		expect(image.isDisposed).toBe(false);
		const back = pixelsToTensor(px);
		expect(back.shape).toEqual([5, 7, 3]);
		expect(back.dtype).toBe('float32');
		const err = tf.tidy(() => tf.max(tf.abs(tf.sub(back, image))).dataSync()[0]);
		expect(err).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
		back.dispose();
		image.dispose();
		expect(tf.memory().numTensors).toBe(before);
	});

	it('reads pixels at the right place (row-major, alpha dropped)', () => {
		const data = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 10, 0, 0, 255, 0, 51, 102, 153, 255]);
		const t = pixelsToTensor({ width: 2, height: 2, data });
		const v = t.arraySync() as number[][][];
		expect(v[0][0]).toEqual([1, 0, 0]);
		expect(v[0][1]).toEqual([0, 1, 0]);
		expect(v[1][0]).toEqual([0, 0, 1]);
		expect(v[1][1][0]).toBeCloseTo(0.2, 6);
		expect(v[1][1][1]).toBeCloseTo(0.4, 6);
		expect(v[1][1][2]).toBeCloseTo(0.6, 6);
		t.dispose();
	});

	it('clamps values outside [0, 1], reuses `into`, and refuses a tensor that is not RGB', async () => {
		const t = tf.tensor3d([-1, 0.5, 2], [1, 1, 3]);
		const into = new Uint8ClampedArray(4);
		const px = await tensorToPixels(t, into);
		expect(px.data).toBe(into);
		expect(Array.from(px.data)).toEqual([0, 128, 255, 255]);
		t.dispose();
		const rgba = tf.zeros([2, 2, 4]) as tf.Tensor3D;
		await expect(tensorToPixels(rgba)).rejects.toThrow(RangeError);
		rgba.dispose();
	});
});

describe('tensorToMap / mapToTensor', () => {
	it('round-trips a map exactly, with its size, and leaks nothing', async () => {
		const before = tf.memory().numTensors;
		const t = tf.tensor2d([0, 0.25, 0.5, 0.75, 1, -3], [2, 3]);
		const map = await tensorToMap(t);
		expect(map.width).toBe(3);
		expect(map.height).toBe(2);
		expect(map.data).toBeInstanceOf(Float32Array);
		expect(Array.from(map.data)).toEqual([0, 0.25, 0.5, 0.75, 1, -3]);
		expect(t.isDisposed).toBe(false);
		const back = mapToTensor(map);
		expect(back.shape).toEqual([2, 3]);
		expect(back.arraySync()).toEqual([
			[0, 0.25, 0.5],
			[0.75, 1, -3]
		]);
		t.dispose();
		back.dispose();
		expect(tf.memory().numTensors).toBe(before);
	});

	it('mapToTensor checks the size', () => {
		expect(() => mapToTensor({ width: 3, height: 3, data: new Float32Array(4) })).toThrow();
	});
});
