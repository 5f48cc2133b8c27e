/**
 * Colormaps as tensor ops: a [h, w] tensor in [0, 1] → [h, w, 3] RGB in [0, 1], by piecewise-linear
 * interpolation between evenly spaced stops (gather on a small table). No per-pixel JavaScript, so it
 * runs on the GPU under WebGL. The stops are plain data in colormap-stops.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { COLORMAP_STOPS, type ColormapName } from './colormap-stops';

export { COLORMAP_STOPS, COLORMAPS, type ColormapName } from './colormap-stops';

/** Maps values in [0, 1] (any shape S, clipped) to colours, shape [...S, 3]. One tidy; caller disposes. */
function applyColormap<R extends tf.Rank>(values: tf.Tensor<R>, name: ColormapName = 'viridis'): tf.Tensor {
	const stops = COLORMAP_STOPS[name];
	if (!stops) throw new Error(`colormap: unknown colormap "${name}"`);
	return tf.tidy(() => {
		const n = stops.length;
		const table = tf.tensor2d(stops.flat(), [n, 3]);
		const x = tf.mul(tf.clipByValue(tf.cast(values, 'float32'), 0, 1), n - 1);
		const i0 = tf.minimum(tf.floor(x), n - 2);
		const frac = tf.expandDims(tf.sub(x, i0), -1);
		const lo = tf.gather(table, tf.cast(i0, 'int32'));
		const hi = tf.gather(table, tf.cast(tf.add(i0, 1), 'int32'));
		return tf.add(lo, tf.mul(tf.sub(hi, lo), frac));
	});
}

/** [h, w] in [0, 1] → [h, w, 3] RGB. */
export function colorize(heat: tf.Tensor2D, name: ColormapName = 'viridis'): tf.Tensor3D {
	return applyColormap(heat, name) as tf.Tensor3D;
}

export interface OverlayOptions {
	/** 0 = frame only, 1 = heat map only. Default 0.5. */
	opacity?: number;
	colormap?: ColormapName;
	/** Scale the opacity by the heat value too, so cold regions show the frame. Default false. */
	heatAlpha?: boolean;
}

/**
 * Blends a heat map over a frame: the heat map [h, w] in [0, 1] is resized (bilinear) towards the frame
 * [H, W, 3] in [0, 1], coloured, and mixed in. The colours are looked up at a quarter of the frame's size
 * (never below the map's) and then resized: neighbouring values there differ so little that
 * interpolating colours equals colouring interpolated values, and the lookup — the costly part — runs on
 * 1/16 of the pixels (this runs on every frame). One tidy; caller disposes the [H, W, 3] result.
 */
export function overlay(frame: tf.Tensor3D, heat: tf.Tensor2D, opts: OverlayOptions = {}): tf.Tensor3D {
	const opacity = Math.min(1, Math.max(0, opts.opacity ?? 0.5));
	return tf.tidy(() => {
		const [H, W] = frame.shape;
		const h = Math.min(H, Math.max(heat.shape[0], Math.ceil(H / 4)));
		const w = Math.min(W, Math.max(heat.shape[1], Math.ceil(W / 4)));
		const small = tf.clipByValue(tf.image.resizeBilinear(tf.expandDims(heat, -1) as tf.Tensor3D, [h, w], false, true), 0, 1) as tf.Tensor3D;
		const up = (x: tf.Tensor3D) => (h === H && w === W ? x : tf.image.resizeBilinear(x, [H, W], false, true));
		const color = up(colorize(tf.squeeze(small, [2]) as tf.Tensor2D, opts.colormap ?? 'viridis'));
		const alpha = opts.heatAlpha ? tf.mul(up(small), opacity) : tf.scalar(opacity);
		return tf.add(frame, tf.mul(tf.sub(color, frame), alpha)) as tf.Tensor3D;
	});
}
