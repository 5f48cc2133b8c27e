/**
 * Maximally activating patches (Girshick et al. 2014; Yosinski et al. 2015): for one layer, each
 * picture's strongest response of every channel and where it is (one pass per picture, all channels
 * at once, so changing the channel is instant); then, for a channel, the pictures ranked by it and the
 * input crop each winning unit sees (its receptive field, receptive-field.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { unitBox, type Geometry } from './receptive-field';

/** One picture's per-channel maxima at one layer. */
export interface ChannelMaxima {
	id: string;
	/** Feature map rows, columns. */
	h: number;
	w: number;
	/** Strongest activation of each channel. */
	max: Float32Array;
	/** Where it is: row · w + column. */
	arg: Int32Array;
}

/** Per-channel maximum and its position of an activation [1, h, w, C] (reads back; does not dispose `act`). */
export async function channelMaxima(id: string, act: tf.Tensor4D): Promise<ChannelMaxima> {
	const [, h, w, c] = act.shape;
	const [mx, am] = tf.tidy(() => {
		const flat = tf.reshape(act, [h * w, c]);
		return [tf.max(flat, 0), tf.argMax(flat, 0)];
	});
	try {
		const [max, arg] = await Promise.all([mx.data(), am.data()]);
		return { id, h, w, max: Float32Array.from(max), arg: Int32Array.from(arg) };
	} finally {
		mx.dispose();
		am.dispose();
	}
}

export interface RankedPatch {
	id: string;
	value: number;
	/** The winning unit. */
	row: number;
	col: number;
}

/** The k pictures whose strongest response in `channel` is largest (one patch per picture), strongest first; ties by id. */
export function rankPatches(maxima: readonly ChannelMaxima[], channel: number, k = 9): RankedPatch[] {
	const all = maxima.map((m) => {
		const a = m.arg[channel];
		return { id: m.id, value: m.max[channel], row: Math.floor(a / m.w), col: a % m.w };
	});
	all.sort((a, b) => b.value - a.value || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return all.slice(0, k);
}

/** Channels whose strongest response over the whole gallery is largest (the ones worth looking at first). */
export function strongestChannels(maxima: readonly ChannelMaxima[], k = 12): number[] {
	if (maxima.length === 0) return [];
	const c = maxima[0].max.length;
	const best = new Float64Array(c).fill(-Infinity);
	for (const m of maxima) for (let i = 0; i < c; i++) if (m.max[i] > best[i]) best[i] = m.max[i];
	return Array.from(best.keys())
		.sort((a, b) => best[b] - best[a] || a - b)
		.slice(0, k);
}

/**
 * The crop of a picture that unit (row, col) sees, in the picture's own pixels. The network sees the
 * whole picture squashed to inputSize² (no crop), so each axis scales separately; the box is clipped to
 * the picture.
 */
export function patchBox(g: Geometry, row: number, col: number, inputSize: number, width: number, height: number): { x: number; y: number; w: number; h: number } {
	const b = unitBox(g, row, col);
	// Input pixels whose centres lie in the box, as a half-open range of pixel edges, clipped.
	const x0 = Math.max(0, Math.ceil(b.x0));
	const x1 = Math.min(inputSize, Math.floor(b.x1) + 1);
	const y0 = Math.max(0, Math.ceil(b.y0));
	const y1 = Math.min(inputSize, Math.floor(b.y1) + 1);
	const sx = width / inputSize;
	const sy = height / inputSize;
	const x = Math.floor(x0 * sx);
	const y = Math.floor(y0 * sy);
	return { x, y, w: Math.max(1, Math.min(width, Math.ceil(x1 * sx)) - x), h: Math.max(1, Math.min(height, Math.ceil(y1 * sy)) - y) };
}

/** One patch as the gallery shows it: the picture, the activation, and the crop in the picture's own pixels. */
export interface PatchView {
	id: string;
	value: number;
	box: { x: number; y: number; w: number; h: number };
}

/** The top-k patches of `channel` with their crops; pictures not in `sizes` (gone meanwhile) are left out. */
export function patchViews(
	maxima: readonly ChannelMaxima[],
	channel: number,
	k: number,
	geometry: Geometry,
	inputSize: number,
	sizes: ReadonlyMap<string, { width: number; height: number }>
): PatchView[] {
	return rankPatches(maxima, channel, k).flatMap((p) => {
		const m = sizes.get(p.id);
		return m ? [{ id: p.id, value: p.value, box: patchBox(geometry, p.row, p.col, inputSize, m.width, m.height) }] : [];
	});
}
