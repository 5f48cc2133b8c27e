/** The cascading model-randomization check on a toy Keras-style model (cpu backend). */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCamFor, type CamModel } from '../../../src/lib/explain/cam';
import { cascadingRandomization, randomizeLayers, resnetCascade, spearman } from '../../../src/lib/explain/sanity';
import type { StageName } from '../../../src/lib/models/classifier';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

/** conv 3×3 (4 channels, relu) = the stage; GAP + dense 'fc1000' (2 classes, class 0 weighs every channel +1) = the head. */
function toy() {
	const conv = tf.layers.conv2d({ name: 'res5c_branch2a', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ seed: 3 }) });
	const dense = tf.layers.dense({ name: 'fc1000', units: 2 });
	conv.apply(tf.input({ shape: [6, 6, 3] }));
	dense.apply(tf.input({ shape: [4] }));
	const [, b] = dense.getWeights();
	const k = tf.tensor2d([1, -1, 1, -1, 1, -1, 1, -1], [4, 2]);
	dense.setWeights([k, b]);
	k.dispose();
	const head = (_s: StageName, a: tf.Tensor4D) => tf.tidy(() => dense.apply(tf.mean(a, [1, 2])) as tf.Tensor2D);
	const stage = (x: tf.Tensor4D) => conv.apply(x) as tf.Tensor4D;
	const model: CamModel & { taps: StageName[] } = {
		labels: ['plus', 'minus'],
		taps: ['conv5'],
		preprocess: (f) => tf.expandDims(f, 0) as tf.Tensor4D,
		forward: (input) =>
			tf.tidy(() => {
				const a = stage(input.rank === 3 ? (tf.expandDims(input, 0) as tf.Tensor4D) : (input as tf.Tensor4D));
				return { logits: head('conv5', a), taps: { conv5: a } } as unknown as tf.TensorContainer;
			}) as never,
		logits: (x) => tf.tidy(() => head('conv5', stage(x))),
		head
	};
	return { model, layers: [conv, dense], dispose: () => [conv, dense].forEach((l) => l.dispose()) };
}

const mapOf = async (t: tf.Tensor) => {
	try {
		return (await t.data()) as Float32Array;
	} finally {
		t.dispose();
	}
};

describe('model randomization (cascading)', () => {
	it('spearman: 1 for the same order, −1 reversed, 0 for a constant', () => {
		expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
		expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
		expect(spearman([1, 2, 3], [5, 5, 5])).toBe(0);
	});

	it("flips the toy model's Grad-CAM map, leaves a model-blind map unchanged, and restores the weights", async () => {
		const t = toy();
		const frame = tf.randomUniform([6, 6, 3], 0, 1, 'float32', 21) as tf.Tensor3D;
		const cam = createCamFor(t.model, 'gradcam');
		const kept = t.layers.map((l) => l.getWeights().map((w) => w.arraySync()));
		const steps = resnetCascade(t.layers);
		expect(steps.map((s) => s.name)).toEqual(['fc1000', 'res5c']);

		const before = tf.memory().numTensors;
		const rows = await cascadingRandomization(steps, () => mapOf(cam.heatmap(frame, { classIndex: 0 })), { seed: 5 });
		expect(rows.map((r) => r.name)).toEqual(['original', 'fc1000', 'res5c']);
		expect(rows[0].spearman).toBe(1);
		for (const r of rows.slice(1)) expect(r.spearman).toBeLessThan(0.5); // the map no longer looks like the original
		// A "map" that only looks at the picture (its brightness) survives every step: the check catches it.
		const blind = await cascadingRandomization(steps, () => mapOf(tf.mean(frame, 2)), { seed: 5 });
		for (const r of blind) expect(r.spearman).toBeCloseTo(1, 6);
		expect(tf.memory().numTensors).toBe(before);
		// Every weight is back.
		t.layers.forEach((l, i) => l.getWeights().forEach((w, j) => expect(w.arraySync()).toEqual(kept[i][j])));
		const again = await mapOf(cam.heatmap(frame, { classIndex: 0 }));
		expect(Array.from(again)).toEqual(Array.from(rows[0].map));
		tf.dispose(frame);
		t.dispose();
	});

	it('randomizeLayers keeps biases and restores on demand, without leaks', () => {
		const t = toy();
		const before = tf.memory().numTensors;
		const [k0, b0] = t.layers[1].getWeights().map((w) => w.arraySync());
		const restore = randomizeLayers([t.layers[1]], 9);
		const [k1, b1] = t.layers[1].getWeights().map((w) => w.arraySync());
		expect(k1).not.toEqual(k0);
		expect(b1).toEqual(b0);
		restore();
		expect(t.layers[1].getWeights()[0].arraySync()).toEqual(k0);
		expect(tf.memory().numTensors).toBe(before);
		t.dispose();
	});
});
