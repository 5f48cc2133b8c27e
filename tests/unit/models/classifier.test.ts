import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classifier } from '../../../src/lib/models/classifier';
import { loadClassifier, photo, readPhoto } from './classifier-helpers';

let clf: Classifier;
beforeAll(async () => {
	const t0 = performance.now();
	clf = await loadClassifier();
	console.log(`load ${(performance.now() - t0).toFixed(0)} ms`);
});
afterAll(() => clf?.dispose());

describe('classifier (ResNet50, quantized, wasm)', () => {
	it('finds the stage layers', () => {
		expect(clf.stageLayers).toEqual({
			conv1: 'activation',
			conv2: 'activation_9',
			conv3: 'activation_21',
			conv4: 'activation_39',
			conv5: 'activation_48'
		});
		expect(clf.labels.length).toBe(1000);
		expect(clf.labels[22]).toBe('bald eagle');
	});

	it.each([
		['darknet__eagle.jpg', /bald eagle|kite/],
		['darknet__dog.jpg', /retriever|terrier|spaniel|dog|shepherd|collie|hound|malamute|husky|pinscher|boxer|mastiff/],
		['opencv-doc__orange.jpg', /orange|lemon/],
		['python-matplotlib-data__grace_hopper.jpg', /military uniform|suit|Windsor tie|bow tie|mortarboard/]
	])('labels %s sensibly', async (file, expected) => {
		const frame = readPhoto(photo(file));
		const t0 = performance.now();
		const top = await clf.classify(frame, 5);
		console.log(file, `${(performance.now() - t0).toFixed(0)} ms`, top.slice(0, 3).map((p) => `${p.label} ${p.prob.toFixed(2)}`).join(', '));
		frame.dispose();
		expect(top[0].label).toMatch(expected);
		expect(top[0].prob).toBeGreaterThan(top[1].prob);
	});
});

describe('classifier heads, leaks and lifecycle', () => {
	it('head(stage, activation) reproduces the logits for every stage', async () => {
		const frame = readPhoto(photo('darknet__eagle.jpg'));
		const { logits, taps } = clf.forward(frame);
		for (const stage of clf.taps) {
			const d = tf.tidy(() => tf.max(tf.abs(tf.sub(clf.head(stage, taps[stage]!), logits))).dataSync()[0]);
			expect(d, stage).toBeLessThan(1e-2);
		}
		tf.dispose([frame, logits, ...Object.values(taps)]);
	});

	it('per-frame calls do not leak', async () => {
		const frame = readPhoto(photo('darknet__dog.jpg'), 160, 120);
		const before = tf.memory().numTensors;
		await clf.classify(frame, 3);
		clf.preprocess(frame).dispose();
		clf.logits(frame).dispose();
		const out = clf.forward(frame);
		await clf.topK(out.logits);
		tf.dispose([out.logits, ...Object.values(out.taps)]);
		expect(tf.memory().numTensors).toBe(before);
		frame.dispose();
	});

	it('load → dispose frees every tensor (twice)', async () => {
		// One cycle first: the first load in a process may leave a backend-level cached constant.
		(await loadClassifier({ taps: ['conv5'] })).dispose();
		const before = tf.memory().numTensors;
		for (let i = 0; i < 2; i++) {
			const c = await loadClassifier({ taps: ['conv5'], warmUp: i === 0 });
			expect(tf.memory().numTensors).toBeGreaterThan(before);
			c.dispose();
			expect(tf.memory().numTensors).toBe(before);
			const z = tf.zeros([1, 224, 224, 3]) as tf.Tensor4D;
			expect(() => c.logits(z)).toThrow(/after dispose/);
			z.dispose();
		}
	});
});
