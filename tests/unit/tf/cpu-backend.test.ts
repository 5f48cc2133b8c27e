import { describe, expect, it } from 'vitest';
import { threadsFor } from '../../../src/lib/tf/cpu-backend';

describe('threadsFor: the workers share the cores without oversubscribing them', () => {
	it.each([
		[1, 1, 1],
		[2, 1, 1],
		[4, 3, 1],
		[8, 7, 2],
		[16, 15, 4]
	])('%i cores: style %i, explain %i', (cores, style, explain) => {
		expect(threadsFor('style', cores)).toBe(style);
		expect(threadsFor('explain', cores)).toBe(explain);
		// Together never more threads than cores, except on one core where each needs one.
		if (cores > 1) expect(style + explain).toBeLessThanOrEqual(cores + Math.floor(cores / 4));
	});

	it('a missing or odd core count gives one thread', () => {
		expect(threadsFor('style', 0)).toBe(1);
		expect(threadsFor('explain', NaN)).toBe(1);
		expect(threadsFor('page', 3.7)).toBe(3);
	});
});
