import { describe, expect, it } from 'vitest';
import { ScoreSchedule } from '../../../src/lib/explain/score-schedule';

/** Runs the schedule over explanations of `key`, a score finishing `chunks` explanations after it started; returns which started one. */
function run(s: ScoreSchedule, keys: string[], chunks: number): boolean[] {
	const started: boolean[] = [];
	let left = 0;
	let running = '';
	for (const key of keys) {
		const start = s.wants(key);
		started.push(start);
		// The Explainer: a request with a new key replaces the running score; the same key leaves it.
		if (start && (left === 0 || running !== key)) [left, running] = [chunks, key];
		let scored: string | null = null;
		if (left > 0 && --left === 0) scored = running;
		s.explained(key, scored);
	}
	return started;
}

describe('ScoreSchedule', () => {
	it('no score with the first explanation of new settings; the second starts one; then every N-th', () => {
		const s = new ScoreSchedule(4);
		// 1 (map), 2–5 (a score of 4 chunks, done with the 5th), 6–8 without, the 9th starts the next.
		const starts = run(s, Array(12).fill('a'), 4);
		expect(starts.slice(0, 2)).toEqual([false, true]);
		expect(starts.slice(5, 9)).toEqual([false, false, false, true]);
	});

	it('every = 1 starts a score right after one ends', () => {
		const starts = run(new ScoreSchedule(1), Array(8).fill('a'), 2);
		expect(starts).toEqual([false, true, true, true, true, true, true, true]);
	});

	it('a change of settings: its first explanation brings the map, the second starts its score', () => {
		const s = new ScoreSchedule(4);
		const starts = run(s, ['a', 'a', 'a', 'b', 'b', 'b'], 4);
		expect(starts).toEqual([false, true, true, false, true, true]);
	});

	it('reset forgets the shown settings; a bad period is refused', () => {
		const s = new ScoreSchedule(4);
		run(s, ['a', 'a'], 1);
		expect(s.wants('a')).toBe(false); // scored just now, every 4th
		s.reset();
		expect(s.wants('a')).toBe(false); // nothing shown since
		s.explained('a', null);
		expect(s.wants('a')).toBe(true);
		expect(() => s.setEvery(0)).toThrow(RangeError);
		expect(() => new ScoreSchedule(2.5)).toThrow(RangeError);
	});
});
