import { describe, expect, it } from 'vitest';
import { tsnePerplexity, unitRows } from '../../../src/lib/gallery/embedding';
import { cosineDistance } from '../../../src/lib/gallery/neighbours';

describe('the map’s input', () => {
	it('scales every row to unit length, keeps its direction, and packs the rows one after another', () => {
		const rows = [new Float32Array([3, 4, 0]), new Float32Array([0, 0, 0.5]), new Float32Array([-2, 2, 1])];
		const out = unitRows(rows, 3);
		expect(out).toHaveLength(9);
		expect(Array.from(out.subarray(0, 3))).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6), 0]);
		expect(Array.from(out.subarray(3, 6))).toEqual([0, 0, 1]);
		for (let i = 0; i < 3; i++) {
			const r = out.subarray(i * 3, i * 3 + 3);
			expect(Math.hypot(...r)).toBeCloseTo(1, 6);
			expect(cosineDistance(r, rows[i])).toBeCloseTo(0, 6);
		}
	});

	it('orders pairs by Euclidean distance as the cosine distance does', () => {
		const rows = [[1, 0.1], [10, 3], [0.2, 5], [-4, 1]].map((r) => Float32Array.from(r));
		const out = unitRows(rows, 2);
		const l2 = (i: number, j: number) => Math.hypot(out[2 * i] - out[2 * j], out[2 * i + 1] - out[2 * j + 1]);
		const pairs = [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]];
		const byL2 = [...pairs].sort((a, b) => l2(a[0], a[1]) - l2(b[0], b[1]));
		const byCos = [...pairs].sort((a, b) => cosineDistance(rows[a[0]], rows[a[1]]) - cosineDistance(rows[b[0]], rows[b[1]]));
		expect(byL2).toEqual(byCos);
	});

	it('leaves a zero row zero and refuses a row of the wrong length', () => {
		expect(Array.from(unitRows([new Float32Array(4)], 4))).toEqual([0, 0, 0, 0]);
		expect(() => unitRows([new Float32Array(3)], 4)).toThrow(RangeError);
	});

	it('perplexity: 30 for a large gallery, a third of the others for a small one, never under 2', () => {
		expect(tsnePerplexity(3)).toBe(2);
		expect(tsnePerplexity(31)).toBe(10);
		expect(tsnePerplexity(91)).toBe(30);
		expect(tsnePerplexity(1000)).toBe(30);
	});
});
