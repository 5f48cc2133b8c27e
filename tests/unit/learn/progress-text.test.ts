/** The learner's progress in words (the same on /learn and in the studio) and its address options. */
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../src/lib/duration';
import { phaseText, progressPercent, statusLine } from '../../../src/lib/learn/progress-text';
import { parseLearnOptions } from '../../../src/lib/config/pages';

const two = { cores: 2 };

describe('learning progress in words', () => {
	it('durations in ms, s, and min s', () => {
		expect([formatDuration(null), formatDuration(NaN), formatDuration(850), formatDuration(42_400), formatDuration(185_000)]).toEqual(['—', '—', '850 ms', '42 s', '3 min 5 s']);
	});

	it('phases, per cent and the status line', () => {
		expect(phaseText(null)).toBe('');
		expect(phaseText({ phase: 'targets', step: 0, steps: 60, elapsedMs: 0 })).toBe('Reading the picture’s style…');
		expect(phaseText({ phase: 'guess', step: 0, steps: 60, elapsedMs: 0 })).toBe('Finding the nearest of the twelve…');
		const p = { phase: 'learning' as const, step: 15, steps: 60, elapsedMs: 30_000 };
		expect(phaseText(p)).toBe('Step 15 of 60');
		expect([progressPercent(null), progressPercent(p)]).toEqual([0, 25]);
		expect(statusLine({ status: 'learning', progress: p, losses: [2, 1.23456], etaMs: 90_000, paused: true })).toBe('Step 15 of 60 · loss 1.235 · about 1 min 30 s left · paused');
		expect(statusLine({ status: 'estimating', progress: null, losses: [], etaMs: 5000, paused: false })).toBe('Measuring…');
	});
});

describe('the learner\'s address options', () => {
	it('learnSteps and learnSides in range, or replaced with a message; backend as on every page', () => {
		expect(parseLearnOptions(new URLSearchParams('learnSteps=2&learnSides=128,96&backend=wasm'), two)).toEqual({ options: { backend: 'wasm', steps: 2, sides: [128, 96] }, problems: [] });
		expect(parseLearnOptions(new URLSearchParams(''), two)).toEqual({ options: { backend: null, steps: null, sides: null }, problems: [] });
		const { options, problems } = parseLearnOptions(new URLSearchParams('learnSteps=0&learnSides=10,abc'), two);
		expect(options).toEqual({ backend: null, steps: null, sides: null });
		expect(problems).toEqual([
			"learnSteps=0 is not a whole number of steps from 1 to 5000; using the effort's steps",
			'learnSides=10,abc should be short sides from 32 to 1024 px, separated by commas; using 384 and 512'
		]);
	});
});
