import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { time, timeAsync } from '../../../src/lib/bench/timing';

describe('bench timing', () => {
	it('timeAsync runs the warm-up untimed, then times each run and takes the median and minimum', async () => {
		let calls = 0;
		const t = await timeAsync(async () => {
			calls++;
			await new Promise((r) => setTimeout(r, 1));
		}, 5, 2);
		expect(calls).toBe(7);
		expect(t.runs).toBe(5);
		expect(t.minMs).toBeGreaterThan(0);
		expect(t.medianMs).toBeGreaterThanOrEqual(t.minMs);
	});

	it('time reads every result back and disposes it', async () => {
		const x = tf.ones([8, 8]);
		const before = tf.memory().numTensors;
		const t = await time(() => tf.matMul(x, x), 3);
		expect(tf.memory().numTensors).toBe(before);
		expect(Number.isFinite(t.medianMs)).toBe(true);
		x.dispose();
	});
});
