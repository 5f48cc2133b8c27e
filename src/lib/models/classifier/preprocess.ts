import * as tf from '@tensorflow/tfjs';

/** Keras "caffe" ImageNet mean, in BGR order, for 0..255 pixel values. */
export const IMAGENET_MEAN_BGR: readonly [number, number, number] = [103.939, 116.779, 123.68];

/**
 * Images [N, H, W, 3] RGB in [0, 1] → the network's input at the same size: RGB → BGR, ×255, minus the
 * mean (the lab optimizes images of any size through it; differentiable).
 */
export function caffeInput(images: tf.Tensor4D): tf.Tensor4D {
	return tf.tidy(() => tf.sub(tf.mul(tf.reverse(images, 3), 255), tf.tensor1d(IMAGENET_MEAN_BGR as unknown as number[])) as tf.Tensor4D);
}

/** The network input of an all-zero image (the ImageNet mean colour), as RGB in [0, 1]. */
export const MEAN_RGB01: readonly [number, number, number] = [IMAGENET_MEAN_BGR[2] / 255, IMAGENET_MEAN_BGR[1] / 255, IMAGENET_MEAN_BGR[0] / 255];

/**
 * Frame [H, W, 3] RGB in [0, 1] → [1, size, size, 3] Keras-caffe input: the whole frame squashed to
 * size² (no crop: a heat map at the network's resolution then maps back onto the whole frame by a plain
 * resize), RGB → BGR, ×255, minus the mean. One tidy; the caller disposes the result.
 */
export function preprocessFrame(frame: tf.Tensor3D, size = 224): tf.Tensor4D {
	return tf.tidy(() => {
		let x: tf.Tensor3D = frame.dtype === 'float32' ? frame : tf.cast(frame, 'float32');
		if (x.shape[0] !== size || x.shape[1] !== size) x = tf.image.resizeBilinear(x, [size, size], false, true);
		return caffeInput(tf.expandDims(x, 0) as tf.Tensor4D);
	});
}

/** Inverse of preprocessFrame for one image: [1, s, s, 3] network input → [s, s, 3] RGB in [0, 1]. */
export function deprocess(input: tf.Tensor4D): tf.Tensor3D {
	return tf.tidy(() => {
		const bgr = tf.add(tf.squeeze(input, [0]), tf.tensor1d(IMAGENET_MEAN_BGR as unknown as number[]));
		return tf.clipByValue(tf.div(tf.reverse(bgr, 2), 255), 0, 1) as tf.Tensor3D;
	});
}
