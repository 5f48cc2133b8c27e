/**
 * tensorToPixels on the wasm backend packs straight from the backend's memory (no copy of the values):
 * the same bytes as packing a copy, the tensor untouched and still usable, nothing left behind.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { packRgba } from '../../../src/lib/render/pixels';
import { tensorToPixels } from '../../../src/lib/render/pixel-tensors';

beforeAll(async () => {
	if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
	await tf.ready();
});

describe('tensorToPixels on wasm', () => {
	it('gives the bytes of the values, reads each frame of a sequence right, and leaves the tensors alone', async () => {
		const before = tf.memory().numTensors;
		let into: Uint8ClampedArray | undefined;
		for (let seed = 1; seed <= 3; seed++) {
			// A result of a few ops (as a frame is), including values outside [0, 1] that pack clamps.
			const t = tf.tidy(() => tf.sub(tf.mul(tf.randomUniform([5, 7, 3], 0, 1, 'float32', seed), 1.2), 0.1)) as tf.Tensor3D;
			const expected = packRgba(t.dataSync().slice(), 7, 5);
			const px = await tensorToPixels(t, into);
			expect([px.width, px.height]).toEqual([7, 5]);
			expect(Array.from(px.data)).toEqual(Array.from(expected));
			if (into) expect(px.data).toBe(into); // the caller's buffer, reused
			into = px.data;
			// The tensor is unchanged and usable after its memory was read in place.
			expect(Array.from(packRgba(t.dataSync(), 7, 5))).toEqual(Array.from(expected));
			t.dispose();
		}
		expect(tf.memory().numTensors).toBe(before);
	});
});
