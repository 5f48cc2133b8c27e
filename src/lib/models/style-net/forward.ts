import * as tf from '@tensorflow/tfjs';
import type { DecodedTensor } from './dequantize';
import type { StyleNetManifest, StyleNetOp } from './types';

/** Long-lived tensors of a loaded model (owned and disposed by the StyleNet object). */
export interface StyleNetParams {
	kernels: Map<string, tf.Tensor4D>;
	biases: Map<string, tf.Tensor1D>;
	/** [nStyles, sum over cin ops of 2*channels]: each cin op's gamma columns then its beta columns. */
	cinTable: tf.Tensor2D;
	/** cin op name -> column offset of its gamma block in cinTable (beta follows at +channels). */
	cinOffsets: Map<string, number>;
}

/** Build the parameter tensors from decoded float32 weights. Call outside tf.tidy. */
export function buildParams(manifest: StyleNetManifest, decoded: Map<string, DecodedTensor>): StyleNetParams {
	const kernels = new Map<string, tf.Tensor4D>();
	const biases = new Map<string, tf.Tensor1D>();
	const cinOffsets = new Map<string, number>();
	const nStyles = manifest.styles.length;
	const cinOps = manifest.ops.filter((o): o is Extract<StyleNetOp, { op: 'cin' }> => o.op === 'cin');
	const width = cinOps.reduce((a, o) => a + 2 * o.channels, 0);
	const table = new Float32Array(nStyles * width);
	let col = 0;
	for (const o of manifest.ops) {
		if (o.op === 'conv') {
			const k = decoded.get(`${o.name}/kernel`)!;
			kernels.set(o.name, tf.tensor4d(k.data, k.shape as [number, number, number, number]));
			if (o.bias) biases.set(o.name, tf.tensor1d(decoded.get(`${o.name}/bias`)!.data));
		} else if (o.op === 'cin') {
			const g = decoded.get(`${o.name}/gamma`)!.data;
			const b = decoded.get(`${o.name}/beta`)!.data;
			for (let s = 0; s < nStyles; s++) {
				for (let c = 0; c < o.channels; c++) {
					table[s * width + col + c] = g[s * o.channels + c];
					table[s * width + col + o.channels + c] = b[s * o.channels + c];
				}
			}
			cinOffsets.set(o.name, col);
			col += 2 * o.channels;
		}
	}
	return { kernels, biases, cinTable: tf.tensor2d(table, [nStyles, width]), cinOffsets };
}

export function disposeParams(p: StyleNetParams): void {
	for (const t of p.kernels.values()) t.dispose();
	for (const t of p.biases.values()) t.dispose();
	p.cinTable.dispose();
	p.kernels.clear();
	p.biases.clear();
}

function reflectPad(x: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
	if (!top && !bottom && !left && !right) return x;
	return tf.mirrorPad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], 'reflect');
}

/** Smallest input side the program accepts (reflection padding needs pad < size at every scale). */
export function minInputSide(manifest: StyleNetManifest): number {
	let scale = 1;
	let need = 1;
	for (const o of manifest.ops) {
		if (o.op === 'conv') {
			need = Math.max(need, (o.pad + 1) * scale);
			scale *= o.stride;
		} else if (o.op === 'upsample') {
			scale /= o.factor;
		}
	}
	return Math.max(need, manifest.input.padToMultiple);
}

/**
 * Run the op program on x [1, H, W, 3] in [0, 1] with blend weights [1, nStyles] (normalized).
 * Pure tensor code; call inside tf.tidy. Mirrors training/stylenet.py StyleNet.forward.
 */
export function forward(manifest: StyleNetManifest, p: StyleNetParams, x: tf.Tensor4D, blend: tf.Tensor2D): tf.Tensor4D {
	return forwardRows(manifest, p, x, tf.matMul(blend, p.cinTable) as tf.Tensor2D);
}

/**
 * The op program with the conditional-instance-norm row given directly: cinRow [1, width] holds the
 * γ/β of every cin op (the layout of a cinTable row; `forward` passes the blend of the table's rows).
 * The style learner (learn/) differentiates the output with respect to it. Pure tensor code; call
 * inside tf.tidy.
 */
export function forwardRows(manifest: StyleNetManifest, p: StyleNetParams, x: tf.Tensor4D, cinRow: tf.Tensor2D): tf.Tensor4D {
	const [, H, W] = x.shape;
	const m = manifest.input.padToMultiple;
	let h: tf.Tensor4D = reflectPad(x, 0, (m - (H % m)) % m, 0, (m - (W % m)) % m);
	const cin = cinRow;
	const slots = new Map<string, tf.Tensor4D>();
	for (const o of manifest.ops) {
		switch (o.op) {
			case 'conv': {
				h = reflectPad(h, o.pad, o.pad, o.pad, o.pad);
				const k = p.kernels.get(o.name)!;
				h = o.depthwise
					? tf.depthwiseConv2d(h, k, o.stride, 'valid')
					: tf.conv2d(h, k, o.stride, 'valid');
				const b = p.biases.get(o.name);
				if (b) h = tf.add(h, b);
				break;
			}
			case 'cin': {
				const off = p.cinOffsets.get(o.name)!;
				const gamma = tf.reshape(tf.slice(cin, [0, off], [1, o.channels]), [1, 1, 1, o.channels]);
				const beta = tf.reshape(tf.slice(cin, [0, off + o.channels], [1, o.channels]), [1, 1, 1, o.channels]);
				const { mean, variance } = tf.moments(h, [1, 2], true);
				const normed = tf.mul(tf.sub(h, mean), tf.rsqrt(tf.add(variance, o.eps)));
				h = tf.add(tf.mul(normed, gamma), beta);
				break;
			}
			case 'relu':
				h = tf.relu(h);
				break;
			case 'sigmoid':
				h = tf.sigmoid(h);
				break;
			case 'upsample': {
				const [, hh, ww] = h.shape;
				h = tf.image.resizeNearestNeighbor(h, [hh * o.factor, ww * o.factor], false, false);
				break;
			}
			case 'save':
				slots.set(o.slot, h);
				break;
			case 'add':
				h = tf.add(h, slots.get(o.slot)!);
				slots.delete(o.slot);
				break;
		}
	}
	if (h.shape[1] !== H || h.shape[2] !== W) h = tf.slice(h, [0, 0, 0, 0], [1, H, W, h.shape[3]]);
	return h;
}
