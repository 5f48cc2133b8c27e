/**
 * The gallery on the real ResNet50 (wasm): the receptive-field arithmetic of every stage against a
 * gradient-based measurement, and the features / channel maxima with leak checks.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caffeInput, type Classifier } from '../../../src/lib/models/classifier';
import { layerMaxima, pictureFeatures } from '../../../src/lib/gallery/features';
import { cosineDistance } from '../../../src/lib/gallery/neighbours';
import { describeLayers, receptiveFields, unitBox } from '../../../src/lib/gallery/receptive-field';
import { loadClassifier, photo, readPhoto } from '../models/classifier-helpers';

let clf: Classifier;
beforeAll(async () => {
	clf = await loadClassifier({ warmUp: false, taps: ['conv5'] });
});
afterAll(() => clf?.dispose());

describe('receptive fields of ResNet50', () => {
	it('gives the known table for the stages (jump, size, centre of unit 0)', () => {
		const g = receptiveFields(describeLayers(clf.model), 224);
		const table = Object.fromEntries(
			(['conv1', 'conv2', 'conv3', 'conv4', 'conv5'] as const).map((s) => {
				const { jump, size, start, extent } = g.get(clf.stageLayers[s])!;
				return [s, [jump, size, start, extent]];
			})
		);
		expect(table).toEqual({
			conv1: [2, 7, 0, 112],
			conv2: [4, 35, 0, 56],
			conv3: [8, 99, 0, 28],
			conv4: [16, 291, 0, 14],
			conv5: [32, 483, 0, 7]
		});
	});

	/**
	 * Measured: the input pixels where ∂(Σ_c activation[centre unit, c]) / ∂input ≠ 0, on a photo big
	 * enough that the theoretical field fits inside. Theory bounds the support; the centre matches.
	 */
	const cases: [string, number][] = [
		['conv1', 48],
		['conv2', 64],
		['conv3', 128],
		['conv4', 320]
	];
	/** Bounding box of the input pixels where ∂(Σ_c activation[0, i, j, c]) / ∂input ≠ 0. */
	async function support(stage: string, side: number, i: number, j: number) {
		const net = clf.net({ outputs: [stage] });
		const frame = readPhoto(photo('darknet__dog.jpg'), side, side);
		const grad = tf.tidy(() => {
			const x = caffeInput(tf.expandDims(frame, 0) as tf.Tensor4D);
			const f = (inp: tf.Tensor) => tf.sum(tf.slice(net(inp as tf.Tensor4D)[stage] as tf.Tensor4D, [0, i, j, 0], [1, 1, 1, -1]));
			return tf.sum(tf.abs(tf.grad(f)(x)), [0, 3]); // [side, side]
		});
		const data = await grad.data();
		tf.dispose([grad, frame]);
		let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
		for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) if (data[y * side + x] > 0) {
			x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
		}
		return { x0, x1, y0, y1 };
	}

	for (const [stage, side] of cases) {
		it(`${stage}: the gradient's support of the centre unit lies within the computed field and is centred on it (${side}² input)`, async () => {
			const layer = clf.stageLayers[stage as 'conv1'];
			const g = receptiveFields(describeLayers(clf.model), side).get(layer)!;
			const i = Math.floor(g.extent / 2);
			const box = unitBox(g, i, i);
			expect(box.x0).toBeGreaterThanOrEqual(0);
			expect(box.x1).toBeLessThanOrEqual(side - 1);
			const { x0, x1, y0, y1 } = await support(stage, side, i, i);
			// Within the theoretical field …
			expect(x0).toBeGreaterThanOrEqual(box.x0);
			expect(x1).toBeLessThanOrEqual(box.x1);
			expect(y0).toBeGreaterThanOrEqual(box.y0);
			expect(y1).toBeLessThanOrEqual(box.y1);
			// … nearly all of it (max-pooling and ReLUs may cut a few edge pixels) …
			expect(x1 - x0 + 1).toBeGreaterThanOrEqual(g.size - 4);
			expect(y1 - y0 + 1).toBeGreaterThanOrEqual(g.size - 4);
			// … and centred where the arithmetic says.
			expect(Math.abs((x0 + x1) / 2 - box.cx)).toBeLessThanOrEqual(1);
			expect(Math.abs((y0 + y1) / 2 - box.cy)).toBeLessThanOrEqual(1);
		});
	}

	it('conv5 (field 483 px, larger than the picture): unit (0, 0)’s support ends exactly where the field does (256² input)', async () => {
		// The centre unit would need a 512² input (a minute of backward pass on wasm); the corner unit's
		// field is clipped by the picture on the near side and ends at start + (size − 1) / 2 on the far side.
		const g = receptiveFields(describeLayers(clf.model), 256).get(clf.stageLayers.conv5)!;
		const box = unitBox(g, 0, 0);
		expect(box.x1).toBe(241);
		const m = await support('conv5', 256, 0, 0);
		expect(m).toEqual({ x0: 0, x1: 241, y0: 0, y1: 241 });
	});
});

describe('gallery features on ResNet50', () => {
	it('one pass gives 2048-d features, a 32×32 picture and the top-1 class, without leaking', async () => {
		const eagle = readPhoto(photo('darknet__eagle.jpg'), 300, 200);
		await pictureFeatures(clf, eagle); // compiles net() once
		const before = tf.memory().numTensors;
		const f = await pictureFeatures(clf, eagle);
		expect(tf.memory().numTensors).toBe(before);
		expect(f.pooled).toHaveLength(2048);
		expect(f.tiny).toHaveLength(32 * 32 * 3);
		expect(Math.min(...f.tiny)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...f.tiny)).toBeLessThanOrEqual(1);
		expect(f.top1.label).toMatch(/eagle|kite/);
		expect(f.top1.prob).toBeGreaterThan(0.2);
		// The same photo, mirrored, is nearer in feature space than a dog.
		const mirrored = tf.reverse(eagle, 1) as tf.Tensor3D;
		const dog = readPhoto(photo('darknet__dog.jpg'), 300, 200);
		const [fm, fd] = [await pictureFeatures(clf, mirrored), await pictureFeatures(clf, dog)];
		expect(cosineDistance(f.pooled, fm.pooled)).toBeLessThan(cosineDistance(f.pooled, fd.pooled));
		tf.dispose([eagle, mirrored, dog]);
	});

	it('channel maxima of a block, without leaking', async () => {
		const frame = readPhoto(photo('darknet__dog.jpg'), 224, 224);
		await layerMaxima(clf, 'res3b', frame, 'dog');
		const before = tf.memory().numTensors;
		const m = await layerMaxima(clf, 'res3b', frame, 'dog');
		expect(tf.memory().numTensors).toBe(before);
		expect([m.h, m.w, m.max.length, m.arg.length]).toEqual([28, 28, 512, 512]);
		expect(Math.max(...m.arg)).toBeLessThan(28 * 28);
		frame.dispose();
	});
});
