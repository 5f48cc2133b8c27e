import { describe, expect, it } from 'vitest';
import { expand, normalize, padWeights, setWeight } from '../../../src/lib/stylize/blend';

const sum = (w: number[]) => w.reduce((a, b) => a + b, 0);

describe('blend weights', () => {
	it('normalize', () => {
		expect(normalize([2, 2, 0, -1])).toEqual([0.5, 0.5, 0, 0]);
		expect(normalize([0, 0])).toBeNull();
		expect(normalize([NaN, 1])).toEqual([0, 1]);
	});

	it('setWeight keeps the sum at 1 and the others in proportion', () => {
		const w = setWeight([0.5, 0.3, 0.2], 0, 0.8);
		expect(w[0]).toBe(0.8);
		expect(sum(w)).toBeCloseTo(1, 12);
		expect(w[1] / w[2]).toBeCloseTo(1.5, 12);
		const spread = setWeight([1, 0, 0], 0, 0.4);
		expect(spread).toEqual([0.4, 0.3, 0.3]);
		expect(setWeight([0.2, 0.8], 1, 2)).toEqual([0, 1]);
	});

	it('pad weights sum to 1 and hit each corner exactly', () => {
		expect(padWeights(2, 0.25, 0.9)).toEqual([0.75, 0.25]);
		expect(padWeights(4, 0, 0)).toEqual([1, 0, 0, 0]);
		expect(padWeights(4, 1, 1)).toEqual([0, 0, 0, 1]);
		expect(padWeights(4, 0.5, 0.5)).toEqual([0.25, 0.25, 0.25, 0.25]);
		expect(padWeights(3, 0, 0)).toEqual([1, 0, 0]);
		expect(padWeights(3, 1, 0)).toEqual([0, 1, 0]);
		expect(padWeights(3, 0.5, 1)).toEqual([0, 0, 1]);
		for (const [x, y] of [[0.3, 0.7], [0.9, 0.1], [2, -1]]) {
			for (const n of [2, 3, 4] as const) {
				const w = padWeights(n, x, y);
				expect(sum(w)).toBeCloseTo(1, 12);
				expect(Math.min(...w)).toBeGreaterThanOrEqual(0);
			}
		}
	});

	it('expand places pad weights on the chosen styles', () => {
		expect(expand(5, [4, 1], [0.25, 0.75])).toEqual([0, 0.75, 0, 0, 0.25]);
	});
});
