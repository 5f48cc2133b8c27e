/**
 * Every lab mode on ResNet50 (wasm) with small settings: it runs, reports progress, returns pictures and
 * facts, leaves no tensor behind — also when cancelled mid-run.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classifier } from '../../../src/lib/models/classifier';
import { LAB_MODES, type LabMode, type LabModeId, type LabProgress, type LabResult, type ModeContext } from '../../../src/lib/optvis/modes';

/** A mode with its parameters passed loosely by key (as the tables below give them). */
const modeOf = (id: LabModeId) => LAB_MODES[id] as unknown as LabMode<Record<string, unknown>>;
import { loadClassifier, photo, readPhoto, ROOT } from '../models/classifier-helpers';

let clf: Classifier;
let input: tf.Tensor3D;
beforeAll(async () => {
	clf = await loadClassifier({ warmUp: false });
	input = readPhoto(photo('darknet__dog.jpg'), 96, 72);
	// The first backward pass through the network makes the flipped kernels it keeps for the next ones
	// (tf/conv-grad.ts): a one-time cost of the model, made here so the leak checks see runs only.
	const net = clf.net({ outputs: ['logits'] });
	tf.grad((x) => tf.sum(net(x as tf.Tensor4D).logits))(tf.zeros([1, 32, 32, 3])).dispose();
});
afterAll(() => {
	clf?.dispose();
	input?.dispose();
});

const ctx = (signal: AbortSignal): ModeContext => ({
	classifier: clf,
	signal,
	previewEvery: 2,
	painting: async (id) => readPhoto(join(ROOT, 'static/paintings', `${id}.jpg`), 64, 48)
});

async function drive(id: LabModeId, params: object, signal = new AbortController().signal) {
	const mode = modeOf(id);
	const gen = mode.run(ctx(signal), input, { ...mode.defaults, ...params });
	const progress: LabProgress[] = [];
	for (;;) {
		const r = await gen.next();
		if (r.done) return { progress, result: r.value as LabResult };
		progress.push(r.value);
	}
}

const small: [LabModeId, object][] = [
	['gatys', { size: 64, steps: 3, styles: ['great_wave', 'udnie'] }],
	['gatys', { size: 64, steps: 2, styles: [], styleImage: { width: 40, height: 30, data: new Uint8ClampedArray(40 * 30 * 4).map((_, i) => (i * 37) % 256) } }],
	['deepdream', { size: 64, octaves: 2, stepsPerOctave: 2, layer: 'res3a' }],
	['classviz', { size: 64, steps: 3, classIndex: 1 }],
	['classviz', { size: 64, steps: 4, classIndex: 1, parameterization: 'pixels', blurEvery: 2 }],
	['saliency', { method: 'vanilla' }],
	['saliency', { method: 'smoothgrad', samples: 2 }],
	['saliency', { method: 'guided' }],
	['saliency', { method: 'deconv' }],
	['saliency', { method: 'guided-gradcam' }],
	['occlusion', { patch: 112, stride: 56, batch: 4 }],
	['inversion', { layer: 'conv2', steps: 3, size: 64 }],
	['fooling', { method: 'fgsm', epsilon: 8 }],
	['fooling', { method: 'iterative', steps: 2, target: 1 }],
	['sanity', { lowest: 'res5b' }],
	['sanity', { method: 'eigencam', lowest: 'res5c', classIndex: 22 }]
];

describe('lab modes on ResNet50 (wasm, small settings)', () => {
	it.each(small)('%s %o: progress, pictures, facts, no leak', async (id, params) => {
		const before = tf.memory().numTensors;
		const { progress, result } = await drive(id, params);
		expect(tf.memory().numTensors).toBe(before);
		expect(progress.length).toBeGreaterThan(0);
		const last = progress.at(-1)!;
		expect(last.done).toBe(last.total);
		expect(last.total).toBe(modeOf(id).units({ ...modeOf(id).defaults, ...params }));
		expect(result.pictures.length).toBeGreaterThan(0);
		for (const p of result.pictures) {
			expect(p.image.data.length).toBe(p.image.width * p.image.height * 4);
			expect(p.image.width).toBeGreaterThan(0);
		}
		expect(result.facts.every((f) => f.label && f.value)).toBe(true);
		console.log(id, JSON.stringify(params, (k, v) => (k === 'styleImage' && v ? `${v.width}×${v.height} px` : v)), `${result.elapsedMs.toFixed(0)} ms`, result.facts.map((f) => `${f.label}: ${f.value}`).join('; '));
	});

	it('FGSM at ε = 8/255 changes the answer, within ε', async () => {
		const { result } = await drive('fooling', { method: 'fgsm', epsilon: 8 });
		const fact = (l: string) => result.facts.find((f) => f.label === l)!.value;
		expect(fact('after').split(' ')[0]).not.toBe(fact('before').split(' ')[0]);
		expect(parseFloat(fact('L∞ of the change'))).toBeLessThanOrEqual(8.01);
	});

	it.each(['gatys', 'inversion', 'saliency'] as LabModeId[])('%s: a cancelled run stops within a step and frees its memory', async (id) => {
		const before = tf.memory().numTensors;
		const ctl = new AbortController();
		const mode = modeOf(id);
		const gen = mode.run(ctx(ctl.signal), input, { ...mode.defaults, size: 64, steps: 50, method: 'smoothgrad', samples: 50 });
		await gen.next();
		await gen.next();
		ctl.abort();
		await expect(gen.next()).rejects.toMatchObject({ name: 'AbortError' });
		expect(tf.memory().numTensors).toBe(before);
	});
});
