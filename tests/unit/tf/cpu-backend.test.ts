import { describe, expect, it } from 'vitest';
import { MAX_STYLE_WORKERS, threadPlan, threadsFor } from '../../../src/lib/tf/cpu-backend';

describe('threadsFor: the workers share the cores without oversubscribing them', () => {
	it.each([
		[1, 1, 1, 1, 1],
		[2, 1, 1, 2, 1],
		[4, 3, 1, 3, 1],
		[8, 6, 2, 3, 2],
		[16, 12, 4, 3, 4]
	])('%i cores: style %i, explain %i; %i live style workers of %i thread(s)', (cores, style, explain, workers, live) => {
		expect(threadsFor('style', cores)).toBe(style);
		expect(threadsFor('explain', cores)).toBe(explain);
		// Together never more threads than cores, except on one core where each needs one.
		if (cores > 1) expect(style + explain).toBeLessThanOrEqual(cores);
		expect(threadPlan(cores)).toEqual({ styleThreads: style, explainThreads: explain, pageThreads: cores, styleWorkers: workers, liveThreads: live });
	});

	it('the live style workers: two or more from 2 cores on, never more threads than the style cores (from 4 on)', () => {
		for (let cores = 2; cores <= 64; cores++) {
			const p = threadPlan(cores);
			expect(p.styleWorkers).toBeGreaterThanOrEqual(2);
			expect(p.styleWorkers).toBeLessThanOrEqual(MAX_STYLE_WORKERS);
			expect(p.liveThreads).toBeGreaterThanOrEqual(1);
			if (cores >= 4) expect(p.styleWorkers * p.liveThreads).toBeLessThanOrEqual(p.styleThreads);
		}
		expect(threadPlan(1).styleWorkers).toBe(1);
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
