/**
 * Feature maps as pictures: a page of a stage's channels tiled into one grid tensor (each channel
 * scaled to [0, 1] on its own), and conv1's 7×7 filters as a grid of little RGB images.
 * Tensor work in one tidy each; only small per-channel numbers come back as data.
 */
import * as tf from '@tensorflow/tfjs';

export type ChannelOrder = 'mean' | 'index';

export interface ChannelGridOptions {
	/** 0-based page. Default 0. */
	page?: number;
	/** Channels per page. Default 16. */
	pageSize?: number;
	/** 'mean': most active first (default); 'index': channel order. */
	sortBy?: ChannelOrder;
	/** Columns of the grid; default ceil(sqrt(pageSize)). */
	columns?: number;
	/** Pixels between cells. Default 1. */
	gap?: number;
	/** Value of the gaps (and of empty cells). Default 0. */
	gapValue?: number;
}

export interface ChannelGrid {
	/** [rows·(h+gap)−gap, cols·(w+gap)−gap] in [0, 1]; caller disposes (colourise with render/colormap). */
	grid: tf.Tensor2D;
	/** Channel number shown in each cell, row by row. */
	channels: number[];
	/** Mean activation of each shown channel (same order). */
	means: number[];
	/** Mean activation of every channel of the stage, by channel number. */
	allMeans: Float32Array;
	/** Cell layout, to map a click back to a channel. */
	rows: number;
	columns: number;
	cellHeight: number;
	cellWidth: number;
	totalChannels: number;
	pages: number;
}

/** Per-channel min–max to [0, 1] over the spatial axes of [n, h, w]. */
function normalizePerMap(maps: tf.Tensor3D): tf.Tensor3D {
	const lo = tf.min(maps, [1, 2], true);
	const hi = tf.max(maps, [1, 2], true);
	return tf.div(tf.sub(maps, lo), tf.maximum(tf.sub(hi, lo), 1e-8)) as tf.Tensor3D;
}

/** Tiles [n, h, w] (or [n, h, w, ch]) cells into a grid, row-major, padding empty cells with `value`. */
function tile(cells: tf.Tensor3D | tf.Tensor4D, columns: number, gap = 1, value = 0): tf.Tensor2D | tf.Tensor3D {
	return tf.tidy(() => {
		const x = (cells.rank === 3 ? tf.expandDims(cells, -1) : cells) as tf.Tensor4D;
		const [n, h, w, ch] = x.shape;
		const rows = Math.max(1, Math.ceil(n / columns));
		const padded = tf.pad(x, [[0, rows * columns - n], [0, gap], [0, gap], [0, 0]], value);
		const grid = tf.reshape(tf.transpose(tf.reshape(padded, [rows, columns, h + gap, w + gap, ch]), [0, 2, 1, 3, 4]), [
			rows * (h + gap),
			columns * (w + gap),
			ch
		]);
		const cropped = tf.slice(grid, [0, 0, 0], [rows * (h + gap) - gap, columns * (w + gap) - gap, ch]);
		return cells.rank === 3 ? (tf.squeeze(cropped, [2]) as tf.Tensor2D) : (cropped as tf.Tensor3D);
	});
}

/** A page of a stage's channel maps [1, h, w, C] as one grid. */
export async function channelGrid(activation: tf.Tensor4D, opts: ChannelGridOptions = {}): Promise<ChannelGrid> {
	const [, h, w, c] = activation.shape;
	const pageSize = Math.max(1, Math.min(c, Math.floor(opts.pageSize ?? 16)));
	const pages = Math.ceil(c / pageSize);
	const page = Math.min(Math.max(0, Math.floor(opts.page ?? 0)), pages - 1);
	const columns = Math.max(1, Math.floor(opts.columns ?? Math.ceil(Math.sqrt(pageSize))));
	const gap = Math.max(0, Math.floor(opts.gap ?? 1));
	const sortBy = opts.sortBy ?? 'mean';

	const { grid, order, means } = tf.tidy(() => {
		const means = tf.reshape(tf.mean(activation, [0, 1, 2]), [c]) as tf.Tensor1D;
		const order = sortBy === 'mean' ? tf.topk(means, c).indices : tf.range(0, c, 1, 'int32');
		const start = page * pageSize;
		const shown = tf.slice(order, [start], [Math.min(pageSize, c - start)]) as tf.Tensor1D;
		// [1,h,w,C] → [C,h,w] → the page's channels.
		const maps = tf.gather(tf.transpose(tf.reshape(activation, [h, w, c]), [2, 0, 1]), shown) as tf.Tensor3D;
		return { grid: tile(normalizePerMap(maps), columns, gap, opts.gapValue ?? 0) as tf.Tensor2D, order: shown, means };
	});
	const [orderData, meanData] = await Promise.all([order.data(), means.data()]);
	tf.dispose([order, means]);
	const channels = Array.from(orderData);
	const allMeans = meanData as Float32Array;
	return {
		grid,
		channels,
		means: channels.map((k) => allMeans[k]),
		allMeans,
		rows: Math.ceil(channels.length / columns),
		columns,
		cellHeight: h,
		cellWidth: w,
		totalChannels: c,
		pages
	};
}

export interface FilterGridOptions {
	/** The kernel's input channels are BGR (Keras caffe ResNet50): flip to RGB for display. Default true. */
	bgr?: boolean;
	/** Nearest-neighbour upscale of each filter. Default 4 (7×7 → 28×28). */
	scale?: number;
	columns?: number;
	gap?: number;
	/** Gap colour (grey level). Default 1 (white). */
	gapValue?: number;
}

/**
 * First-layer filters [kh, kw, 3, F] as an RGB image grid [H, W, 3] in [0, 1]: each filter scaled on its
 * own symmetrically around grey (0.5 = weight 0), so the colour shows what the filter responds to.
 */
export function filterGrid(kernel: tf.Tensor4D, opts: FilterGridOptions = {}): tf.Tensor3D {
	const scale = Math.max(1, Math.floor(opts.scale ?? 4));
	return tf.tidy(() => {
		const [kh, kw, inC, f] = kernel.shape;
		if (inC !== 3) throw new Error(`filterGrid: needs 3 input channels, got ${inC}`);
		let k = tf.transpose(kernel, [3, 0, 1, 2]) as tf.Tensor4D; // [F, kh, kw, 3]
		if (opts.bgr ?? true) k = tf.reverse(k, 3);
		const absMax = tf.maximum(tf.max(tf.abs(k), [1, 2, 3], true), 1e-8);
		let img = tf.add(tf.mul(tf.div(k, absMax), 0.5), 0.5) as tf.Tensor4D;
		if (scale > 1) img = tf.image.resizeNearestNeighbor(img, [kh * scale, kw * scale]);
		const columns = opts.columns ?? Math.ceil(Math.sqrt(f));
		return tile(img, columns, opts.gap ?? 1, opts.gapValue ?? 1) as tf.Tensor3D;
	});
}
