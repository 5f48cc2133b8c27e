import { describe, expect, it } from 'vitest';
import { threadPlan, threadsFor } from '../../../src/lib/tf/cpu-backend';

describe('threadsFor: the workers share the cores without oversubscribing them', () => {
	it.each([
		[1, 1, 1],
		[2, 1, 1],
		[4, 3, 1],
		[8, 6, 2],
		[16, 12, 4]
	])('%i cores: style %i, explain %i', (cores, style, explain) => {
		expect(threadsFor('style', cores)).toBe(style);
		expect(threadsFor('explain', cores)).toBe(explain);
		// Together never more threads than cores, except on one core where each needs one.
		if (cores > 1) expect(style + explain).toBeLessThanOrEqual(cores);
		expect(threadPlan(cores)).toEqual({ styleThreads: style, explainThreads: explain, pageThreads: cores });
	});

	it('every core count from 2 to 64: both workers at least one thread, together exactly the cores', () => {
		for (let cores = 2; cores <= 64; cores++) {
			const p = threadPlan(cores);
			expect(p.styleThreads).toBeGreaterThanOrEqual(1);
			expect(p.explainThreads).toBeGreaterThanOrEqual(1);
			expect(p.styleThreads + p.explainThreads).toBe(cores);
			expect(p.styleThreads).toBeGreaterThanOrEqual(p.explainThreads);
		}
	});

	it('a missing or odd core count gives one thread', () => {
		expect(threadsFor('style', 0)).toBe(1);
		expect(threadsFor('explain', NaN)).toBe(1);
		expect(threadsFor('page', 3.7)).toBe(3);
	});
});
