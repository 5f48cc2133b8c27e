import * as tf from '@tensorflow/tfjs';
import type { DecodedTensor } from './dequantize';
import type { StyleNetManifest, StyleNetOp } from './types';

/** Parameters of a loaded model (the tensors owned and disposed by the StyleNet object). */
export interface StyleNetParams {
	kernels: Map<string, tf.Tensor4D>;
	biases: Map<string, tf.Tensor1D>;
	/** [nStyles, cinWidth] row-major: each cin op's gamma columns then its beta columns. Kept in JS: a
	 * frame's blend of it is a few thousand multiply-adds, cheaper than any kernel launch. */
	cinTable: Float32Array;
	cinWidth: number;
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
	return { kernels, biases, cinTable: table, cinWidth: width, cinOffsets };
}

/** The blended gamma/beta row of every cin op: Σ_s weights[s] · cinTable[s] (weights normalized). */
export function blendCinRow(p: StyleNetParams, weights: readonly number[]): Float32Array {
	const w = p.cinWidth;
	const row = new Float32Array(w);
	weights.forEach((ws, s) => {
		if (ws === 0) return;
		const base = s * w;
		for (let j = 0; j < w; j++) row[j] += ws * p.cinTable[base + j];
	});
	return row;
}

export function disposeParams(p: StyleNetParams): void {
	for (const t of p.kernels.values()) t.dispose();
	for (const t of p.biases.values()) t.dispose();
	p.kernels.clear();
	p.biases.clear();
}

