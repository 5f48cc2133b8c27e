import { describe, expect, it } from 'vitest';
import { FrameStats, median } from '../../../src/lib/live/stats';

describe('median', () => {
	it('handles odd, even and empty', () => {
		expect(median([5, 1, 3])).toBe(3);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(median([])).toBeNaN();
	});
});

describe('FrameStats', () => {
	it('counts frames in the last second and takes the median time', () => {
		const s = new FrameStats(1000);
		for (let i = 0; i < 30; i++) s.add(i * 33.3, i < 29 ? 10 : 500);
		expect(s.fps(29 * 33.3)).toBe(30);
		expect(s.medianMs(29 * 33.3)).toBe(10);
	});
	it('forgets samples older than the window', () => {
		const s = new FrameStats(1000);
		s.add(0, 100);
		s.add(500, 200);
		expect(s.fps(1200)).toBe(1);
		expect(s.medianMs(1200)).toBe(200);
		expect(s.fps(5000)).toBe(0);
		expect(s.medianMs(5000)).toBeNaN();
	});
});
