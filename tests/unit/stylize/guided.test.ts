/**
 * Guided upsampling on the cpu backend: a step edge in the guide comes out sharp (much closer to the
 * full-resolution answer than the plain upscale), flat guides give exactly the plain upscale,
 * amount 0 is the plain upscale, and no tensors leak.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { guidedUpsample, guideShortSide } from '../../../src/lib/stylize/guided';

beforeAll(async () => {
	await tf.setBackend('cpu');
	await tf.ready();
});

const H = 32;
const W = 48;
const h = 8;
const w = 12;

/** A grey picture [H, W, 3]: 0.1 left of column `edge`, 0.9 from it on. */
function step(height: number, width: number, edge: number): tf.Tensor3D {
	const d = new Float32Array(height * width * 3);
	for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) d.fill(x < edge ? 0.1 : 0.9, (y * width + x) * 3, (y * width + x + 1) * 3);
	return tf.tensor3d(d, [height, width, 3]);
}

const plainUp = (x: tf.Tensor3D) => tf.image.resizeBilinear(x, [H, W], false, true) as tf.Tensor3D;
const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('guidedUpsample', () => {
	it.each([1, 2])('takes a step edge from the guide: sharper than the plain upscale (statistics at 1/%i)', (subsample) => {
		const guide = step(H, W, 21); // an edge off the 4× grid, at full resolution
		// The "stylized" frame: a colour map of the guide at the low resolution (0.1 → dark red, 0.9 → light blue).
		const ideal = tf.tidy(() => tf.add(tf.mul(guide, tf.tensor1d([-0.5, 0.2, 0.7])), tf.tensor1d([0.8, 0.2, 0.1])) as tf.Tensor3D);
		const low = tf.image.resizeBilinear(ideal, [h, w], false, true) as tf.Tensor3D;
		const plain = plainUp(low);
		const out = guidedUpsample(low, guide, 1, { subsample });
		expect(out.shape).toEqual([H, W, 3]);
		const ePlain = maxAbs(plain, ideal);
		const eGuided = maxAbs(out, ideal);
		expect(ePlain).toBeGreaterThan(0.1);
		expect(eGuided).toBeLessThan(ePlain / 2);
		// Steepest step across the edge: the guided one is close to the full jump of the red channel (0.4).
		const jump = (t: tf.Tensor3D) => tf.tidy(() => tf.max(tf.abs(tf.sub(tf.slice(t, [0, 1, 0], [H, W - 1, 1]), tf.slice(t, [0, 0, 0], [H, W - 1, 1])))).dataSync()[0]);
		expect(jump(out)).toBeGreaterThan(0.3);
		expect(jump(plain)).toBeLessThan(0.2);
		tf.dispose([guide, ideal, low, plain, out]);
	});

	it('is the plain upscale where the guide is flat (within float rounding), and exactly at amount 0', () => {
		const low = tf.randomUniform([h, w, 3], 0, 1, 'float32', 7) as tf.Tensor3D;
		const flat = tf.fill([H, W, 3], 0.4) as tf.Tensor3D;
		const guide = step(H, W, 21);
		const plain = plainUp(low);
		const a = guidedUpsample(low, flat, 1);
		const b = guidedUpsample(low, guide, 0);
		expect(maxAbs(a, plain)).toBeLessThan(1e-4);
		expect(maxAbs(b, plain)).toBeLessThan(1e-6);
		tf.dispose([low, flat, guide, plain, a, b]);
	});

	it('takes the camera frame at the processing size from the caller (lowGuide) instead of resizing the guide', () => {
		const low = tf.randomUniform([h, w, 3], 0, 1, 'float32', 5) as tf.Tensor3D;
		const guide = tf.randomUniform([H, W, 3], 0, 1, 'float32', 6) as tf.Tensor3D;
		const lowGuide = tf.image.resizeBilinear(guide, [h, w], false, true) as tf.Tensor3D;
		const other = tf.randomUniform([h, w, 3], 0, 1, 'float32', 8) as tf.Tensor3D;
		const a = guidedUpsample(low, guide, 1);
		const b = guidedUpsample(low, guide, 1, { lowGuide });
		const c = guidedUpsample(low, guide, 1, { lowGuide: other });
		expect(maxAbs(a, b)).toBe(0);
		expect(maxAbs(a, c)).toBeGreaterThan(0.01); // it is used, not ignored
		expect(() => guidedUpsample(low, guide, 1, { lowGuide: guide })).toThrow(RangeError);
		tf.dispose([low, guide, lowGuide, other, a, b, c]);
	});

	it('refuses a guide smaller than the frame; leaks no tensors', () => {
		const low = tf.randomUniform([h, w, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
		const guide = step(H, W, 10);
		expect(() => guidedUpsample(guide, low, 1)).toThrow(RangeError);
		const before = tf.memory().numTensors;
		for (const a of [0, 0.5, 1]) for (const subsample of [1, 2]) guidedUpsample(low, guide, a, { subsample }).dispose();
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose([low, guide]);
	});

	it('chooses a guide at twice the processing size, capped by the camera and the screen', () => {
		expect(guideShortSide(256, 1080, null)).toBe(512);
		expect(guideShortSide(256, 480, null)).toBe(480);
		expect(guideShortSide(256, 1080, 400)).toBe(400);
		expect(guideShortSide(256, 256, null)).toBeNull();
		expect(guideShortSide(720, 720, 1080)).toBeNull();
	});
});
