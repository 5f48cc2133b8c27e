/**
 * Convolution input gradients by FORWARD convolutions, for backends whose gradient kernels are slow or
 * missing (wasm). conv2d: zero-inserted upstream gradient, flipped and transposed kernel, instead of
 * Conv2DBackpropInput: on wasm that kernel is a plain loop while forward convolutions run through
 * XNNPACK, and the backward pass of ResNet50 took ~10× its forward pass (the lab optimizes images through
 * it, so this is its speed). depthwiseConv2d: wasm has no DepthwiseConv2dNativeBackpropInput at all; at
 * stride 1 the input gradient is a depthwise convolution of the upstream gradient with the spatially
 * flipped kernel (`installDepthwiseInputGrad`; the style learner differentiates the style network).
 * The weights are constants here (no filter gradient from conv2dFastGrad: the lab never trains).
 */
import * as tf from '@tensorflow/tfjs';

/** Padding before (top or left) that tf.conv2d applies along one axis. */
export function padBefore(inSize: number, outSize: number, k: number, stride: number, padding: 'same' | 'valid'): number {
	if (padding === 'valid') return 0;
	return Math.floor(Math.max((outSize - 1) * stride + k - inSize, 0) / 2);
}

/** dy [N, h, w, C] → zeros between the values so they sit at multiples of the stride. */
function zeroInsert(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
	const [n, h, w, c] = dy.shape;
	let x: tf.Tensor4D = dy;
	if (sw > 1) {
		const z = tf.zerosLike(x);
		x = tf.reshape(tf.stack([x, ...Array(sw - 1).fill(z)], 3), [n, h, w * sw, c]);
		x = tf.slice(x, [0, 0, 0, 0], [-1, -1, (w - 1) * sw + 1, -1]);
	}
	if (sh > 1) {
		const w2 = x.shape[2];
		const z = tf.zerosLike(x);
		x = tf.reshape(tf.stack([x, ...Array(sh - 1).fill(z)], 2), [n, h * sh, w2, c]);
		x = tf.slice(x, [0, 0, 0, 0], [-1, (h - 1) * sh + 1, -1, -1]);
	}
	return x;
}

/** Pads (positive) or crops (negative) one spatial axis at both ends. */
function padOrCrop(x: tf.Tensor4D, axis: 1 | 2, before: number, after: number): tf.Tensor4D {
	const pads: [number, number][] = [
		[0, 0],
		[0, 0],
		[0, 0],
		[0, 0]
	];
	pads[axis] = [Math.max(0, before), Math.max(0, after)];
	if (before > 0 || after > 0) x = tf.pad(x, pads);
	if (before < 0 || after < 0) {
		const begin = [0, 0, 0, 0];
		const size = [-1, -1, -1, -1];
		begin[axis] = Math.max(0, -before);
		size[axis] = x.shape[axis] - Math.max(0, -before) - Math.max(0, -after);
		x = tf.slice(x, begin, size);
	}
	return x;
}

/** The kernel flipped in space with its in/out channels swapped: what the input gradient convolves with. */
export function flipKernel(kernel: tf.Tensor4D): tf.Tensor4D {
	return tf.tidy(() => tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D);
}

/**
 * ∂(Σ conv2d(x, W) · dy)/∂x for an input of shape `xShape`, by one forward convolution with
 * `flipped` = flipKernel(W).
 */
export function conv2dInputGrad(dy: tf.Tensor4D, flipped: tf.Tensor4D, xShape: readonly number[], strides: [number, number], padding: 'same' | 'valid'): tf.Tensor4D {
	return tf.tidy(() => {
		const [kh, kw] = flipped.shape;
		const [, H, W] = xShape;
		const [, ho, wo] = dy.shape;
		const pt = padBefore(H, ho, kh, strides[0], padding);
		const pl = padBefore(W, wo, kw, strides[1], padding);
		let z = zeroInsert(dy, strides[0], strides[1]);
		// Full correlation with the flipped kernel, aligned so output i reads dyz[i + p − (k−1) … i + p].
		const top = kh - 1 - pt;
		const left = kw - 1 - pl;
		z = padOrCrop(z, 1, top, H + kh - 1 - top - z.shape[1]);
		z = padOrCrop(z, 2, left, W + kw - 1 - left - z.shape[2]);
		return tf.conv2d(z, flipped, 1, 'valid');
	});
}

/**
 * tf.conv2d(x, kernel, strides, padding) with the input gradient above. `flipped()` gives the flipped
 * kernel, made once on the first backward pass and kept by the caller (a forward-only use never makes it).
 */
