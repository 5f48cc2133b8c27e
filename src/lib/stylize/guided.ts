/**
 * Detail from the camera frame: upsample the stylized frame (processing size) to the size of a
 * larger camera frame, taking the edges from the camera frame and the strokes from the network.
 *
 * It is the fast guided filter (K. He and J. Sun, "Fast Guided Filter", arXiv:1505.00996, 2015) on
 * the guided filter's local linear model (K. He, J. Sun and X. Tang, "Guided Image Filtering",
 * ECCV 2010): in every (2r+1)² window of the low-resolution pair, stylized ≈ a · guide + b with
 *
 *   a = cov(I, p) / (var(I) + ε)   (box filters = avgPool; each colour channel guided by its own)
 *
 * then a is averaged over the windows (ā) and upsampled bilinearly. As He & Sun do, the statistics may
 * be taken at a subsampled resolution (on the CPU backends half the processing size: a quarter of its
 * pixels, with the window's radius halved so it covers the same part of the picture; see
 * defaultSubsample); only the gain is then brought back up. We apply the model to the detail layer only, so where the camera frame has no detail the
 * result is the plain upscale:
 *
 *   out = up(p) + amount · up(ā) · (I_high − up(I_low))
 *       ≈ up(p − amount·ā·I_low) + up(amount·ā) · I_high          (two resizes at full size)
 *
 * (He & Sun's q = up(ā)·I_high + up(b̄) equals this up to the smoothing of p by the two box filters,
 * which would blur the network's strokes.) amount 0 is today's plain bilinear upscale.
 */
import * as tf from '@tensorflow/tfjs';

export interface GuidedOptions {
	/** Box radius at the low resolution (window 2r+1). */
	radius: number;
	/** Regularization: a local variance of the guide well below ε counts as flat. */
	eps: number;
	/** The statistics are taken at 1/subsample of the processing size (1: at the processing size; default: defaultSubsample()). */
	subsample: number;
}

export const GUIDED_DEFAULTS: Omit<GuidedOptions, 'subsample'> = { radius: 2, eps: 1e-3 };

/**
 * Where the statistics are taken by default, by what costs on the backend running: on the CPU
 * backends a kernel costs by its pixels, so at half the processing size (2; 45 % less time on wasm at
 * 256p); on WebGL a small kernel costs by its pass, so at the processing size (1: three resizes fewer,
 * 39 shader passes a frame against 43; docs/picture.md).
 */
export function defaultSubsample(): number {
	return tf.getBackend() === 'webgl' ? 1 : 2;
}

/**
 * `low`: float [h, w, 3] (the stylized frame); `guide`: float [H, W, 3] (the camera frame, H ≥ h,
 * W ≥ w); `lowGuide`: the same camera frame at [h, w] where the caller has it (the live path: the
 * network's input), else it is resized from `guide`. Returns a new [H, W, 3] tensor (the caller
 * disposes it; inputs are left alone). It is not clipped (one pass less at full size): the added
 * detail can leave [0, 1] a little at strong edges, and the renderers clip when they draw.
 */
export function guidedUpsample(
	low: tf.Tensor3D,
	guide: tf.Tensor3D,
	amount: number,
	options: Partial<GuidedOptions> & { lowGuide?: tf.Tensor3D } = {}
): tf.Tensor3D {
	const { radius, eps, subsample = defaultSubsample(), lowGuide } = { ...GUIDED_DEFAULTS, ...options };
	const [h, w] = low.shape;
	const [H, W] = guide.shape;
	if (H < h || W < w) throw new RangeError(`guidedUpsample: the guide [${guide.shape}] is smaller than the frame [${low.shape}]`);
	if (lowGuide && (lowGuide.shape[0] !== h || lowGuide.shape[1] !== w)) throw new RangeError(`guidedUpsample: lowGuide [${lowGuide.shape}] is not the frame's size [${low.shape}]`);
	const s = Math.max(1, Math.floor(subsample));
	const a = Math.min(1, Math.max(0, Number.isFinite(amount) ? amount : 0));
	return tf.tidy(() => {
		const up = (x: tf.Tensor3D) => tf.image.resizeBilinear(x, [H, W], false, true) as tf.Tensor3D;
		if (a === 0) return H === h && W === w ? tf.clone(low) : up(low);
		// At 1/s of the processing size; the window keeps its extent in the picture (at least 3×3).
		const [hs, ws] = [Math.max(1, Math.round(h / s)), Math.max(1, Math.round(w / s))];
		const k = 2 * Math.max(1, Math.round(radius / s)) + 1;
		// Box filter, separable: 'same' pooling averages over the pixels inside the picture, and a clipped
		// rectangle's mean is the mean of its rows' means. The column pass sees each row as one pixel of
		// w·3 channels (a free reshape): a pooling kernel's cost is per output pixel, so it is several
		// times cheaper on wasm than pooling three channels at every pixel.
		const box = (x: tf.Tensor3D) => {
			const rows = tf.avgPool(tf.expandDims(x, 0) as tf.Tensor4D, [1, k], 1, 'same');
			return tf.reshape(tf.avgPool(tf.reshape(rows, [1, hs, 1, ws * 3]) as tf.Tensor4D, [k, 1], 1, 'same'), [hs, ws, 3]) as tf.Tensor3D;
		};
		const down = (x: tf.Tensor3D) => (hs === h && ws === w ? x : (tf.image.resizeBilinear(x, [hs, ws], false, true) as tf.Tensor3D));
		// Each colour channel is guided by the same channel of the camera frame: every tensor has three
		// channels, so no op broadcasts (broadcasting kernels are the slow ones on wasm).
		const gLow = lowGuide ?? (tf.image.resizeBilinear(guide, [h, w], false, true) as tf.Tensor3D);
		const I = down(gLow);
		const p = down(low);
		const mI = box(I);
		const mP = box(p);
		const cov = tf.sub(box(tf.mul(I, p)), tf.mul(mI, mP));
		const variance = tf.sub(box(tf.square(I)), tf.square(mI));
		// The amount folds into the gain at the low resolution (cheap there).
		const gain = tf.mul(box(tf.div(cov, tf.add(variance, eps)) as tf.Tensor3D), a) as tf.Tensor3D;
		const gainLow = hs === h && ws === w ? gain : (tf.image.resizeBilinear(gain, [h, w], false, true) as tf.Tensor3D);
		// up(p) + up(ā)·(I_high − up(I_low)) with up(ā)·up(I_low) ≈ up(ā·I_low): two resizes at full size.
		return tf.add(up(tf.sub(low, tf.mul(gainLow, gLow)) as tf.Tensor3D), tf.mul(up(gainLow), guide)) as tf.Tensor3D;
	});
}

/**
 * The guide's short side for a processing short side: twice the processing size, never more than
 * the camera gives or the screen shows (null: no guide, the plain upscale is as good).
 */
export function guideShortSide(processing: number, source: number, display: number | null): number | null {
	const side = Math.min(2 * processing, source, display ?? Infinity);
	return side > processing ? Math.round(side) : null;
}
