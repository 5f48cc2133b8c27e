import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelGrid, filterGrid } from '../../../src/lib/explain/activations';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

/** [1, 2, 2, C] where channel k is constant-ish with mean k·scale[k] and a ramp inside. */
function acts(means: number[]): tf.Tensor4D {
	const c = means.length;
	const data: number[] = [];
	for (let p = 0; p < 4; p++) for (let k = 0; k < c; k++) data.push(means[k] + (p - 1.5) * 0.1);
	return tf.tensor4d(data, [1, 2, 2, c]);
}

describe('channel grid', () => {
	it('sorts by mean, pages, tiles, and normalizes each channel to [0, 1]', async () => {
		const a = acts([1, 5, 3, 4, 2]);
		const g = await channelGrid(a, { pageSize: 2, columns: 2, gap: 1 });
		expect(g.channels).toEqual([1, 3]);
		expect(g.means[0]).toBeCloseTo(5);
		expect(g.pages).toBe(3);
		expect(g.totalChannels).toBe(5);
		expect(g.grid.shape).toEqual([2, 5]);
		const v = (await g.grid.array()) as number[][];
		// each cell: positions p = 0..3 ramp → 0, 1/3, 2/3, 1; gap column is 0
		expect(v[0][0]).toBeCloseTo(0);
		expect(v[1][1]).toBeCloseTo(1);
		expect(v[0][2]).toBe(0);
		expect(v[1][4]).toBeCloseTo(1);
		g.grid.dispose();

		const last = await channelGrid(a, { pageSize: 2, page: 2 });
		expect(last.channels).toEqual([0]);
		const byIndex = await channelGrid(a, { pageSize: 2, page: 1, sortBy: 'index' });
		expect(byIndex.channels).toEqual([2, 3]);
		expect(Array.from(byIndex.allMeans).map((m) => Math.round(m))).toEqual([1, 5, 3, 4, 2]);
		tf.dispose([last.grid, byIndex.grid, a]);
	});

	it('lays cells out row by row and pads empty cells with the gap value', async () => {
		// [1, 1, 3, 3]: three 1×3 channels whose normalized maps differ, so each cell shows where it landed.
		// channel 0: 0 1 2 → 0 .5 1; channel 1: 4 2 3 → 1 0 .5; channel 2: 5 9 6 → 0 1 .25
		const a = tf.tensor4d([0, 4, 5, 1, 2, 9, 2, 3, 6], [1, 1, 3, 3]);
		const g = await channelGrid(a, { pageSize: 3, columns: 2, gap: 1, gapValue: -1, sortBy: 'index' });
		expect(g.channels).toEqual([0, 1, 2]);
		expect(g.rows).toBe(2);
		expect(await g.grid.array()).toEqual([
			[0, 0.5, 1, -1, 1, 0, 0.5],
			[-1, -1, -1, -1, -1, -1, -1],
			[0, 1, 0.25, -1, -1, -1, -1]
		]);
		tf.dispose([g.grid, a]);
	});

	it('filterGrid shows conv1-like kernels as an RGB grid, BGR flipped, 0 → grey', async () => {
		const k = tf.tidy(() => {
			const z = tf.zeros([2, 2, 3, 4]).arraySync() as number[][][][];
			z[0][0][0][0] = 1; // filter 0, top-left pixel, B channel (input is BGR)
			return tf.tensor4d(z);
		});
		const g = filterGrid(k, { scale: 1, columns: 2, gap: 1 });
		expect(g.shape).toEqual([5, 5, 3]);
		const v = (await g.array()) as number[][][];
		expect(v[0][0]).toEqual([0.5, 0.5, 1]); // shown as blue (RGB last channel)
		expect(v[0][1]).toEqual([0.5, 0.5, 0.5]);
		expect(v[2][2]).toEqual([1, 1, 1]); // gap
		tf.dispose([g, k]);
	});

	it('does not leak', async () => {
		const a = tf.randomUniform([1, 7, 7, 64]) as tf.Tensor4D;
		const k = tf.randomNormal([7, 7, 3, 64]) as tf.Tensor4D;
		const before = tf.memory().numTensors;
		const g = await channelGrid(a, { pageSize: 16, page: 1 });
		g.grid.dispose();
		filterGrid(k).dispose();
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose([a, k]);
	});
});
