/**
 * Pictures as plain data ↔ tensors (the tensor half of pixels.ts). Each conversion reads a tensor back
 * once; they are for the CPU path (wasm/cpu, where tensors live in CPU memory anyway) and for small
 * images (maps, grids, filters).
 */
import * as tf from '@tensorflow/tfjs';
import { packRgba, type PixelImage, type ScalarMap } from './pixels';

/** [H, W, 3] float in [0, 1] → RGBA bytes (reads the tensor back; does not dispose it). */
export async function tensorToPixels(image: tf.Tensor3D, into?: Uint8ClampedArray): Promise<PixelImage> {
	const [height, width, c] = image.shape;
	if (c !== 3) throw new RangeError(`tensorToPixels: needs [H, W, 3], got [${image.shape}]`);
	const data = packRgba(await image.data(), width, height, into);
	return { width, height, data };
}

/** RGBA bytes → float [H, W, 3] in [0, 1]. One tidy; caller disposes. */
export function pixelsToTensor(img: PixelImage): tf.Tensor3D {
	return tf.tidy(() => {
		const rgba = tf.tensor3d(Int32Array.from(img.data), [img.height, img.width, 4], 'int32');
		return tf.div(tf.cast(tf.slice(rgba, [0, 0, 0], [-1, -1, 3]), 'float32'), 255) as tf.Tensor3D;
	});
}

/** [h, w] tensor → plain map (reads it back; does not dispose it). */
export async function tensorToMap(map: tf.Tensor2D): Promise<ScalarMap> {
	const [height, width] = map.shape;
	// A copy: on some backends data() is the tensor's own memory, and maps are transferred between threads.
	return { width, height, data: Float32Array.from(await map.data()) };
}

/** Plain map → [h, w] tensor; caller disposes. */
export function mapToTensor(map: ScalarMap): tf.Tensor2D {
	return tf.tensor2d(Float32Array.from(map.data), [map.height, map.width]);
}
