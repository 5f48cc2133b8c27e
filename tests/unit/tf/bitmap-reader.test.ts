/**
 * BitmapReader's bytes → floats: the values of fromPixels + cast + ÷255, on wasm (its float array reused
 * from frame to frame) and on cpu (a fresh one: that backend may keep the array as the tensor's values);
 * an earlier frame's tensor is never changed by the next read; a wrong byte count is refused.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { BitmapReader } from '../../../src/lib/tf/image';

const W = 7;
const H = 5;
const frame = (seed: number) => Uint8ClampedArray.from({ length: W * H * 4 }, (_, i) => (i * 37 + seed * 101) % 256);
const reference = (rgba: Uint8ClampedArray) =>
	tf.tidy(() => tf.div(tf.cast(tf.browser.fromPixels({ width: W, height: H, data: new Uint8Array(rgba.buffer) }), 'float32'), 255) as tf.Tensor3D);

afterAll(async () => {
	await tf.setBackend('cpu');
});

describe.each(['wasm', 'cpu'])('BitmapReader.fromRgba on %s', (backend) => {
	it('gives fromPixels ÷ 255, and a later read leaves the earlier tensor as it was', async () => {
		if (!(await tf.setBackend(backend))) throw new Error(`${backend} did not start`);
		await tf.ready();
		const reader = new BitmapReader();
		const before = tf.memory().numTensors;
		const a = reader.fromRgba(frame(1), W, H);
		const aWas = Array.from(a.dataSync());
		const ref = reference(frame(1));
		expect(aWas).toEqual(Array.from(ref.dataSync()));
		const b = reader.fromRgba(frame(2), W, H);
		expect(Array.from(b.dataSync())).not.toEqual(aWas);
		expect(Array.from(a.dataSync())).toEqual(aWas);
		expect(a.shape).toEqual([H, W, 3]);
		expect(() => reader.fromRgba(new Uint8ClampedArray(8), W, H)).toThrow(RangeError);
		tf.dispose([a, b, ref]);
		expect(tf.memory().numTensors).toBe(before);
	});
});
