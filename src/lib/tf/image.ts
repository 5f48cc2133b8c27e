import * as tf from '@tensorflow/tfjs';

/** Pixels of a frame source as float32 [H, W, 3] in [0, 1], optionally resized and mirrored. One tidy. */
export function frameToTensor(
	source: HTMLVideoElement | HTMLCanvasElement | ImageBitmap | OffscreenCanvas,
	opts: { width?: number; height?: number; mirror?: boolean } = {}
): tf.Tensor3D {
	return tf.tidy(() => {
		let t: tf.Tensor3D = tf.browser.fromPixels(source as HTMLCanvasElement);
		let f: tf.Tensor3D = tf.div(tf.cast(t, 'float32'), 255);
		if (opts.width && opts.height && (opts.width !== t.shape[1] || opts.height !== t.shape[0])) {
			f = tf.image.resizeBilinear(f, [opts.height, opts.width], true);
		}
		if (opts.mirror) f = tf.reverse(f, 1);
		return f;
	});
}

/** float [H, W, 3] in [0,1] → int32 [H, W, 4] RGBA bytes (one tidy). */
export function toRgbaBytes(image: tf.Tensor3D): tf.Tensor3D {
	return tf.tidy(() => {
		const [h, w] = image.shape;
		const rgb = tf.round(tf.mul(tf.clipByValue(image, 0, 1), 255));
		const alpha = tf.fill([h, w, 1], 255);
		return tf.cast(tf.concat([rgb, alpha], 2), 'int32') as tf.Tensor3D;
	});
}

/** Output size for a source with the short side scaled to `shortSide` (never upscaled), even dims. */
export function scaleToShortSide(width: number, height: number, shortSide: number | null): { width: number; height: number } {
	if (!shortSide || Math.min(width, height) <= shortSide) return { width: even(width), height: even(height) };
	const s = shortSide / Math.min(width, height);
	return { width: even(Math.round(width * s)), height: even(Math.round(height * s)) };
}

function even(n: number): number {
	return Math.max(2, n - (n % 2));
}
