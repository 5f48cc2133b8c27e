import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { reluWith, type ReluRule } from '../../../src/lib/models/classifier/relu';

// The worked example of the lectures (CS231n "Visualizing and Understanding"): a ReLU's forward input
// h and the gradient arriving from above; what each backward rule passes down.
const h = [
	[1, -1, 5],
	[2, -5, -7],
	[-3, 2, 4]
];
const upstream = [
	[-2, 3, -1],
	[6, -3, 1],
	[2, -1, 3]
];
const expected: Record<ReluRule, number[][]> = {
	plain: [
		[-2, 0, -1],
		[6, 0, 0],
		[0, -1, 3]
	],
	deconv: [
		[0, 3, 0],
		[6, 0, 1],
		[2, 0, 3]
	],
	guided: [
		[0, 0, 0],
		[6, 0, 0],
		[0, 0, 3]
	]
};

describe('ReLU backward rules', () => {
	it.each(['plain', 'guided', 'deconv'] as ReluRule[])('%s matches the worked 3×3 example', async (rule) => {
		const before = tf.memory().numTensors;
		const relu = reluWith(rule);
		const x = tf.tensor2d(h);
		const dy = tf.tensor2d(upstream);
		// vjp: d/dx Σ relu(x) · dy = the gradient relu passes down for upstream dy.
		const grad = tf.grad((t) => tf.sum(tf.mul(relu(t), dy)))(x);
		const value = tf.tidy(() => relu(x));
		expect(await value.array()).toEqual([
			[1, 0, 5],
			[2, 0, 0],
			[0, 2, 4]
		]);
		// (+ 0 turns the -0 of a product like -3 · 0 into 0)
		expect(((await grad.array()) as number[][]).map((r) => r.map((v) => v + 0))).toEqual(expected[rule]);
		tf.dispose([x, dy, grad, value]);
		expect(tf.memory().numTensors).toBe(before);
	});
});
