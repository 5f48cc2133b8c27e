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
