/**
 * Tiled stills on the wasm backend with the real network: a 256×256 picture in 96-px tiles equals the
 * untiled run (statistics of the whole picture) within a stated tolerance, with one set of statistics
 * for every tile; progress and cancel; a 40 MP picture is scaled to 4096 on the long side with a
 * message (checked on the size rule, not run here: the 4096² still is measured by bench/stills.mjs); no leaks.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, type StyleNet, type StyleNetStats } from '../../../src/lib/models/style-net';
import { MAX_STILL_SIDE, resizePixels, stillSize, stylizeTiled, tileStarts } from '../../../src/lib/stylize/tiles';
import type { PixelImage } from '../../../src/lib/render/pixels';
import { pixelsToTensor } from '../../../src/lib/render/pixel-tensors';
import { diskFetch, MODEL_URL } from '../models/style-net-helpers';

let net: StyleNet & StyleNetStats;

beforeAll(async () => {
	// wasm (one thread in Node): the cpu backend takes minutes for the 256×256 comparison.
	if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
	await tf.ready();
	net = await load({ url: MODEL_URL, fetch: diskFetch(), warmupSize: [16, 16] });
});
afterAll(() => net?.dispose());

/** A picture with smooth colour waves, edges and flat patches (deterministic). */
export function testPicture(width: number, height: number): PixelImage {
	const data = new Uint8ClampedArray(width * height * 4);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const i = (y * width + x) * 4;
			const box = x > width * 0.3 && x < width * 0.6 && y > height * 0.2 && y < height * 0.7;
			data[i] = box ? 230 : 128 + 100 * Math.sin(x / 17 + y / 29);
			data[i + 1] = box ? 40 : 128 + 90 * Math.cos(y / 13 - x / 41);
			data[i + 2] = (x * 3 + y * 5) % 256 > 128 ? 200 : 60;
			data[i + 3] = 255;
		}
	}
	return { width, height, data };
}

const blend = () => net.styles.map((_, i) => (i === 3 ? 1 : 0));

describe('tileStarts and stillSize', () => {
	it('covers the axis with aligned, overlapping tiles, the last flush with the end', () => {
		expect(tileStarts(256, 96, 32, 8)).toEqual([0, 64, 128, 160]);
		expect(tileStarts(90, 96, 32, 8)).toEqual([0]);
		for (const s of tileStarts(1000, 512, 64, 8)) expect(s % 8).toBe(0);
	});

	it('scales a 40 MP picture to 4096 on the long side, keeps 4096×4096', () => {
		expect(stillSize(7296, 5472)).toEqual({ width: MAX_STILL_SIDE, height: 3072, scaled: true });
		expect(stillSize(4096, 4096)).toEqual({ width: 4096, height: 4096, scaled: false });
	});
});

describe('stylizeTiled', () => {
	it('equals the untiled network within 12/255 (max) and 1/255 (mean) at 256×256 in 96-px tiles', async () => {
		const pic = testPicture(256, 256);
		const progress: number[] = [];
		const before = tf.memory().numTensors;
		const tiled = await stylizeTiled(net, pic, blend(), { tile: 96, overlap: 16, margin: 64, statsSide: 256, onProgress: (p) => p.stage === 'tiles' && progress.push(p.done) });
		expect(tf.memory().numTensors).toBe(before);
		expect(tiled.tiles).toBe(9);
		expect(progress).toEqual(Array.from({ length: 9 }, (_, i) => i + 1));
		expect(tiled.message).toBeNull();
		const whole = tf.tidy(() => {
			const x = pixelsToTensor(pic);
			return tf.round(tf.mul(tf.clipByValue(net.stylize(x, blend()), 0, 1), 255));
		});
		const want = whole.dataSync();
		whole.dispose();
		let max = 0;
		let sum = 0;
		for (let p = 0; p < 256 * 256; p++) {
			for (let c = 0; c < 3; c++) {
				const d = Math.abs(tiled.image.data[p * 4 + c] - want[p * 3 + c]);
				max = Math.max(max, d);
				sum += d;
			}
		}
		const mean = sum / (256 * 256 * 3);
		console.log(`tiled vs untiled at 256×256, 96-px tiles, overlap 16, margin 64: max ${max}/255, mean ${mean.toFixed(3)}/255`);
		expect(max).toBeLessThanOrEqual(12);
		expect(mean).toBeLessThanOrEqual(1);
	}, 120_000);

	it('reports progress and stops on an abort between tiles, freeing its tensors', async () => {
		const pic = testPicture(192, 160);
		const ctl = new AbortController();
		const before = tf.memory().numTensors;
		const run = stylizeTiled(net, pic, blend(), { tile: 96, overlap: 32, statsSide: 96, signal: ctl.signal, onProgress: (p) => p.stage === 'tiles' && p.done === 2 && ctl.abort() });
		await expect(run).rejects.toMatchObject({ name: 'AbortError' });
		expect(tf.memory().numTensors).toBe(before);
	}, 60_000);

	it('resizePixels averages boxes when scaling down', () => {
		const img = { width: 4, height: 2, data: new Uint8ClampedArray([0, 0, 0, 255, 100, 100, 100, 255, 200, 0, 0, 255, 200, 0, 0, 255, 0, 0, 0, 255, 100, 100, 100, 255, 0, 0, 200, 255, 0, 0, 200, 255]) };
		const r = resizePixels(img, 2, 1);
		expect(Array.from(r.data)).toEqual([50, 50, 50, 255, 100, 0, 100, 255]);
	});
});
