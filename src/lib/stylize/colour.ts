/**
 * Keep colours: the stylized frame's luminance with the camera frame's chrominance (YCbCr, BT.601,
 * full range), and an amount between the painting's colours (0) and the photo's (1).
 *
 * In YCbCr the chroma-only change of an RGB difference d is d − Y(d)·(1, 1, 1) (BT.601's inverse
 * maps (Y, 0, 0) to grey (Y, Y, Y)), so mixing the chroma by `amount` while keeping the stylized
 * luma is one 3×3 colour matrix on the difference photo − stylized:
 *
 *   out = s + amount · (p − s) · K,   K[i][j] = δij − w_i,   w = (0.299, 0.587, 0.114)
 *
 * One elementwise pass (sub, 3×3 matmul, add, clip): on WebGL a few shader passes, no read-back.
 */
import * as tf from '@tensorflow/tfjs';

/** BT.601 luma weights of R, G, B. */
export const LUMA_BT601 = [0.299, 0.587, 0.114] as const;

/** The 3×3 matrix (row i: input channel, column j: output channel) of `amount` · "chroma of a difference". */
export function chromaMatrix(amount: number): number[][] {
	return [0, 1, 2].map((i) => [0, 1, 2].map((j) => amount * ((i === j ? 1 : 0) - LUMA_BT601[i])));
}

/**
 * `stylized`, `photo`: float [H, W, 3] in [0, 1], the same size. Returns a new tensor (the caller
 * disposes it; inputs are left alone) clipped to [0, 1]. amount 0 gives `stylized` (a copy).
 */
export function keepColours(stylized: tf.Tensor3D, photo: tf.Tensor3D, amount: number): tf.Tensor3D {
	if (stylized.shape.join() !== photo.shape.join()) throw new RangeError(`keepColours: sizes differ, [${stylized.shape}] and [${photo.shape}]`);
	const a = Math.min(1, Math.max(0, Number.isFinite(amount) ? amount : 0));
	if (a === 0) return tf.clone(stylized);
	return tf.tidy(() => {
		const [h, w] = stylized.shape;
		const d = tf.reshape(tf.sub(photo, stylized), [h * w, 3]) as tf.Tensor2D;
		const k = tf.tensor2d(chromaMatrix(a));
		return tf.clipByValue(tf.add(stylized, tf.reshape(tf.matMul(d, k), [h, w, 3])), 0, 1) as tf.Tensor3D;
	});
}

/** Y, Cb, Cr (BT.601 full range, Cb/Cr centred on 0) of a float [H, W, 3] RGB tensor: for tests and checks. */
export function toYCbCr(rgb: tf.Tensor3D): tf.Tensor3D {
	return tf.tidy(() => {
		const [h, w] = rgb.shape;
		const m = tf.tensor2d([
			[0.299, -0.168736, 0.5],
			[0.587, -0.331264, -0.418688],
			[0.114, 0.5, -0.081312]
		]);
		return tf.reshape(tf.matMul(tf.reshape(rgb, [h * w, 3]), m), [h, w, 3]) as tf.Tensor3D;
	});
}
