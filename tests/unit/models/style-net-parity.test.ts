/**
 * The fused forward pass (src/lib/models/style-net/forward.ts) against the forward pass as it was
 * (style-net-reference.ts: tf.moments, separate element passes, a pad per convolution), on the shipped
 * weights for every style and a blend, on the cpu and wasm backends, with both ways of taking the
 * instance-norm statistics; and on a small program that has what v2 lacks (a bias before an instance
 * norm, a bias with a ReLU); and against the PyTorch twin's fixture on each backend (style-net.test.ts
 * checks it through load() on cpu). Tolerance: max |Δ| ≤ 1e-3 on the [0, 1] output (the PyTorch parity bound).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeBlend, oneHot } from '../../../src/lib/models/style-net/blend';
import { decodeWeights, type DecodedTensor } from '../../../src/lib/models/style-net/dequantize';
import { buildParams, disposeParams, forward, type StatsMethod, type StyleNetParams } from '../../../src/lib/models/style-net/forward';
import { parseManifestText, validateWeightsBuffer } from '../../../src/lib/models/style-net/manifest';
import type { StyleNetManifest } from '../../../src/lib/models/style-net/types';
import { b64ToFloat32, MODEL_DIR } from './style-net-helpers';
import { referenceForward } from './style-net-reference';

const TOL = 1e-3;

function shippedModel(): { manifest: StyleNetManifest; params: StyleNetParams } {
	const manifest = parseManifestText(readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8'));
	const raw = readFileSync(path.join(MODEL_DIR, manifest.weights.file));
	const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
	validateWeightsBuffer(manifest, buf);
	return { manifest, params: buildParams(manifest, decodeWeights(manifest, buf)) };
}

/** max |new − reference| on x for blend `weights` (normalized here), leaking nothing. */
function maxDiff(manifest: StyleNetManifest, params: StyleNetParams, x: tf.Tensor4D, weights: number[], stats?: StatsMethod): number {
	const w = normalizeBlend(weights, manifest.styles.length);
	return tf.tidy(() => {
		const ours = forward(manifest, params, x, w, { stats });
		const ref = referenceForward(manifest, params, x, tf.tensor2d(w, [1, w.length]));
		expect(ours.shape).toEqual(ref.shape);
		return tf.max(tf.abs(tf.sub(ours, ref))).dataSync()[0];
	});
}

