/**
 * Colormaps as tensor ops: a [h, w] tensor in [0, 1] → [h, w, 3] RGB in [0, 1], by piecewise-linear
 * interpolation between evenly spaced stops (gather on a small table). No per-pixel JavaScript, so it
 * runs on the GPU under WebGL. Stops: matplotlib's viridis and inferno at 9 points (a close
 * approximation of the 256-entry tables), jet (exactly piecewise linear at these stops), gray.
 */
import * as tf from '@tensorflow/tfjs';

export type ColormapName = 'viridis' | 'inferno' | 'jet' | 'gray';

const hex = (s: string): [number, number, number] => [
	parseInt(s.slice(1, 3), 16) / 255,
	parseInt(s.slice(3, 5), 16) / 255,
	parseInt(s.slice(5, 7), 16) / 255
];

/** Evenly spaced RGB stops in [0, 1], first = value 0, last = value 1. */
export const COLORMAP_STOPS: Record<ColormapName, readonly (readonly [number, number, number])[]> = {
	viridis: ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#fde725'].map(hex),
	inferno: ['#000004', '#1b0c41', '#4a0c6b', '#781c6d', '#a52c60', '#cf4446', '#ed6925', '#fb9b06', '#fcffa4'].map(hex),
	jet: [
		[0, 0, 0.5],
		[0, 0, 1],
		[0, 0.5, 1],
		[0, 1, 1],
		[0.5, 1, 0.5],
		[1, 1, 0],
		[1, 0.5, 0],
		[1, 0, 0],
		[0.5, 0, 0]
	],
	gray: [
		[0, 0, 0],
		[1, 1, 1]
	]
};

export const COLORMAPS = Object.keys(COLORMAP_STOPS) as ColormapName[];

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
