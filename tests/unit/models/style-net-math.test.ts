import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeBlend, oneHot } from '../../../src/lib/models/style-net/blend';
import { decodeWeights, type DecodedTensor } from '../../../src/lib/models/style-net/dequantize';
import { blendCinRow, buildParams, disposeParams, type StyleNetParams } from '../../../src/lib/models/style-net/forward';
import { parseManifestText, validateWeightsBuffer } from '../../../src/lib/models/style-net/manifest';
import type { StyleNetManifest } from '../../../src/lib/models/style-net/types';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MODEL_DIR } from './style-net-helpers';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

/** decodeWeights on one float16 tensor [count] at byte `offset` of `buffer`. */
function decodeAt(buffer: ArrayBuffer, offset: number, count: number): Float32Array {
	const manifest = {
		weights: { tensors: [{ name: 't', shape: [count], dtype: 'float16', offset, byteLength: count * 2 }] }
	} as unknown as StyleNetManifest;
	return decodeWeights(manifest, buffer).get('t')!.data;
}

/** decodeWeights on little-endian half bit patterns, from byte 0. */
function decodeHalves(patterns: number[]): Float32Array {
	const view = new DataView(new ArrayBuffer(patterns.length * 2));
	patterns.forEach((h, i) => view.setUint16(2 * i, h, true));
	return decodeAt(view.buffer, 0, patterns.length);
}

describe('float16 dequantization (decodeWeights)', () => {
	it('decodes known half patterns', () => {
		const [one, minusTwo, zero, max, subnormal, third] = decodeHalves([0x3c00, 0xc000, 0x0000, 0x7bff, 0x0001, 0x3555]);
		expect(one).toBe(1);
		expect(minusTwo).toBe(-2);
		expect(zero).toBe(0);
		expect(max).toBe(65504);
		expect(subnormal).toBeCloseTo(5.96e-8, 10);
		expect(third).toBeCloseTo(0.33325, 5);
	});
	it('refuses infinities and NaNs (exponent all ones), naming the tensor', () => {
		for (const h of [0x7c00, 0xfc00, 0x7e00]) expect(() => decodeHalves([0x3c00, h])).toThrow(/tensor t holds a non-finite value/);
	});
	it('reads little-endian values at an offset', () => {
		// The bytes before the offset hold a NaN pattern: reading them would throw.
		const buf = new Uint8Array([0xff, 0xff, 0x00, 0x3c, 0x00, 0xc0]).buffer;
		expect(Array.from(decodeAt(buf, 2, 2))).toEqual([1, -2]);
	});
});

/** Reference CIN blend of a [n, c] row-major table: Σ_i w_i · row_i. */
function blendRows(table: Float32Array, n: number, c: number, weights: readonly number[]): Float32Array {
	const out = new Float32Array(c);
	for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) out[j] += weights[i] * table[i * c + j];
	return out;
}

/** buildParams on a program with one cin op: gamma = `gamma` ([n, c] row-major), beta = gamma + 10. */
function cinParams(gamma: Float32Array, n: number, c: number): StyleNetParams {
	const manifest = {
		styles: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, title: `s${i}` })),
		ops: [{ op: 'cin', name: 'cin', channels: c, eps: 1e-5, weights: ['cin/gamma', 'cin/beta'] }]
	} as unknown as StyleNetManifest;
	const decoded = new Map<string, DecodedTensor>([
		['cin/gamma', { shape: [n, c], data: gamma }],
		['cin/beta', { shape: [n, c], data: gamma.map((v) => v + 10) }]
	]);
	return buildParams(manifest, decoded);
}

/** The blended [gamma, beta] of the cin op, as forward() forms it: blendCinRow of the weights. */
function blended(p: StyleNetParams, weights: readonly number[], c: number): { gamma: number[]; beta: number[] } {
	const row = blendCinRow(p, weights);
	const off = p.cinOffsets.get('cin')!;
	return { gamma: Array.from(row.slice(off, off + c)), beta: Array.from(row.slice(off + c, off + 2 * c)) };
}

describe('CIN blend math', () => {
	const n = 4;
	const c = 3;
	const table = Float32Array.from({ length: n * c }, (_, i) => i * 0.5 - 1);
	it('one-hot blend = that style row', () => {
		const p = cinParams(table, n, c);
		for (let s = 0; s < n; s++) {
			const row = Array.from(table.slice(s * c, s * c + c));
			const { gamma, beta } = blended(p, oneHot(s, n), c);
			expect(gamma).toEqual(row);
			expect(beta).toEqual(row.map((v) => v + 10));
		}
		disposeParams(p);
	});
	it('blend is linear in the weights', () => {
		const p = cinParams(table, n, c);
		const a = normalizeBlend([1, 0, 2, 1], n);
		const b = normalizeBlend([0, 3, 1, 0], n);
		const t = 0.3;
		const mix = a.map((v, i) => t * v + (1 - t) * b[i]);
		const lhs = blended(p, mix, c);
		const ra = blended(p, a, c);
		const rb = blended(p, b, c);
		for (let j = 0; j < c; j++) {
			expect(lhs.gamma[j]).toBeCloseTo(t * ra.gamma[j] + (1 - t) * rb.gamma[j], 5);
			expect(lhs.beta[j]).toBeCloseTo(t * ra.beta[j] + (1 - t) * rb.beta[j], 5);
		}
		disposeParams(p);
	});
	it('normalizes and validates', () => {
		expect(normalizeBlend([2, 2, 0, 4], n)).toEqual([0.25, 0.25, 0, 0.5]);
		expect(() => normalizeBlend([0, 0, 0, 0], n)).toThrow(/all zero/);
		expect(() => normalizeBlend([1, -1, 0, 0], n)).toThrow(/>= 0/);
		expect(() => normalizeBlend([1, NaN, 0, 0], n)).toThrow(/finite/);
		expect(() => normalizeBlend([1], n)).toThrow(/4 styles/);
	});
	it('the model cinTable rows (blendCinRow) equal each style’s gamma/beta from weights.bin', () => {
		const manifest = parseManifestText(readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8'));
		const raw = readFileSync(path.join(MODEL_DIR, 'weights.bin'));
		const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
		validateWeightsBuffer(manifest, buf);
		const dec = decodeWeights(manifest, buf);
		const p = buildParams(manifest, dec);
		const ns = manifest.styles.length;
		const cinOp = manifest.ops.find((o) => o.op === 'cin')! as { name: string; channels: number };
		const gamma = dec.get(`${cinOp.name}/gamma`)!.data;
		const off = p.cinOffsets.get(cinOp.name)!;
		const s = Math.min(2, ns - 1);
		const row = blendCinRow(p, oneHot(s, ns));
		for (let j = 0; j < cinOp.channels; j++) expect(row[off + j]).toBeCloseTo(gamma[s * cinOp.channels + j], 6);
		const wb = normalizeBlend(manifest.styles.map((_, i) => i + 1), ns);
		const rowb = blendCinRow(p, wb);
		const expected = blendRows(gamma, ns, cinOp.channels, wb);
		for (let j = 0; j < cinOp.channels; j++) expect(rowb[off + j]).toBeCloseTo(expected[j], 5);
		disposeParams(p);
	});
});
