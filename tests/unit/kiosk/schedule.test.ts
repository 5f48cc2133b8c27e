import { describe, expect, it } from 'vitest';
import { cycleAt, ease, mixWeights, type Stop } from '../../../src/lib/kiosk/schedule';

const sum = (w: number[]) => w.reduce((a, b) => a + b, 0);
const stops: Stop[] = [
	{ label: 'A', weights: [1, 0, 0, 0] },
	{ label: 'B', weights: [0, 1, 0, 0] },
	{ label: 'C + D', weights: [0, 0, 0.5, 0.5] }
];
const timing = { periodMs: 10_000, fadeMs: 2_000 };

describe('kiosk cycle schedule', () => {
	it('holds each stop exactly until its fade starts', () => {
		for (const t of [0, 1, 4_000, 7_999]) expect(cycleAt(stops, timing, t)).toMatchObject({ index: 0, next: 0, mix: 0, weights: [1, 0, 0, 0], label: 'A' });
		expect(cycleAt(stops, timing, 10_000)).toMatchObject({ index: 1, mix: 0, weights: [0, 1, 0, 0], label: 'B' });
		expect(cycleAt(stops, timing, 25_000)).toMatchObject({ index: 2, weights: [0, 0, 0.5, 0.5], label: 'C + D' });
	});

	it('cross-fades into the next stop: weights sum to 1 and move monotonically', () => {
		let prevA = Infinity;
		let prevB = -Infinity;
		for (let t = 7_900; t <= 10_000; t += 25) {
			const s = cycleAt(stops, timing, t);
			expect(sum(s.weights)).toBeCloseTo(1, 12);
			for (const w of s.weights) expect(w).toBeGreaterThanOrEqual(0);
			const a = t < 10_000 ? s.weights[0] : 0;
			expect(a).toBeLessThanOrEqual(prevA);
			expect(s.weights[1]).toBeGreaterThanOrEqual(prevB);
			prevA = a;
			prevB = s.weights[1];
		}
		const mid = cycleAt(stops, timing, 9_000);
		expect(mid).toMatchObject({ index: 0, next: 1, mix: 0.5 });
		expect(mid.weights).toEqual([0.5, 0.5, 0, 0]);
		// Just before the end of the fade it is nearly all B, and the label already says so.
		const late = cycleAt(stops, timing, 9_990);
		expect(late.weights[1]).toBeGreaterThan(0.999);
		expect(late.label).toBe('B');
	});

	it('wraps around: the last stop fades into the first', () => {
		const s = cycleAt(stops, timing, 29_000);
		expect(s).toMatchObject({ index: 2, next: 0, mix: 0.5 });
		expect(s.weights).toEqual([0.5, 0, 0.25, 0.25]);
		expect(cycleAt(stops, timing, 30_000)).toMatchObject({ index: 0, mix: 0 });
		expect(cycleAt(stops, timing, 3 * 30_000 + 10_000).index).toBe(1);
	});

	it('no fade cuts straight; one stop never fades', () => {
		expect(cycleAt(stops, { periodMs: 1000, fadeMs: 0 }, 999)).toMatchObject({ index: 0, mix: 0 });
		expect(cycleAt(stops, { periodMs: 1000, fadeMs: 0 }, 1000)).toMatchObject({ index: 1, mix: 0 });
		expect(cycleAt([stops[2]], timing, 9_500)).toMatchObject({ index: 0, next: 0, mix: 0, weights: [0, 0, 0.5, 0.5] });
	});

	it('a fade as long as the period is a continuous glide', () => {
		const s = cycleAt(stops, { periodMs: 1000, fadeMs: 1000 }, 500);
		expect(s.mix).toBe(0.5);
		expect(sum(s.weights)).toBeCloseTo(1, 12);
	});

	it('refuses no stops and impossible timings', () => {
		expect(() => cycleAt([], timing, 0)).toThrow(/at least one stop/);
		expect(() => cycleAt(stops, { periodMs: 0, fadeMs: 0 }, 0)).toThrow(/bad cycle timing/);
		expect(() => cycleAt(stops, { periodMs: 1000, fadeMs: 2000 }, 0)).toThrow(/bad cycle timing/);
	});

	it('ease is monotone from 0 to 1', () => {
		expect(ease(0)).toBe(0);
		expect(ease(1)).toBe(1);
		expect(ease(-1)).toBe(0);
		expect(ease(2)).toBe(1);
		let prev = -1;
		for (let u = 0; u <= 1; u += 0.01) {
			expect(ease(u)).toBeGreaterThanOrEqual(prev);
			prev = ease(u);
		}
	});

	it('mixWeights refuses blends of different lengths', () => {
		expect(mixWeights([1, 0], [0, 1], 0.25)).toEqual([0.75, 0.25]);
		expect(() => mixWeights([1], [0, 1], 0.5)).toThrow(/2 styles/);
	});
});
