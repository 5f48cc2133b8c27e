import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { prepare, quantizeUint8, readableLabels, toHalf } from '../../../scripts/prepare-classifier.mjs';
import { MODEL_DIR } from './classifier-helpers';

describe('prepare-classifier helpers', () => {
	it('uint8 affine quantization keeps 0 exact and errors within half a step', () => {
		const v = Float32Array.from([-0.31, -0.1, 0, 0.05, 0.2, 0.7]);
		const { bytes, quantization } = quantizeUint8(v);
		expect(quantization.dtype).toBe('uint8');
		const back = Array.from(bytes, (q) => q * quantization.scale + quantization.min);
		expect(back[2]).toBeCloseTo(0, 6);
		v.forEach((x, i) => expect(Math.abs(back[i] - x)).toBeLessThanOrEqual(quantization.scale / 2 + 1e-6));
	});

	it('float16 bits for a few known values', () => {
		expect(toHalf(1)).toBe(0x3c00);
		expect(toHalf(-2)).toBe(0xc000);
		expect(toHalf(0.5)).toBe(0x3800);
		expect(toHalf(65504)).toBe(0x7bff);
		expect(toHalf(0)).toBe(0);
	});

	it('labels are readable', () => {
		expect(readableLabels({ '0': 'great_white_shark', '1': 'tench' })).toEqual(['great white shark', 'tench']);
		expect(() => readableLabels({ '1': 'x', '2': 'y' })).toThrow();
	});

	it('is idempotent: a second run writes nothing, and the asset is ≤ 26 MB', () => {
		prepare({ log: () => {} });
		const t = statSync(join(MODEL_DIR, 'manifest.json')).mtimeMs;
		const m = prepare({ log: () => {} });
		expect(statSync(join(MODEL_DIR, 'manifest.json')).mtimeMs).toBe(t);
		const total = m.files.reduce((s: number, f: string) => s + statSync(join(MODEL_DIR, f)).size, 0);
		expect(total).toBe(m.weightBytes);
		expect(total).toBeLessThanOrEqual(26e6);
		expect(existsSync(join(MODEL_DIR, 'labels.json'))).toBe(true);
		expect(JSON.parse(readFileSync(join(MODEL_DIR, 'labels.json'), 'utf8')).length).toBe(1000);
	});
});