for (const backend of ['cpu', 'wasm']) {
	describe(`fused forward = reference forward on the shipped weights (${backend})`, () => {
		let model: ReturnType<typeof shippedModel>;
		let x: tf.Tensor4D;
		beforeAll(async () => {
			expect(await tf.setBackend(backend)).toBe(true);
			await tf.ready();
			model = shippedModel();
			// 37×53: not a multiple of 8, so the input pad and the final crop both run.
			x = tf.randomUniform([1, 37, 53, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
		});
		afterAll(() => {
			x?.dispose();
			if (model) disposeParams(model.params);
		});

		it(`every style one-hot and a blend of three, max |Δ| ≤ ${TOL}`, () => {
			const n = model.manifest.styles.length;
			const blends = [...Array.from({ length: n }, (_, s) => oneHot(s, n)), Array.from({ length: n }, (_, s) => [0.5, 0, 0, 0.3, 0, 0, 0, 0, 0.2][s] ?? 0)];
			const diffs = blends.map((b) => maxDiff(model.manifest, model.params, x, b));
			console.log(`parity fused/reference ${backend}: max |Δ| per style ${diffs.map((d) => d.toExponential(1)).join(' ')}`);
			for (const d of diffs) expect(d).toBeLessThanOrEqual(TOL);
		});

		it(`matches the PyTorch twin's fixture (training/stylenet.py), max |Δ| ≤ ${TOL}`, () => {
			const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/style-net-parity.json'), 'utf8')) as {
				shape: [number, number, number];
				input: string;
				cases: { name: string; blend: number[]; output: string }[];
			};
			for (const c of fixture.cases) {
				const d = tf.tidy(() => {
					const xin = tf.tensor4d(b64ToFloat32(fixture.input), [1, ...fixture.shape]);
					const y = forward(model.manifest, model.params, xin, normalizeBlend(c.blend, model.manifest.styles.length));
					return tf.max(tf.abs(tf.sub(y, tf.tensor4d(b64ToFloat32(c.output), [1, ...fixture.shape])))).dataSync()[0];
				});
				console.log(`parity fused/PyTorch ${backend} ${c.name}: max |Δ| = ${d.toExponential(2)}`);
				expect(d).toBeLessThanOrEqual(TOL);
			}
		});

		it('both ways of taking the statistics (pool, moments) agree with the reference', () => {
			const b = oneHot(3, model.manifest.styles.length);
			for (const stats of ['pool', 'moments'] as const) expect(maxDiff(model.manifest, model.params, x, b, stats)).toBeLessThanOrEqual(TOL);
		});

		it('leaks no tensors', () => {
			const before = tf.memory().numTensors;
			const w = oneHot(0, model.manifest.styles.length);
			const y = tf.tidy(() => forward(model.manifest, model.params, x, w));
			expect(tf.memory().numTensors).toBe(before + 1);
			y.dispose();
			expect(tf.memory().numTensors).toBe(before);
		});
	});
}

describe('fusions the shipped program does not exercise (cpu)', () => {
	beforeAll(async () => {
		await tf.setBackend('cpu');
	});

	/** A two-style program: conv with bias → cin (the bias is dropped: the mean removes it) → relu,
	 * conv stride 2 with bias → relu (fused), upsample ×2 → conv pad 1 (pad folded into the upsampling),
	 * depthwise conv with bias → cin → add, conv with bias → sigmoid (fused). */
	function tinyProgram(): { manifest: StyleNetManifest; params: StyleNetParams } {
		const conv = (name: string, k: number, stride: number, cin: number, cout: number, pad: number, depthwise = false) => ({
			op: 'conv' as const,
			name,
			kernel: [k, k] as [number, number],
			stride,
			cin,
			cout,
			depthwise,
			bias: true,
			pad,
			weights: [`${name}/kernel`, `${name}/bias`]
		});
		const cin = (name: string, channels: number) => ({ op: 'cin' as const, name, channels, eps: 1e-5, weights: [`${name}/gamma`, `${name}/beta`] });
		const ops = [
			conv('c0', 3, 1, 3, 6, 1),
			cin('n0', 6),
			{ op: 'relu' as const },
			{ op: 'save' as const, slot: 's' },
			conv('c1', 3, 2, 6, 6, 1),
			{ op: 'relu' as const },
			{ op: 'upsample' as const, factor: 2 },
			conv('c2', 3, 1, 6, 6, 1, true),
			cin('n2', 6),
			{ op: 'add' as const, slot: 's' },
			conv('c3', 3, 1, 6, 3, 1),
			{ op: 'sigmoid' as const }
		];
		const manifest = {
			input: { padToMultiple: 2 },
			styles: [{ id: 'a' }, { id: 'b' }],
			ops
		} as unknown as StyleNetManifest;
		let seed = 1;
		const rnd = (n: number, scale: number, offset = 0) => Float32Array.from({ length: n }, () => ((Math.sin(seed++ * 12.9898) * 43758.5453) % 1) * scale + offset);
		const decoded = new Map<string, DecodedTensor>();
		for (const o of ops) {
			if (o.op === 'conv') {
				const shape = o.depthwise ? [3, 3, o.cin, 1] : [o.kernel[0], o.kernel[1], o.cin, o.cout];
				decoded.set(`${o.name}/kernel`, { shape, data: rnd(shape.reduce((a, b) => a * b, 1), 0.5) });
				// A large bias: dropping it before an instance norm must still not change the output.
				decoded.set(`${o.name}/bias`, { shape: [o.cout], data: rnd(o.cout, 4, 2) });
			} else if (o.op === 'cin') {
				decoded.set(`${o.name}/gamma`, { shape: [2, o.channels], data: rnd(2 * o.channels, 1, 1) });
				decoded.set(`${o.name}/beta`, { shape: [2, o.channels], data: rnd(2 * o.channels, 1) });
			}
		}
		return { manifest, params: buildParams(manifest, decoded) };
	}

	it(`bias before instance norm dropped, bias+ReLU/sigmoid fused, pad folded into upsampling: max |Δ| ≤ ${TOL}`, () => {
		const { manifest, params } = tinyProgram();
		for (const [h, w] of [
			[9, 13],
			[16, 10]
		]) {
			const x = tf.randomUniform([1, h, w, 3], 0, 1, 'float32', h) as tf.Tensor4D;
			for (const stats of ['pool', 'moments'] as const) {
				const d = maxDiff(manifest, params, x, [0.7, 0.3], stats);
				expect(d).toBeLessThanOrEqual(TOL);
			}
			x.dispose();
		}
		disposeParams(params);
	});
});
