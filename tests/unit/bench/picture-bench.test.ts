/**
 * The picture bench (src/lib/bench/picture-bench.ts) with the real network on wasm: the kernel counts of
 * keep colours and detail (the bench page's suite `picture`), the steps' timing on a given clock, a still
 * without the profiler (as the page runs it on WebGL); none leaves a tensor behind.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, type StyleNet, type StyleNetStats } from '../../../src/lib/models/style-net';
import { benchPictureSteps, benchStill, countPictureKernels } from '../../../src/lib/bench/picture-bench';
import { tileStarts } from '../../../src/lib/stylize/tiles';
import { diskFetch, MODEL_URL } from '../models/style-net-helpers';

let net: StyleNet & StyleNetStats;
const quiet = () => {};

beforeAll(async () => {
	if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
	await tf.ready();
	net = await load({ url: MODEL_URL, fetch: diskFetch(), warmupSize: [16, 16] });
});
afterAll(() => net?.dispose());

describe('picture bench', () => {
	it('counts the kernels of keep colours and detail per frame, at the size asked, shape-only kernels apart', async () => {
		const before = tf.memory().numTensors;
		const row = await countPictureKernels(net, { side: 16, aspect: 1.5, log: quiet });
		expect(row.size).toBe('24×16');
		expect(row.guide).toBe('48×32');
		expect(row.detail.kernels).toBe(row.detail.names.length);
		// The guided filter: box filters are avgPool pairs; the resizes are the two frames down to the
		// statistics' size, the gain back to the processing size and the two upscales to the guide's size
		// (the camera frame at the processing size is the network's input, as on the live path).
		expect(row.detail.names.filter((n) => n === 'AvgPool').length).toBe(10); // five box filters, two passes each
		expect(row.detail.names.filter((n) => n === 'ResizeBilinear').length).toBe(5);
		expect(row.detail.shapeOnly).toBe(row.detail.names.filter((n) => ['Reshape', 'Squeeze', 'ExpandDims', 'Identity'].includes(n)).length);
		expect(row.detail.passes).toBeNull(); // no pass counter given
		expect(row.colours.kernels).toBeGreaterThan(0);
		expect(row.colours.kernels).toBeLessThan(row.detail.kernels);
		expect(tf.memory().numTensors).toBe(before);
	});

	it('counts passes with the counter it is given, around one plain call of each step', async () => {
		let reads = 0;
		const row = await countPictureKernels(net, { side: 16, passes: () => reads++, log: quiet });
		expect([row.colours.passes, row.detail.passes]).toEqual([1, 1]); // read once before and once after each
	});

	it('times the steps and the draws on the clock it is given', async () => {
		let t = 0;
		const clock = () => (t += 5); // every reading 5 ms after the one before: each step takes 5 ms
		const before = tf.memory().numTensors;
		const row = await benchPictureSteps(net, { side: 16, runs: 3, clock, log: quiet });
		expect([row.styleMs, row.coloursMs, row.detailMs]).toEqual([5, 5, 5]);
		expect(row.drawMs).toEqual({ processing: 5, guide: 5 });
		expect(row.share).toBeCloseTo(2, 6);
		expect(row.frameShare).toBeCloseTo((5 + 5 + 5 - 5) / (5 + 5), 6);
		expect(tf.memory().numTensors).toBe(before);
	});

	it('a still without the profiler: its tiles and time, no peak tensor bytes, no leaks', async () => {
		const before = tf.memory().numTensors;
		const row = await benchStill(net, { side: 64, tiled: { tile: 32, overlap: 8, margin: 8, statsSide: 64 }, profile: false, log: quiet });
		expect(row.tiles).toBe(tileStarts(64, 32, 8, 8).length ** 2);
		expect(row.peakTensorBytes).toBeNull();
		expect(row.seconds).toBeGreaterThan(0);
		expect(tf.memory().numTensors).toBe(before);
	});
});
