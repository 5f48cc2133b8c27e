/**
 * Keep colours on the cpu backend: the result's luminance is the stylized luminance, its chrominance
 * the photo's at amount 1 and the stylized frame's at 0 (then it is the stylized frame), linear in
 * between; no tensors leak.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { keepColours, toYCbCr } from '../../../src/lib/stylize/colour';

beforeAll(async () => {
	await tf.setBackend('cpu');
	await tf.ready();
});

/** Seeded values in [lo, hi]: in-gamut pictures, so the clip does not bite. */
function picture(seed: number, lo: number, hi: number, h = 5, w = 7): tf.Tensor3D {
	let s = seed;
	const data = new Float32Array(h * w * 3).map(() => {
		s = (s * 1103515245 + 12345) % 2 ** 31;
		return lo + ((s / 2 ** 31) * (hi - lo));
	});
	return tf.tensor3d(data, [h, w, 3]);
}

const channel = (t: tf.Tensor3D, c: number) => tf.tidy(() => Array.from(tf.slice(t, [0, 0, c], [-1, -1, 1]).dataSync()));

function expectClose(a: number[], b: number[], tol: number): void {
	expect(a.length).toBe(b.length);
	const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
	expect(worst).toBeLessThan(tol);
}

describe('keepColours', () => {
	it('keeps the stylized luminance and takes the photo chrominance at amount 1', () => {
		// Grey-ish stylized frame and a mildly coloured photo: every mix stays in gamut.
		const s = picture(1, 0.35, 0.65);
		const p = picture(2, 0.4, 0.6);
		const out = keepColours(s, p, 1);
		const [yo, ys, yp] = [toYCbCr(out), toYCbCr(s), toYCbCr(p)];
		expectClose(channel(yo, 0), channel(ys, 0), 1e-5);
		expectClose(channel(yo, 1), channel(yp, 1), 1e-5);
		expectClose(channel(yo, 2), channel(yp, 2), 1e-5);
		// And it is not simply the photo: the luminance differs from the photo's.
		expect(Math.max(...channel(yo, 0).map((v, i) => Math.abs(v - channel(yp, 0)[i])))).toBeGreaterThan(0.01);
		tf.dispose([s, p, out, yo, ys, yp]);
	});

	it('is the stylized frame at amount 0 and mixes the chrominance linearly in between', () => {
		const s = picture(3, 0.35, 0.65);
		const p = picture(4, 0.4, 0.6);
		const zero = keepColours(s, p, 0);
		expectClose(Array.from(zero.dataSync()), Array.from(s.dataSync()), 1e-7);
		const half = keepColours(s, p, 0.25);
		const [yh, ys, yp] = [toYCbCr(half), toYCbCr(s), toYCbCr(p)];
		expectClose(channel(yh, 0), channel(ys, 0), 1e-5);
		for (const c of [1, 2]) {
			const want = channel(ys, c).map((v, i) => 0.75 * v + 0.25 * channel(yp, c)[i]);
			expectClose(channel(yh, c), want, 1e-5);
		}
		tf.dispose([s, p, zero, half, yh, ys, yp]);
	});

	it('clips to [0, 1] and refuses frames of different sizes', () => {
		const s = tf.fill([2, 2, 3], 0.98) as tf.Tensor3D;
		const p = tf.tensor3d([1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0], [2, 2, 3]);
		const out = keepColours(s, p, 1);
		const v = out.dataSync();
		expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...v)).toBeLessThanOrEqual(1);
		const small = tf.zeros([1, 2, 3]) as tf.Tensor3D;
		expect(() => keepColours(s, small, 1)).toThrow(RangeError);
		tf.dispose([s, p, out, small]);
	});

	it('leaks no tensors', () => {
		const s = picture(5, 0, 1);
		const p = picture(6, 0, 1);
		const before = tf.memory().numTensors;
		for (const a of [0, 0.5, 1]) keepColours(s, p, a).dispose();
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose([s, p]);
	});
});