export function reflectPad(x: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
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

/** GPU backends: reductions run there in parallel passes (a full-window average pool would be one
 * serial loop per channel), and a reshape may cost a pass of its own. */
function gpuBackend(): boolean {
	const b = tf.getBackend();
	return b === 'webgl' || b === 'webgpu';
}

/** How instance norm takes its statistics: 'pool' (the CPU backends' way: two full-window average
 * pools, read back at once, folded in JS) or 'moments' (the GPU backends' way: two tf.mean reductions,
 * of h and of its squared difference from the mean, and a few per-channel tensor ops, nothing read back). */
export type StatsMethod = 'pool' | 'moments';

export interface ForwardOptions {
	/** Default: 'moments' on webgl/webgpu, 'pool' elsewhere ('pool' reads tensors synchronously: CPU backends only). */
	stats?: StatsMethod;
}

/**
 * Per-channel a = γ/σ and b = β − μ·a of h (σ² the biased variance over height and width, plus eps),
 * as a [1, 1, C, 1] depthwise filter and a [C] bias.
 *
 * 'pool': the mean of h and of h² by two full-window average pools (XNNPACK's pooling on wasm), not
 * tf.moments, whose reduction over the non-innermost axes transposes the whole map first on wasm and
 * whose broadcast squared difference is a slow generic loop there; σ² = max(E[h²] − E[h]², 0). Their
 * 2·C numbers are already in memory on a CPU backend, so a and b are folded in JS (in float64) rather
 * than by ten more tiny kernels, each with its own bookkeeping.
 */
function normAffine(h: tf.Tensor4D, gamma: Float32Array, beta: Float32Array, eps: number, stats: StatsMethod): { a: tf.Tensor4D; b: tf.Tensor1D } {
	const C = h.shape[3];
	if (stats === 'moments') {
		// tf.moments's variance is mean(square(h − mean)): one full-size pass more than the fused
		// squared difference.
		const mean = tf.mean(h, [1, 2], true);
		const variance = tf.mean(tf.squaredDifference(h, mean), [1, 2], true);
		// In [C]: the bias must be computed at rank 1 (tfjs-wasm reads a bias's rank from its data,
		// which a reshape shares).
		const a = tf.mul(tf.tensor1d(gamma), tf.rsqrt(tf.add(tf.reshape(variance, [C]), eps)));
		const b = tf.sub(tf.tensor1d(beta), tf.mul(tf.reshape(mean, [C]), a)) as tf.Tensor1D;
		return { a: tf.reshape(a, [1, 1, C, 1]), b };
	}
	const [, H, W] = h.shape;
	const mean = tf.avgPool(h, [H, W], 1, 'valid').dataSync();
	const meanSq = tf.avgPool(tf.square(h), [H, W], 1, 'valid').dataSync();
	const a = new Float32Array(C);
	const b = new Float32Array(C);
	for (let c = 0; c < C; c++) {
		a[c] = gamma[c] / Math.sqrt(Math.max(meanSq[c] - mean[c] * mean[c], 0) + eps);
		b[c] = beta[c] - mean[c] * a[c];
	}
	return { a: tf.tensor4d(a, [1, 1, C, 1]), b: tf.tensor1d(b) };
}

/**
 * Conditional instance norm as one pass per element: γ(h - μ)/σ + β = h·a + b, run as a 1×1
 * depthwise convolution with a bias (one kernel: XNNPACK's channel multiply-add, one shader on
 * WebGL), the ReLU that follows it fused in.
 */
function instanceNorm(h: tf.Tensor4D, gamma: Float32Array, beta: Float32Array, eps: number, relu: boolean, stats: StatsMethod): tf.Tensor4D {
	const { a, b } = normAffine(h, gamma, beta, eps, stats);
	return tf.fused.depthwiseConv2d({ x: h, filter: a, strides: 1, pad: 'valid', bias: b, activation: relu ? 'relu' : 'linear' });
}

/**
 * Nearest ×2 upsampling followed by a reflection pad of 1, in one full-size pass: the small map
 * padded symmetrically by 1 (a quarter-size copy), then resized to 2H+2 × 2W+2 with aligned corners,
 * whose source index round(i·(H+1)/(2H+1)) is exactly ⌊(i+1)/2⌋ of the padded map for every i.
 */
function upsample2ReflectPad1(h: tf.Tensor4D): tf.Tensor4D {
	const [, H, W] = h.shape;
	const s = tf.mirrorPad(h, [[0, 0], [1, 1], [1, 1], [0, 0]], 'symmetric');
	return tf.image.resizeNearestNeighbor(s, [2 * H + 2, 2 * W + 2], true, false);
}

/**
 * Run the op program on x [1, H, W, 3] in [0, 1] with blend weights (one per style, normalized).
 * Pure tensor code; call inside tf.tidy. Mirrors training/stylenet.py StyleNet.forward, with fusions
 * that keep its outputs (tests/unit/models/style-net-parity.test.ts): instance norm as above; a
 * convolution's bias dropped before an instance norm (the mean removes it) and otherwise fused with
 * the ReLU or sigmoid that follows; upsampling and the next convolution's reflection pad in one pass.
 */
export function forward(manifest: StyleNetManifest, p: StyleNetParams, x: tf.Tensor4D, weights: readonly number[], options: ForwardOptions = {}): tf.Tensor4D {
	const stats = options.stats ?? (gpuBackend() ? 'moments' : 'pool');
	const [, H, W] = x.shape;
	const m = manifest.input.padToMultiple;
	let h: tf.Tensor4D = reflectPad(x, 0, (m - (H % m)) % m, 0, (m - (W % m)) % m);
	const cin = blendCinRow(p, weights);
	const slots = new Map<string, tf.Tensor4D>();
	const ops = manifest.ops;
	let padded = false; // h already carries the next convolution's reflection pad
	for (let i = 0; i < ops.length; i++) {
		const o = ops[i];
		const next = ops[i + 1];
		switch (o.op) {
			case 'conv': {
				if (!padded) h = reflectPad(h, o.pad, o.pad, o.pad, o.pad);
				padded = false;
				const k = p.kernels.get(o.name)!;
				const bias = next?.op === 'cin' ? undefined : p.biases.get(o.name);
				const activation: 'relu' | 'sigmoid' | null = next?.op === 'relu' || next?.op === 'sigmoid' ? next.op : null;
				if (!bias && !activation) {
					h = o.depthwise ? tf.depthwiseConv2d(h, k, o.stride, 'valid') : tf.conv2d(h, k, o.stride, 'valid');
					break;
				}
				const args = { x: h, filter: k, strides: o.stride, pad: 'valid' as const, bias, activation: activation ?? ('linear' as const) };
				h = o.depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
				if (activation) i++;
				break;
			}
			case 'cin': {
				const off = p.cinOffsets.get(o.name)!;
				const relu = next?.op === 'relu';
				h = instanceNorm(h, cin.subarray(off, off + o.channels), cin.subarray(off + o.channels, off + 2 * o.channels), o.eps, relu, stats);
				if (relu) i++;
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
				if (o.factor === 2 && next?.op === 'conv' && next.pad === 1) {
					h = upsample2ReflectPad1(h);
					padded = true;
				} else h = tf.image.resizeNearestNeighbor(h, [hh * o.factor, ww * o.factor], false, false);
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
	return cropTo(h, H, W);
}

/** The top-left H×W of h. On the CPU backends as a 2-D slice of rows (one copy per row, where a 4-D
 * slice on wasm copies pixel by pixel). */
function cropTo(h: tf.Tensor4D, H: number, W: number): tf.Tensor4D {
	const [, hh, ww, C] = h.shape;
	if (hh === H && ww === W) return h;
	if (gpuBackend()) return tf.slice(h, [0, 0, 0, 0], [1, H, W, C]);
	return tf.reshape(tf.slice(tf.reshape(h, [hh, ww * C]), [0, 0], [H, W * C]), [1, H, W, C]);
}
