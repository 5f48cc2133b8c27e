import * as tf from '@tensorflow/tfjs';
import { unpackRgba } from '../render/pixels';

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

/**
 * Reads ImageBitmaps (already at the processing size) into tensors through one reusable 2D canvas
 * kept for CPU reads: the mirror is applied while drawing, so it costs nothing. Used by the style
 * worker, where tfjs' own fromPixels(ImageBitmap) makes a fresh GPU-backed canvas each frame (slow).
 * The bytes become floats in one loop into a reused array (on wasm, where a new tensor copies its values
 * into the backend's memory), not fromPixels + cast + divide: 0.4 ms instead of 4 ms at 344×256, and no
 * fresh arrays per frame for the garbage collector.
 */
export class BitmapReader {
	private canvas: OffscreenCanvas | null = null;
	private ctx: OffscreenCanvasRenderingContext2D | null = null;
	private floats: Float32Array | null = null;

	/** float [H, W, 3] in [0, 1]; caller disposes. */
	read(bitmap: ImageBitmap, mirror: boolean): tf.Tensor3D {
		const { width, height } = bitmap;
		if (!this.canvas || this.canvas.width !== width || this.canvas.height !== height) {
			this.canvas = new OffscreenCanvas(width, height);
			this.ctx = this.canvas.getContext('2d', { willReadFrequently: true });
		}
		const ctx = this.ctx;
		if (!ctx) throw new Error('2D canvas is not available in this worker');
		ctx.setTransform(mirror ? -1 : 1, 0, 0, 1, mirror ? width : 0, 0);
		ctx.drawImage(bitmap, 0, 0);
		return this.fromRgba(ctx.getImageData(0, 0, width, height).data, width, height);
	}

	/** RGBA bytes → float [H, W, 3] in [0, 1]; caller disposes. */
	fromRgba(rgba: Uint8ClampedArray, width: number, height: number): tf.Tensor3D {
		// Only on wasm may the array be reused: other backends (cpu) can keep the array itself as the tensor's values.
		const reuse = tf.getBackend() === 'wasm';
		const f = unpackRgba(rgba, width, height, reuse ? (this.floats ?? undefined) : undefined);
		if (reuse) this.floats = f;
		return tf.tensor3d(f, [height, width, 3]);
	}
}
