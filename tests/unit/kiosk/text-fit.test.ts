import { describe, expect, it } from 'vitest';
import { breakLines, fitText } from '../../../src/lib/kiosk/text-fit';

// A fixed-width font: every character 0.6 em wide.
const mono = (s: string, px: number) => s.length * px * 0.6;
const opts = { maxPx: 96, minPx: 12, lineHeight: 1.15 };

describe('the attract text fits its box', () => {
	it('breaks at spaces, and inside a word longer than a line', () => {
		expect(breakLines('Step in front of the camera', 60, (s) => s.length * 6)).toEqual(['Step in', 'front of', 'the camera']);
		expect(breakLines('x'.repeat(25), 60, (s) => s.length * 6)).toEqual(['xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxx']);
		expect(breakLines('  a   b  ', 60, (s) => s.length * 6)).toEqual(['a b']);
	});

	it('a short text at the largest size; 200 characters (with a 120-character word) shrunk until every line fits the width and all fit the height', () => {
		const box = { width: 1000, height: 700 };
		expect(fitText('Hello', box, mono, opts)).toEqual({ fontPx: 96, lines: ['Hello'] });
		const long = `${'Welcome to the science museum, '.repeat(2)}${'w'.repeat(120)}`.slice(0, 200);
		const fit = fitText(long, box, mono, opts);
		expect(fit.fontPx).toBeLessThan(96);
		expect(fit.fontPx).toBeGreaterThanOrEqual(12);
		for (const l of fit.lines) expect(mono(l, fit.fontPx)).toBeLessThanOrEqual(box.width);
		expect(fit.lines.length * fit.fontPx * opts.lineHeight).toBeLessThanOrEqual(box.height);
		expect(fit.lines.join('').replace(/ /g, '')).toBe(long.replace(/ /g, ''));
		// The largest such size: one pixel more does not fit.
		const bigger = fitText(long, box, mono, { ...opts, minPx: fit.fontPx + 1, maxPx: fit.fontPx + 1 });
		const ok = bigger.lines.length * bigger.fontPx * opts.lineHeight <= box.height && bigger.lines.every((l) => mono(l, bigger.fontPx) <= box.width);
		expect(ok).toBe(false);
	});

	it('a narrow portrait screen still fits', () => {
		const box = { width: 300, height: 500 };
		const fit = fitText('x'.repeat(200), box, mono, opts);
		for (const l of fit.lines) expect(mono(l, fit.fontPx)).toBeLessThanOrEqual(300);
		expect(fit.lines.length * fit.fontPx * opts.lineHeight).toBeLessThanOrEqual(500);
	});
});
