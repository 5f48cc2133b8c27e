import { describe, expect, it } from 'vitest';
import { FrameTimeout } from '../../../src/lib/workers/frame-timeout';

const SIZE = 340 * 256;

describe('FrameTimeout (how long a style worker frame may take)', () => {
	it('is long while a fresh worker has fewer than 3 frames behind it', () => {
		const t = new FrameTimeout();
		expect(t.limit(SIZE)).toBe(15_000);
		t.record(SIZE, 40);
		t.record(SIZE, 40);
		expect(t.limit(SIZE)).toBe(15_000);
		t.record(SIZE, 40);
		expect(t.limit(SIZE)).toBe(1200);
	});

	it('then five times the median of the recent frames, at least 1.2 s', () => {
		const t = new FrameTimeout();
		for (const ms of [300, 500, 400, 9000]) t.record(SIZE, ms); // one slow outlier does not move the median much
		expect(t.limit(SIZE)).toBe(5 * 450);
		for (let i = 0; i < 20; i++) t.record(SIZE, 900);
		expect(t.limit(SIZE)).toBe(4500); // only the last 15 count
	});

	it('a new size starts over: its first frames get the long limit', () => {
		const t = new FrameTimeout();
		for (let i = 0; i < 5; i++) t.record(86 * 64, 20);
		expect(t.limit(86 * 64)).toBe(1200);
		expect(t.limit(SIZE)).toBe(15_000);
		t.record(SIZE, 600);
		expect(t.limit(86 * 64)).toBe(15_000); // back at the old size: its history is gone too
		t.record(SIZE, 600);
		t.record(SIZE, 600);
		expect(t.limit(SIZE)).toBe(3000);
	});

	it('reset (a fresh worker) forgets everything', () => {
		const t = new FrameTimeout();
		for (let i = 0; i < 5; i++) t.record(SIZE, 100);
		t.reset();
		expect(t.limit(SIZE)).toBe(15_000);
	});

	it('takes its numbers as options', () => {
		const t = new FrameTimeout({ coldMs: 100, minMs: 10, factor: 2, warm: 1 });
		expect(t.limit(1)).toBe(100);
		t.record(1, 50);
		expect(t.limit(1)).toBe(100);
	});
});
