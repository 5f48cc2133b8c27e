/**
 * Transforms applied to the image before the network sees it, a new random draw every step, so the
 * optimized picture has to work under all of them (robustness against adversarial noise: lucid's
 * transform.py). Each is `(image [1,H,W,3], rng) → image`, differentiable; `compose` chains them.
 */
import * as tf from '@tensorflow/tfjs';

import { seededRng, type Rng } from '../rng';

export { seededRng, type Rng };
export type Transform = (image: tf.Tensor4D, rng: Rng) => tf.Tensor4D;

const pick = <T>(xs: readonly T[], rng: Rng): T => xs[Math.min(xs.length - 1, Math.floor(rng() * xs.length))];
const randInt = (lo: number, hi: number, rng: Rng) => lo + Math.floor(rng() * (hi - lo + 1));

export function compose(...ts: Transform[]): Transform {
	return (image, rng) => ts.reduce((x, t) => t(x, rng), image);
}

/** A random crop d pixels smaller in each direction (lucid's jitter). */
export function jitter(d: number): Transform {
	return (image, rng) => {
		if (d <= 0) return image;
		const [, h, w] = image.shape;
		return tf.slice(image, [0, randInt(0, d, rng), randInt(0, d, rng), 0], [-1, h - d, w - d, -1]);
	};
}

/** Shift by up to ±d pixels with wrap-around (DeepDream's jitter); `unroll` undoes a shift. */
export function roll(image: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
	return tf.tidy(() => {
		const [, h, w] = image.shape;
		const sy = ((dy % h) + h) % h;
		const sx = ((dx % w) + w) % w;
		let x = image;
		if (sy) x = tf.concat([tf.slice(x, [0, h - sy, 0, 0], [-1, sy, -1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, h - sy, -1, -1])], 1);
		if (sx) x = tf.concat([tf.slice(x, [0, 0, w - sx, 0], [-1, -1, sx, -1]), tf.slice(x, [0, 0, 0, 0], [-1, -1, w - sx, -1])], 2);
		return x;
	});
}

export function randomRoll(d: number): Transform {
	return (image, rng) => (d <= 0 ? image : roll(image, randInt(-d, d, rng), randInt(-d, d, rng)));
}

/** Resize by a factor drawn from `factors` (bilinear; differentiable). */
export function scale(factors: readonly number[]): Transform {
	return (image, rng) => {
		const s = pick(factors, rng);
		if (s === 1) return image;
		const [, h, w] = image.shape;
		return tf.image.resizeBilinear(image, [Math.max(8, Math.round(h * s)), Math.max(8, Math.round(w * s))], false, true);
	};
}

function rotationMatrix(deg: number, h: number, w: number): tf.Tensor2D {
	const t = (deg * Math.PI) / 180;
	const [c, s] = [Math.cos(t), Math.sin(t)];
	const [cx, cy] = [(w - 1) / 2, (h - 1) / 2];
	// Output (x, y) reads input (c·(x−cx) − s·(y−cy) + cx, s·(x−cx) + c·(y−cy) + cy).
	return tf.tensor2d([[c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy, 0, 0]]);
}

/**
 * Rotate by `deg` about the centre. tf.image.transform has no gradient, so this one passes the gradient
 * back through the opposite rotation (the adjoint of a rotation is the inverse rotation, up to
 * interpolation at the edges).
 */
export function rotateBy(image: tf.Tensor4D, deg: number): tf.Tensor4D {
	const [, h, w] = image.shape;
	const f = tf.customGrad((x) => {
		const value = tf.tidy(() => tf.image.transform(x as tf.Tensor4D, rotationMatrix(deg, h, w), 'bilinear', 'reflect'));
		return { value, gradFunc: (dy) => tf.tidy(() => tf.image.transform(dy as tf.Tensor4D, rotationMatrix(-deg, h, w), 'bilinear', 'constant')) };
	});
	return f(image) as tf.Tensor4D;
}

/** Rotate by an angle (degrees) drawn from `angles`. */
export function rotate(angles: readonly number[]): Transform {
	return (image, rng) => {
		const a = pick(angles, rng);
		return a === 0 ? image : rotateBy(image, a);
	};
}

/** A normalized Gaussian kernel of the given sigma, as a per-channel [k, k, 3, 3] conv2d filter. */
function gaussianFilter(sigma: number): tf.Tensor4D {
	const r = Math.max(1, Math.ceil(2 * sigma));
	const k1 = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
	const total = k1.reduce((a, b) => a + b, 0);
	const k = 2 * r + 1;
	const data = new Float32Array(k * k * 9);
	for (let y = 0; y < k; y++)
		for (let x = 0; x < k; x++) for (let c = 0; c < 3; c++) data[((y * k + x) * 3 + c) * 3 + c] = (k1[y] * k1[x]) / (total * total);
	return tf.tensor4d(data, [k, k, 3, 3]);
}

/**
 * Gaussian blur (a conv2d with a block-diagonal kernel: differentiable on every backend; the wasm
 * backend has no depthwise backward kernel). Edges are padded by reflection.
 */
export function gaussianBlur(image: tf.Tensor4D, sigma: number): tf.Tensor4D {
	if (sigma <= 0) return image;
	return tf.tidy(() => {
		const filter = gaussianFilter(sigma);
		const r = (filter.shape[0] - 1) / 2;
		const [, h, w] = image.shape;
		if (r >= h || r >= w) return tf.conv2d(image, filter, 1, 'same') as tf.Tensor4D; // too small to reflect
		const padded = tf.mirrorPad(image, [[0, 0], [r, r], [r, r], [0, 0]], 'reflect');
		return tf.conv2d(padded, filter, 1, 'valid') as tf.Tensor4D;
	});
}

export function blur(sigma: number): Transform {
	return (image) => gaussianBlur(image, sigma);
}
