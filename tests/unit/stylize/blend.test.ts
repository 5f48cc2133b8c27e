import { describe, expect, it } from 'vitest';
import { carryBlend, expand, normalize, padWeights, setWeight } from '../../../src/lib/stylize/blend';

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

describe('carryBlend (the style list changes: learned styles saved or deleted elsewhere)', () => {
	const before = ['a', 'b', 'c', 'x', 'y'];

	it('keeps everything when the list is the same, and follows ids when a style is added', () => {
		const blend = { weights: [0, 0.25, 0, 0.75, 0], selected: 3, padStyles: [0, 1, 3, 4] };
		expect(carryBlend(before, before, blend)).toEqual({ weights: blend.weights, selected: 3, padStyles: [0, 1, 3, 4], lost: [] });
		const added = carryBlend(before, [...before, 'z'], blend);
		expect(added.weights).toEqual([0, 0.25, 0, 0.75, 0, 0]);
		expect(added.lost).toEqual([]);
	});

	it('moves the weights of the styles after a deleted one, and renormalizes what is left', () => {
		// 'x' (index 3) deleted: 'y' moves from 4 to 3; the blend goes on without 'x'.
		const r = carryBlend(before, ['a', 'b', 'c', 'y'], { weights: [0, 0.2, 0, 0.6, 0.2], selected: 4, padStyles: [1, 3, 4] });
		expect(r.weights!.map((v) => +v.toFixed(6))).toEqual([0, 0.5, 0, 0.5]);
		expect(r.selected).toBe(3);
		expect(r.padStyles).toEqual([1, 3]);
		expect(r.lost).toEqual([3]);
	});

	it('has no weights left when the only style used is deleted: the selection falls back to the first style', () => {
		const r = carryBlend(before, ['a', 'b', 'c', 'y'], { weights: [0, 0, 0, 1, 0], selected: 3, padStyles: [3, 4] });
		expect(r.weights).toBeNull();
		expect(r.selected).toBe(0);
		expect(r.padStyles).toEqual([0, 1, 2, 3]);
		expect(r.lost).toEqual([3]);
	});

	it('keeps indices on the first load (no list before)', () => {
		expect(carryBlend([], ['a', 'b', 'c'], { weights: [], selected: 1, padStyles: [0, 1, 2, 3] })).toEqual({ weights: null, selected: 1, padStyles: [0, 1, 2], lost: [] });
	});
});
