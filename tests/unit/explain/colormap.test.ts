import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { COLORMAP_STOPS, COLORMAPS, colorize, overlay } from '../../../src/lib/render/colormap';
import { colorAt } from '../../../src/lib/render/colormap-stops';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

/** Reference: the heat map [h, w] resized to [H, W] (bilinear, half-pixel centres, as overlay resizes). */
function upsampleHeat(heat: tf.Tensor2D, height: number, width: number): tf.Tensor2D {
	return tf.tidy(() => tf.squeeze(tf.image.resizeBilinear(tf.expandDims(heat, -1) as tf.Tensor3D, [height, width], false, true), [2]) as tf.Tensor2D);
}

describe('colormaps (tensor ops)', () => {
	it.each(COLORMAPS)('%s: ends are the first and last stops, values clipped, shape [h,w,3]', async (name) => {
		const stops = COLORMAP_STOPS[name];
		const out = colorize(tf.tensor2d([[0, 1, -3, 7]]), name);
		expect(out.shape).toEqual([1, 4, 3]);
		const v = (await out.array())[0];
		for (let c = 0; c < 3; c++) {
			expect(v[0][c]).toBeCloseTo(stops[0][c], 6);
			expect(v[1][c]).toBeCloseTo(stops[stops.length - 1][c], 6);
			expect(v[2][c]).toBeCloseTo(stops[0][c], 6);
			expect(v[3][c]).toBeCloseTo(stops[stops.length - 1][c], 6);
		}
		out.dispose();
	});

	it('interpolates linearly between stops (jet is exact: r = clip(1.5 − |4x − 3|))', async () => {
		const xs = [0.05, 0.3, 0.5, 0.61, 0.9];
		const out = (await colorize(tf.tensor2d([xs]), 'jet').array())[0];
		const clip = (v: number) => Math.min(1, Math.max(0, v));
		xs.forEach((x, i) => {
			expect(out[i][0]).toBeCloseTo(clip(1.5 - Math.abs(4 * x - 3)), 5);
			expect(out[i][1]).toBeCloseTo(clip(1.5 - Math.abs(4 * x - 2)), 5);
			expect(out[i][2]).toBeCloseTo(clip(1.5 - Math.abs(4 * x - 1)), 5);
		});
		const g = (await colorize(tf.tensor2d([[0.25]]), 'gray').array())[0];
		expect(g[0]).toEqual([0.25, 0.25, 0.25]);
	});

	it('overlay: opacity 0 gives the frame, 1 the coloured heat map; heatAlpha keeps cold pixels', async () => {
		const frame = tf.fill([4, 6, 3], 0.3) as tf.Tensor3D;
		const heat = tf.tensor2d([
			[0, 1],
			[1, 0]
		]);
		const o0 = overlay(frame, heat, { opacity: 0 });
		const o1 = overlay(frame, heat, { opacity: 1, colormap: 'gray' });
		const oa = overlay(frame, tf.zeros([2, 2]) as tf.Tensor2D, { opacity: 1, heatAlpha: true });
		expect(o0.shape).toEqual([4, 6, 3]);
		expect(tf.max(tf.abs(tf.sub(o0, frame))).dataSync()[0]).toBeLessThan(1e-6);
		const up = upsampleHeat(heat, 4, 6);
		expect(tf.max(tf.abs(tf.sub(o1, tf.stack([up, up, up], 2)))).dataSync()[0]).toBeLessThan(1e-6);
		expect(tf.max(tf.abs(tf.sub(oa, frame))).dataSync()[0]).toBeLessThan(1e-6);
		tf.dispose([o0, o1, oa, up]);
		tf.dispose([frame, heat]);
	});

	it('overlay on a full frame: colours looked up at a quarter size match colouring every pixel', async () => {
		const frame = tf.randomUniform([96, 128, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
		const heat = tf.randomUniform([7, 7], 0, 1, 'float32', 4) as tf.Tensor2D;
		const fast = overlay(frame, heat, { opacity: 1, colormap: 'jet' });
		const exact = colorize(upsampleHeat(heat, 96, 128), 'jet');
		const err = tf.tidy(() => tf.mean(tf.abs(tf.sub(fast, exact))).dataSync()[0]);
		expect(err).toBeLessThan(0.025); // a random 7×7 map (rougher than any CAM): under 6 of 255 levels on average
		tf.dispose([frame, heat, fast, exact]);
	});

	it('does not leak', () => {
		const heat = tf.randomUniform([7, 7]) as tf.Tensor2D;
		const frame = tf.randomUniform([20, 30, 3]) as tf.Tensor3D;
		const before = tf.memory().numTensors;
		for (const name of COLORMAPS) {
			colorize(heat, name).dispose();
			overlay(frame, heat, { colormap: name, heatAlpha: true }).dispose();
		}
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose([heat, frame]);
	});
});

describe('colorAt (plain data, for 2D canvases)', () => {
	it.each(COLORMAPS)('%s: the same colours as colorize(), as bytes', async (name) => {
		const values = [-1, 0, 0.1, 0.33, 0.5, 0.77, 0.999, 1, 2];
		const ref = colorize(tf.tensor2d([values]), name);
		const expected = (await ref.array())[0];
		ref.dispose();
		values.forEach((v, i) => {
			const got = colorAt(name, v);
			for (let c = 0; c < 3; c++) expect(Math.abs(got[c] - expected[i][c] * 255), `${name} ${v}`).toBeLessThanOrEqual(0.51);
		});
	});
});
