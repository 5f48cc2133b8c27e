/**
 * Pictures as plain data ↔ tensors (the tensor half of pixels.ts). Each conversion reads a tensor back
 * once; they are for the CPU path (wasm/cpu, where tensors live in CPU memory anyway) and for small
 * images (maps, grids, filters).
 */
import * as tf from '@tensorflow/tfjs';
import { packRgba, unpackRgba, type PixelImage, type ScalarMap } from './pixels';

/** [H, W, 3] float in [0, 1] → RGBA bytes (reads the tensor back; does not dispose it). */
export async function tensorToPixels(image: tf.Tensor3D, into?: Uint8ClampedArray): Promise<PixelImage> {
	const [height, width, c] = image.shape;
	if (c !== 3) throw new RangeError(`tensorToPixels: needs [H, W, 3], got [${image.shape}]`);
	const heap = heapView(image);
	// Packed at once from the backend's memory, before anything can run on it.
	const data = packRgba(heap ?? (await image.data()), width, height, into);
	return { width, height, data };
}

/**
 * On the wasm backend, the tensor's values as a view of the backend's own memory (its public
 * `typedArrayFromHeap`), not a copy: a live frame's read-back then allocates nothing (a fresh 1–4 MB
 * array per frame kept the garbage collector busy: reading a 688×512 frame took 13 ms at the median
 * and 1.9 ms at best). The view is valid only until the next tensor op (memory can grow and move), so
 * use it at once. Null on other backends.
 */
function heapView(t: tf.Tensor): Float32Array | null {
	if (t.dtype !== 'float32' || tf.getBackend() !== 'wasm') return null;
	const backend = tf.backend() as unknown as { typedArrayFromHeap?: (info: tf.TensorInfo) => unknown };
	if (typeof backend.typedArrayFromHeap !== 'function') return null;
	const view = backend.typedArrayFromHeap({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
	return view instanceof Float32Array ? view : null;
}

/** RGBA bytes → float [H, W, 3] in [0, 1]; caller disposes. */
export function pixelsToTensor(img: PixelImage): tf.Tensor3D {
	return tf.tensor3d(unpackRgba(img.data, img.width, img.height), [img.height, img.width, 3]);
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
