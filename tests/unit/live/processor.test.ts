import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { identityProcessor, runChain, type FrameProcessor } from '../../../src/lib/live/processor';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

const invert: FrameProcessor = { id: 'invert', enabled: true, process: (t) => tf.sub(1, t) };
const ctx = { frame: 0, time: 0 };

describe('runChain', () => {
	it('applies enabled processors in order', async () => {
		const input = tf.tensor3d([0.25, 0.5, 1], [1, 1, 3]);
		const halve: FrameProcessor = { id: 'halve', enabled: true, process: (t) => tf.mul(t, 0.5) };
		const out = runChain([invert, halve], input, ctx);
		expect(Array.from(await out.data())).toEqual([0.375, 0.25, 0]);
		out.dispose();
		const skipped = runChain([{ ...invert, enabled: false }, halve], input, ctx);
		expect(Array.from(await skipped.data())).toEqual([0.125, 0.25, 0.5]);
		skipped.dispose();
		input.dispose();
	});

	it('returns a tensor the caller owns even for identity', () => {
		const input = tf.ones([2, 2, 3]) as tf.Tensor3D;
		const out = runChain([identityProcessor()], input, ctx);
		expect(out).not.toBe(input);
		input.dispose();
		expect(out.isDisposed).toBe(false);
		out.dispose();
	});

	it('leaks nothing over many frames', () => {
		const before = tf.memory().numTensors;
		for (let i = 0; i < 200; i++) {
			const input = tf.randomUniform([8, 8, 3]) as tf.Tensor3D;
			runChain([invert, identityProcessor(), invert], input, { frame: i, time: i }).dispose();
			input.dispose();
		}
		expect(tf.memory().numTensors).toBe(before);
	});
});
