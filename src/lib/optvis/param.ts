/**
 * Image parameterizations: what the optimizer changes to make a picture. `{variables, image()}`:
 * `image()` gives a new [1, H, W, 3] RGB in [0, 1] from the variables (differentiable; the caller
 * owns it); `project()` runs after each step (e.g. keep pixels in range); `dispose()` frees it all.
 *
 *   pixels  — the pixels themselves (Gatys, DeepDream, inversion, fooling images);
 *   fourier — a decorrelated Fourier basis (lucid / lucent's `fft_image` + `to_valid_rgb`): 1/f-scaled
 *             spectrum → image, colours decorrelated, squashed by a sigmoid. Gradient steps then favour
 *             low frequencies and natural colours, which class visualizations need.
 */
import * as tf from '@tensorflow/tfjs';

export interface ImageParam {
	readonly height: number;
	readonly width: number;
	readonly variables: tf.Variable[];
	image(): tf.Tensor4D;
	/** After each optimizer step: put the variables back into their allowed set (in place). */
	project(): void;
	dispose(): void;
}

/** A trainable variable holding `value` (which it takes over: the temporary is freed). */
function variableOf(value: tf.Tensor): tf.Variable {
	const v = tf.variable(value, true, undefined, 'float32');
	value.dispose();
	return v;
}

export interface PixelBounds {
	/** Per-pixel lower and upper bounds (same shape as the image); default [0, 1]. Kept by the caller. */
	lo?: tf.Tensor4D;
	hi?: tf.Tensor4D;
}

/** The pixels themselves, starting from `init` [1, H, W, 3] (copied; the caller keeps `init`). */
export function pixelParam(init: tf.Tensor4D, bounds: PixelBounds = {}): ImageParam {
	const [, height, width] = init.shape;
	const v = variableOf(tf.clipByValue(init, 0, 1));
	return {
		height,
		width,
		variables: [v],
		image: () => tf.clone(v) as tf.Tensor4D,
		project() {
			tf.tidy(() => {
				let x: tf.Tensor = tf.clipByValue(v, 0, 1);
				if (bounds.lo) x = tf.maximum(x, bounds.lo);
				if (bounds.hi) x = tf.minimum(x, bounds.hi);
				v.assign(x as tf.Tensor4D);
			});
		},
		dispose: () => v.dispose()
	};
}

/** lucid's colour correlation (ImageNet, square root of its covariance, by SVD), columns normalized. */
const COLOR_CORRELATION_SVD_SQRT = [
	[0.26, 0.09, 0.02],
	[0.27, 0.0, -0.05],
	[0.27, -0.09, 0.03]
];

function colorMatrix(): number[][] {
	const norms = [0, 1, 2].map((j) => Math.hypot(...COLOR_CORRELATION_SVD_SQRT.map((r) => r[j])));
	const max = Math.max(...norms);
	return COLOR_CORRELATION_SVD_SQRT.map((r) => r.map((v) => v / max));
}

/** cos and sin of 2π·k·n/N as [N, K] matrices (rows: position n, columns: frequency k < K). */
function basis(n: number, k: number): [tf.Tensor2D, tf.Tensor2D] {
	const c = new Float32Array(n * k);
	const s = new Float32Array(n * k);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < k; j++) {
			const a = (2 * Math.PI * i * j) / n;
			c[i * k + j] = Math.cos(a);
			s[i * k + j] = Math.sin(a);
		}
	}
	return [tf.tensor2d(c, [n, k]), tf.tensor2d(s, [n, k])];
}

export interface FourierOptions {
	/** Spectrum decay: amplitude ∝ 1/f^decay (lucid: 1). */
	decay?: number;
	/** Standard deviation of the random initial spectrum (lucid: 0.01). */
	sd?: number;
	seed?: number;
}

/**
 * A real image as a sum of 2-D cosines/sines with trainable coefficients A, B [3, H, W/2+1]:
 * x = C_y·A·C_xᵀ − S_y·A·S_xᵀ − S_y·B·C_xᵀ − C_y·B·S_xᵀ (the real inverse DFT, written as matrix
 * products: the wasm backend has no FFT kernels and matMul differentiates everywhere), scaled per
 * frequency by 1/max(f, 1/max(H, W))^decay and by 1/√(HW), then decorrelated colours and a sigmoid.
 */
export function fourierParam(height: number, width: number, options: FourierOptions = {}): ImageParam {
	const decay = options.decay ?? 1;
	const sd = options.sd ?? 0.01;
	const seed = options.seed ?? 0;
	const kx = Math.floor(width / 2) + 1;
	const consts = tf.tidy(() => {
		const [cy, sy] = basis(height, height);
		const [cx, sx] = basis(width, kx);
		const scale = new Float32Array(height * kx);
		for (let i = 0; i < height; i++) {
			const fy = (i <= height / 2 ? i : i - height) / height;
			for (let j = 0; j < kx; j++) {
				const f = Math.hypot(fy, j / width);
				scale[i * kx + j] = 1 / Math.pow(Math.max(f, 1 / Math.max(height, width)), decay) / Math.sqrt(height * width) / 4;
			}
		}
		const stack = (m: tf.Tensor2D) => tf.stack([m, m, m]) as tf.Tensor3D;
		return {
			cy: stack(cy),
			sy: stack(sy),
			cxT: stack(tf.transpose(cx) as tf.Tensor2D),
			sxT: stack(tf.transpose(sx) as tf.Tensor2D),
			scale: tf.tensor2d(scale, [height, kx]),
			color: tf.transpose(tf.tensor2d(colorMatrix())) as tf.Tensor2D
		};
	});
	const a = variableOf(tf.randomNormal([3, height, kx], 0, sd, 'float32', seed));
	const b = variableOf(tf.randomNormal([3, height, kx], 0, sd, 'float32', seed + 1));
	return {
		height,
		width,
		variables: [a, b],
		image: () =>
			tf.tidy(() => {
				const { cy, sy, cxT, sxT, scale, color } = consts;
				const as = tf.mul(a, scale) as tf.Tensor3D;
				const bs = tf.mul(b, scale) as tf.Tensor3D;
				const x = tf.addN([
					tf.matMul(tf.matMul(cy, as), cxT),
					tf.neg(tf.matMul(tf.matMul(sy, as), sxT)),
					tf.neg(tf.matMul(tf.matMul(sy, bs), cxT)),
					tf.neg(tf.matMul(tf.matMul(cy, bs), sxT))
				]) as tf.Tensor3D; // [3, H, W]
				const hwc = tf.reshape(tf.transpose(x, [1, 2, 0]), [height * width, 3]) as tf.Tensor2D;
				return tf.reshape(tf.sigmoid(tf.matMul(hwc, color)), [1, height, width, 3]) as tf.Tensor4D;
			}),
		project() {},
		dispose() {
			tf.dispose([a, b, ...Object.values(consts)]);
		}
	};
}
