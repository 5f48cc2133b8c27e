import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { blendRows, normalizeBlend, oneHot } from '../../../src/lib/models/style-net/blend';
import { float16ToFloat32, halfToFloat } from '../../../src/lib/models/style-net/dequantize';
import { buildParams, disposeParams } from '../../../src/lib/models/style-net/forward';
import { parseManifestText, validateWeightsBuffer } from '../../../src/lib/models/style-net/manifest';
import { decodeWeights } from '../../../src/lib/models/style-net/dequantize';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MODEL_DIR } from './style-net-helpers';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe('float16 dequantization', () => {
	it('decodes known half patterns', () => {
		expect(halfToFloat(0x3c00)).toBe(1);
		expect(halfToFloat(0xc000)).toBe(-2);
		expect(halfToFloat(0x0000)).toBe(0);
		expect(halfToFloat(0x7bff)).toBe(65504);
		expect(halfToFloat(0x0001)).toBeCloseTo(5.96e-8, 10);
		expect(halfToFloat(0x3555)).toBeCloseTo(0.33325, 5);
		expect(halfToFloat(0x7c00)).toBe(Infinity);
		expect(Number.isNaN(halfToFloat(0x7e00))).toBe(true);
	});
	it('reads little-endian values at an offset', () => {
		const buf = new Uint8Array([0xff, 0xff, 0x00, 0x3c, 0x00, 0xc0]).buffer;
		expect(Array.from(float16ToFloat32(buf, 2, 2))).toEqual([1, -2]);
	});
});

describe('CIN blend math', () => {
	const n = 4;
	const c = 3;
	const table = Float32Array.from({ length: n * c }, (_, i) => i * 0.5 - 1);
	it('one-hot blend = that style row', () => {
		for (let s = 0; s < n; s++) {
			expect(Array.from(blendRows(table, n, c, oneHot(s, n)))).toEqual(Array.from(table.slice(s * c, s * c + c)));
		}
	});
	it('blend is linear in the weights', () => {
		const a = normalizeBlend([1, 0, 2, 1], n);
		const b = normalizeBlend([0, 3, 1, 0], n);
		const t = 0.3;
		const mix = a.map((v, i) => t * v + (1 - t) * b[i]);
		const lhs = blendRows(table, n, c, mix);
		const ra = blendRows(table, n, c, a);
		const rb = blendRows(table, n, c, b);
		for (let j = 0; j < c; j++) expect(lhs[j]).toBeCloseTo(t * ra[j] + (1 - t) * rb[j], 5);
	});
	it('normalizes and validates', () => {
		expect(normalizeBlend([2, 2, 0, 4], n)).toEqual([0.25, 0.25, 0, 0.5]);
		expect(() => normalizeBlend([0, 0, 0, 0], n)).toThrow(/all zero/);
		expect(() => normalizeBlend([1, -1, 0, 0], n)).toThrow(/>= 0/);
		expect(() => normalizeBlend([1, NaN, 0, 0], n)).toThrow(/finite/);
		expect(() => normalizeBlend([1], n)).toThrow(/4 styles/);
	});
	it('the model cinTable rows (one matMul) equal each style’s gamma/beta from weights.bin', () => {
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
		const w = tf.tensor2d(oneHot(s, ns), [1, ns]);
		const row = tf.matMul(w, p.cinTable).dataSync();
		for (let j = 0; j < cinOp.channels; j++) expect(row[off + j]).toBeCloseTo(gamma[s * cinOp.channels + j], 6);
		const wb = normalizeBlend(manifest.styles.map((_, i) => i + 1), ns);
		const rowb = tf.matMul(tf.tensor2d(wb, [1, ns]), p.cinTable).dataSync();
		const expected = blendRows(gamma, ns, cinOp.channels, wb);
		for (let j = 0; j < cinOp.channels; j++) expect(rowb[off + j]).toBeCloseTo(expected[j], 5);
		w.dispose();
		disposeParams(p);
	});
});
