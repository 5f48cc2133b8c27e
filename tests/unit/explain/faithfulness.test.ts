/** Deletion / insertion curves on a toy model whose score is a known function of one region (cpu backend). */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { auc, faithfulness, FaithfulnessJob, verdict, type FaithfulnessResult } from '../../../src/lib/explain/faithfulness';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

/** 8×8 picture, 3 channels, all ones; the "model" scores the mean over the top-left 4×4 block (a quarter of the pixels). */
const image = () => tf.ones([1, 8, 8, 3]) as tf.Tensor4D;
const region = () => tf.pad(tf.ones([4, 4]), [[0, 4], [0, 4]]) as tf.Tensor2D;
const regionScore = (images: tf.Tensor4D) =>
	tf.tidy(() => tf.div(tf.sum(tf.mul(tf.mean(images, 3), region()), [1, 2]), 16) as tf.Tensor1D);

describe('faithfulness', () => {
	it('auc: trapezoid rule over [0, 1]', () => {
		expect(auc([1, 0])).toBeCloseTo(0.5);
		expect(auc([0, 1, 1])).toBeCloseTo(0.75);
		expect(auc([1, 1, 1, 1, 1])).toBeCloseTo(1);
	});

	it('a map planted on the scored region gives the known curves (mean fill, 8 steps of 8 pixels)', async () => {
		const img = image();
		const map = region();
		const r = await faithfulness(map, img, regionScore, { steps: 8, fill: 'mean' });
		expect(r.fractions).toEqual([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1]);
		// The 16 region pixels go first: 8 per step, so the score halves, then is gone.
		const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
		close(r.map.deletion, [1, 0.5, 0, 0, 0, 0, 0, 0, 0]);
		close(r.map.insertion, [0, 0.5, 1, 1, 1, 1, 1, 1, 1]);
		expect(r.map.deletionAuc).toBeCloseTo(0.125, 5);
		expect(r.map.insertionAuc).toBeCloseTo(0.875, 5);
		// A random map removes the region's pixels at about the rate of all pixels: a far slower fall.
		const rnd = r.random!;
		expect(rnd.deletion[0]).toBeCloseTo(1, 5);
		expect(rnd.deletion[8]).toBeCloseTo(0, 5);
		expect(rnd.deletionAuc).toBeGreaterThan(0.25);
		expect(rnd.insertionAuc).toBeLessThan(0.75);
		for (let i = 1; i < 9; i++) expect(rnd.deletion[i]).toBeLessThanOrEqual(rnd.deletion[i - 1] + 1e-6); // monotone: pixels only go
		tf.dispose([img, map]);
	});

	it('a map pointing away from the region is worse than random; the seed fixes the random curve', async () => {
		const img = image();
		const away = tf.tidy(() => tf.sub(1, region())) as tf.Tensor2D;
		const a = await faithfulness(away, img, regionScore, { steps: 4, fill: 'mean', seed: 3 });
		const b = await faithfulness(away, img, regionScore, { steps: 4, fill: 'mean', seed: 3 });
		// The 48 other pixels go first (16 per step over 64 pixels): the region only starts at 3/4.
		a.map.deletion.forEach((v, i) => expect(v).toBeCloseTo([1, 1, 1, 1, 0][i], 5));
		expect(a.map.deletionAuc).toBeGreaterThan(a.random!.deletionAuc);
		expect(b.random!.deletion).toEqual(a.random!.deletion);
		tf.dispose([img, away]);
	});

	it('blur fill: a constant picture does not change when blurred, so every curve is flat', async () => {
		const img = tf.mul(image(), 0.3) as tf.Tensor4D;
		const map = region();
		const r = await faithfulness(map, img, regionScore, { steps: 4, fill: 'blur' });
		for (const c of [r.map, r.random!]) for (const v of [...c.deletion, ...c.insertion]) expect(v).toBeCloseTo(0.3, 4);
		tf.dispose([img, map]);
	});

	it('batching the forward passes gives the same curves', async () => {
		const img = tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
		const map = tf.randomUniform([3, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
		const whole = await faithfulness(map, img, regionScore, { steps: 4 });
		const parts = await faithfulness(map, img, regionScore, { steps: 4, batch: 3 });
		whole.map.deletion.forEach((v, i) => expect(parts.map.deletion[i]).toBeCloseTo(v, 5));
		whole.random!.insertion.forEach((v, i) => expect(parts.random!.insertion[i]).toBeCloseTo(v, 5));
		tf.dispose([img, map]);
	});

	it('a job scored a few pictures at a time gives the same curves, and frees its pictures', async () => {
		const img = tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
		const map = tf.randomUniform([3, 3], 0, 1, 'float32', 9) as tf.Tensor2D;
		const whole = await faithfulness(map, img, regionScore, { steps: 4 });
		const before = tf.memory().numTensors;
		const job = new FaithfulnessJob(map, img, { steps: 4 });
		expect(job.progress).toEqual({ done: 0, total: 2 + 4 * 3 });
		let r: FaithfulnessResult | null = null;
		let calls = 0;
		while (!r) {
			r = await job.next(regionScore, 5);
			calls++;
		}
		expect(calls).toBe(3); // 14 pictures, 5 at a time
		expect(r.map.deletion).toEqual(whole.map.deletion);
		expect(r.random!.insertionAuc).toBeCloseTo(whole.random!.insertionAuc, 6);
		expect(tf.memory().numTensors).toBe(before);
		await expect(job.next(regionScore, 5)).rejects.toThrow(/finished/);
		const dropped = new FaithfulnessJob(map, img, { steps: 4 });
		await dropped.next(regionScore, 2);
		dropped.dispose();
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose([img, map]);
	});

	it('the verdict in plain words', () => {
		const r: FaithfulnessResult = {
			fractions: [0, 0.125, 1],
			map: { deletion: [0.66, 0.08, 0], insertion: [0, 0.5, 0.66], deletionAuc: 0, insertionAuc: 0 },
			random: { deletion: [0.66, 0.61, 0], insertion: [0, 0.1, 0.66], deletionAuc: 0, insertionAuc: 0 },
			fill: 'blur'
		};
		expect(verdict(r, 'castle')).toBe("removing the top 12.5 % of this map drops 'castle' from 66 % to 8 %; a random 12.5 % drops it to 61 %");
	});

	it('leaves no tensors behind', async () => {
		const img = tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
		const map = tf.randomUniform([2, 2], 0, 1, 'float32', 7) as tf.Tensor2D;
		await faithfulness(map, img, regionScore, { steps: 3, batch: 2 }); // warm-up
		const before = tf.memory().numTensors;
		await faithfulness(map, img, regionScore, { steps: 3, batch: 2 });
		await faithfulness(map, img, regionScore, { steps: 5, fill: 'mean', random: false });
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose([img, map]);
	});
});