export function conv2dFastGrad(kernel: tf.Tensor4D, strides: [number, number], padding: 'same' | 'valid', flipped: () => tf.Tensor4D = () => flipKernel(kernel)): (x: tf.Tensor4D) => tf.Tensor4D {
	const f = tf.customGrad((x, save) => {
		const xt = x as tf.Tensor4D;
		(save as tf.GradSaveFunc)([xt]);
		return {
			value: tf.conv2d(xt, kernel, strides, padding),
			gradFunc: (dy, [saved]) => conv2dInputGrad(dy as tf.Tensor4D, flipped(), saved.shape, strides, padding)
		};
	});
	return (x) => f(x) as tf.Tensor4D;
}

/**
 * ∂(Σ depthwiseConv2d(x, W, 1, padding) · dy)/∂x for channel multiplier 1, by one forward depthwise
 * convolution of the padded dy with the spatially flipped kernel.
 */
export function depthwiseInputGrad(dy: tf.Tensor4D, kernel: tf.Tensor4D, xShape: readonly number[], padding: 'same' | 'valid'): tf.Tensor4D {
	return tf.tidy(() => {
		const [kh, kw] = kernel.shape;
		const [, H, W] = xShape;
		const [, ho, wo] = dy.shape;
		const top = kh - 1 - padBefore(H, ho, kh, 1, padding);
		const left = kw - 1 - padBefore(W, wo, kw, 1, padding);
		let z = padOrCrop(dy, 1, top, H + kh - 1 - top - ho);
		z = padOrCrop(z, 2, left, W + kw - 1 - left - wo);
		return tf.depthwiseConv2d(z, tf.reverse(kernel, [0, 1]) as tf.Tensor4D, 1, 'valid');
	});
}

type ConvAttrs = { strides: number | [number, number]; dilations?: number | [number, number]; pad: unknown; dataFormat?: string };
const installed = new Set<string>();

/**
 * Replaces the input gradient of kernel `kernelName` (inputs x, filter) by `fast` where it answers one,
 * keeping tfjs's own gradient for the filter and for the cases `fast` declines (null).
 */
function overrideInputGrad(kernelName: string, fast: (dy: tf.Tensor4D, x: tf.Tensor4D, filter: tf.Tensor4D, a: ConvAttrs) => (() => tf.Tensor) | null): void {
	if (installed.has(kernelName)) return;
	const original = tf.getGradient(kernelName);
	if (!original) throw new Error(`tfjs has no gradient for ${kernelName} to extend`);
	tf.registerGradient({
		kernelName,
		inputsToSave: ['x', 'filter'],
		gradFunc: (dy, saved, attrs) => {
			const base = original.gradFunc(dy, saved, attrs);
			const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
			const x2 = fast(dy as tf.Tensor4D, x, filter, attrs as unknown as ConvAttrs);
			return x2 ? { ...base, x: x2 } : base;
		}
	});
	installed.add(kernelName);
}

const ones = (v: number | [number, number] | undefined) => v === undefined || (Array.isArray(v) ? v.every((n) => n === 1) : v === 1);
const samePadding = (a: ConvAttrs): a is ConvAttrs & { pad: 'same' | 'valid' } => a.pad === 'same' || a.pad === 'valid';

/**
 * Makes the input gradient of every plain tf.conv2d (dilation 1, NHWC, 'same' or 'valid') one forward
 * convolution with the flipped kernel (conv2dInputGrad), instead of the backend's Conv2DBackpropInput
 * (a plain loop on wasm). The filter gradient stays tfjs's. For code that differentiates networks it
 * does not own (the style learner through the style network); the classifier keeps its per-layer
 * conv2dFastGrad. Idempotent; once per thread.
 */
export function installConv2dInputGrad(): void {
	overrideInputGrad('Conv2D', (dy, x, filter, a) => {
		if (!ones(a.dilations) || (a.dataFormat ?? 'NHWC') !== 'NHWC' || !samePadding(a)) return null;
		const strides: [number, number] = Array.isArray(a.strides) ? a.strides : [a.strides, a.strides];
		return () => conv2dInputGrad(dy, flipKernel(filter), x.shape, strides, a.pad);
	});
}

/**
 * Makes tf.depthwiseConv2d differentiable on every backend: its input gradient is `depthwiseInputGrad`
 * where it can be (stride 1, dilation 1, channel multiplier 1, 'same' or 'valid' padding: every depthwise
 * convolution of the style network), tfjs's own otherwise (whose DepthwiseConv2dNativeBackpropInput
 * kernel wasm lacks). The filter gradient stays tfjs's. Idempotent; once per thread.
 */
export function installDepthwiseInputGrad(): void {
	overrideInputGrad('DepthwiseConv2dNative', (dy, x, filter, a) => {
		if (!ones(a.strides) || !ones(a.dilations) || filter.shape[3] !== 1 || !samePadding(a)) return null;
		return () => depthwiseInputGrad(dy, filter, x.shape, a.pad);
	});
}
