import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fourierParam } from '../../../src/lib/optvis/param';
import { compose, gaussianBlur, jitter, roll, rotateBy, scale, seededRng } from '../../../src/lib/optvis/transforms';

const img = () => tf.randomUniform([1, 20, 16, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
const value = async (t: tf.Tensor) => {
	const [v] = await t.data();
	t.dispose();
	return v;
};

describe('transforms', () => {
	it('roll is undone by the opposite roll, and moves pixel (0,0) to (dy,dx)', async () => {
		const x = img();
		const back = tf.tidy(() => roll(roll(x, 3, -5), -3, 5));
		expect(await value(tf.max(tf.abs(tf.sub(back, x))))).toBe(0);
		const r = roll(x, 3, -5);
		expect(await value(tf.sub(tf.slice(r, [0, 3, 11, 0], [1, 1, 1, 1]).sum(), tf.slice(x, [0, 0, 0, 0], [1, 1, 1, 1]).sum()))).toBe(0);
		tf.dispose([x, back, r]);
	});

	it('rotation by 0 is the identity; its gradient is (close to) the adjoint', async () => {
		const x = img();
		expect(await value(tf.max(tf.abs(tf.sub(rotateBy(x, 0), x))))).toBeLessThan(1e-5);
		// ⟨R x, y⟩ = ⟨x, Rᵀ y⟩, and tf.grad of ⟨R x, y⟩ w.r.t. x is what our gradient says Rᵀ y is.
		const y = tf.randomUniform(x.shape, 0, 1, 'float32', 2);
		const lhs = await value(tf.tidy(() => tf.sum(tf.mul(rotateBy(x, 10), y))));
		const g = tf.grad((t) => tf.sum(tf.mul(rotateBy(t as tf.Tensor4D, 10), y)))(x);
		const rhs = await value(tf.tidy(() => tf.sum(tf.mul(x, g))));
		expect(Math.abs(lhs - rhs) / Math.abs(lhs)).toBeLessThan(0.08);
		tf.dispose([x, y, g]);
	});

	it('blur keeps a constant image and the mean, and smooths noise', async () => {
		const flat = tf.fill([1, 12, 12, 3], 0.3) as tf.Tensor4D;
		expect(await value(tf.max(tf.abs(tf.sub(gaussianBlur(flat, 1.5), 0.3))))).toBeLessThan(1e-5);
		const x = img();
		const b = gaussianBlur(x, 1);
		expect(b.shape).toEqual(x.shape);
		const tv = (t: tf.Tensor4D) => tf.mean(tf.abs(tf.sub(tf.slice(t, [0, 1, 0, 0], [-1, -1, -1, -1]), tf.slice(t, [0, 0, 0, 0], [-1, 19, -1, -1]))));
		expect(await value(tv(b))).toBeLessThan(0.5 * (await value(tv(x))));
		expect(Math.abs((await value(tf.mean(b))) - (await value(tf.mean(x))))).toBeLessThan(0.02);
		tf.dispose([flat, x, b]);
	});

	it('jitter crops d pixels; scale resizes; a seeded composition repeats exactly', async () => {
		const x = img();
		const t = compose(jitter(4), scale([0.75]));
		const a = t(x, seededRng(5));
		expect(a.shape).toEqual([1, 12, 9, 3]);
		const b = t(x, seededRng(5));
		expect(await value(tf.max(tf.abs(tf.sub(a, b))))).toBe(0);
		tf.dispose([x, a, b]);
	});
});

describe('Fourier parameterization', () => {
	it('gives a valid image whose gradient reaches the spectrum, and frees everything', async () => {
		const before = tf.memory().numTensors;
		const p = fourierParam(16, 20, { seed: 1 });
		const im = p.image();
		expect(im.shape).toEqual([1, 16, 20, 3]);
		const [lo, hi] = [await value(tf.min(im)), await value(tf.max(im))]; // (min/max of a tensor: one result each, freed)
		expect(lo).toBeGreaterThan(0);
		expect(hi).toBeLessThan(1);
		im.dispose();
		const { grads, value: v } = tf.variableGrads(() => tf.mean(tf.slice(p.image(), [0, 0, 0, 0], [1, 8, 10, 1])) as tf.Scalar, p.variables);
		for (const g of Object.values(grads)) expect(await value(tf.tidy(() => tf.sum(tf.abs(g))))).toBeGreaterThan(0);
		tf.dispose([v, ...Object.values(grads)]);
		p.dispose();
		expect(tf.memory().numTensors).toBe(before);
	});
});
