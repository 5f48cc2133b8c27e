import { describe, expect, it } from 'vitest';
import { pca2 } from '../../../src/lib/gallery/pca';
import { gaussian, mulberry32 } from '../../../src/lib/gallery/tsne';

describe('PCA to 2-D', () => {
	it('finds the two directions of largest variance, with their variances', () => {
		const rand = mulberry32(5);
		const n = 400;
		const d = 6;
		// Variances 9, 4, 0.25 … along rotated axes u = (1,1,0…)/√2, v = (1,−1,0…)/√2.
		const data = new Float64Array(n * d);
		const truth: [number, number][] = [];
		for (let i = 0; i < n; i++) {
			const a = 3 * gaussian(rand);
			const b = 2 * gaussian(rand);
			truth.push([a, b]);
			data[i * d] = (a + b) / Math.SQRT2 + 5;
			data[i * d + 1] = (a - b) / Math.SQRT2 - 2;
			for (let j = 2; j < d; j++) data[i * d + j] = 0.5 * gaussian(rand);
		}
		const { positions, variance } = pca2(data, n, d);
		expect(variance[0]).toBeGreaterThan(7);
		expect(variance[0]).toBeLessThan(11);
		expect(variance[1]).toBeGreaterThan(3);
		expect(variance[1]).toBeLessThan(5);
		// The first coordinate follows a (up to sign), the second b.
		const corr = (axis: number, t: number) => {
			let sxy = 0, sxx = 0, syy = 0;
			for (let i = 0; i < n; i++) {
				const x = positions[2 * i + axis];
				const y = truth[i][t];
				sxy += x * y;
				sxx += x * x;
				syy += y * y;
			}
			return Math.abs(sxy / Math.sqrt(sxx * syy));
		};
		expect(corr(0, 0)).toBeGreaterThan(0.95);
		expect(corr(1, 1)).toBeGreaterThan(0.9);
	});

	it('is deterministic and handles tiny sets', () => {
		const data = Float64Array.from([0, 0, 1, 0, 0, 1, 2, 2]);
		expect(Array.from(pca2(data, 4, 2).positions)).toEqual(Array.from(pca2(data, 4, 2).positions));
		expect(Array.from(pca2(new Float64Array(3), 1, 3).positions)).toEqual([0, 0]);
	});
});
