import { describe, expect, it } from 'vitest';
import { DutyCycle } from '../../../src/lib/explain/duty-cycle';

describe('DutyCycle', () => {
	it('is due at the start, and not while a job runs', () => {
		const d = new DutyCycle({ share: 0.3, minGapMs: 0 });
		expect(d.busy).toBe(false);
		expect(d.due(0)).toBe(true);
		expect(d.due(123_456)).toBe(true);
		d.start(1000);
		expect(d.busy).toBe(true);
		expect(d.due(1000)).toBe(false);
		expect(d.due(1_000_000)).toBe(false);
	});

	it('after a 300 ms job at share 0.3 the next is due 700 ms later, not earlier', () => {
		const d = new DutyCycle({ share: 0.3, minGapMs: 0 });
		d.start(1000);
		expect(d.finish(1300)).toBe(300);
		expect(d.busy).toBe(false);
		expect(d.due(1300)).toBe(false);
		expect(d.due(1999)).toBe(false);
		expect(d.due(1999.9)).toBe(false);
		expect(d.due(2000.001)).toBe(true);
		expect(d.due(2500)).toBe(true);
	});

	it('keeps explaining to its share of the time over many jobs', () => {
		const d = new DutyCycle({ share: 0.25, minGapMs: 0 });
		let t = 0;
		let busy = 0;
		for (let i = 0; i < 50; i++) {
			// Wait until due (1 ms steps), then run a job of 40..120 ms.
			while (!d.due(t)) t++;
			const ms = 40 + ((i * 37) % 80);
			d.start(t);
			t += ms;
			busy += ms;
			d.finish(t);
		}
		// Count the pause after the last job too.
		while (!d.due(t)) t++;
		expect(busy / t).toBeLessThanOrEqual(0.25 + 1e-9);
		expect(busy / t).toBeGreaterThan(0.24);
	});

	it('share 1: the next job may start as soon as one ends', () => {
		const d = new DutyCycle({ share: 1, minGapMs: 0 });
		d.start(0);
		d.finish(500);
		expect(d.due(500)).toBe(true);
	});

	it('minGapMs wins for short jobs, the share for long ones', () => {
		const d = new DutyCycle({ share: 0.5, minGapMs: 200 });
		d.start(0);
		d.finish(50); // the share alone would allow 50 ms later
		expect(d.due(100)).toBe(false);
		expect(d.due(249)).toBe(false);
		expect(d.due(250)).toBe(true);
		d.start(1000);
		d.finish(1400); // share: 400 ms > 200 ms
		expect(d.due(1600)).toBe(false);
		expect(d.due(1799)).toBe(false);
		expect(d.due(1800)).toBe(true);
	});

	it('a negative minGapMs counts as 0; a clock that went back gives a 0 ms job', () => {
		const d = new DutyCycle({ share: 0.5, minGapMs: -100 });
		d.start(100);
		expect(d.finish(100)).toBe(0);
		expect(d.due(100)).toBe(true);
		d.start(500);
		expect(d.finish(400)).toBe(0);
		expect(d.due(400)).toBe(true);
	});

	it('rate() counts jobs finished in the last 5 s, per second', () => {
		const d = new DutyCycle({ share: 1, minGapMs: 0 });
		expect(d.rate(0)).toBe(0);
		for (let i = 0; i < 10; i++) {
			d.start(i * 1000);
			d.finish(i * 1000 + 100); // finished at 100, 1100, … 9100
		}
		// At 9100: the window (4100, 9100] holds 5100 … 9100.
		expect(d.rate(9100)).toBe(1);
		expect(d.rate(9200)).toBe(1);
		expect(d.rate(10_100)).toBe(4 / 5); // 6100 … 9100
		expect(d.rate(14_100)).toBe(0);
	});

	it('reset() forgets the schedule, the running job and the rate', () => {
		const d = new DutyCycle({ share: 0.1, minGapMs: 0 });
		d.start(0);
		d.finish(1000); // next due at 10 000
		expect(d.due(2000)).toBe(false);
		expect(d.rate(2000)).toBe(0.2);
		d.reset();
		expect(d.due(2000)).toBe(true);
		expect(d.rate(2000)).toBe(0);
		d.start(3000);
		d.reset();
		expect(d.busy).toBe(false);
		expect(d.due(3000)).toBe(true);
	});

	it('configure() changes the share for the next job and rejects a share outside (0, 1]', () => {
		const d = new DutyCycle({ share: 0.5, minGapMs: 0 });
		d.configure({ share: 0.2, minGapMs: 0 });
		d.start(0);
		d.finish(100); // 100 · 0.8 / 0.2 = 400
		expect(d.due(499)).toBe(false);
		expect(d.due(500)).toBe(true);
		for (const share of [0, -0.1, 1.01, 2, Number.NaN]) {
			expect(() => d.configure({ share, minGapMs: 0 })).toThrow(RangeError);
			expect(() => new DutyCycle({ share, minGapMs: 0 })).toThrow(RangeError);
		}
		expect(() => d.configure({ share: 1, minGapMs: 0 })).not.toThrow();
		expect(() => d.configure({ share: 1e-6, minGapMs: 0 })).not.toThrow();
		// A rejected configure keeps the previous options.
		const e = new DutyCycle({ share: 0.5, minGapMs: 0 });
		expect(() => e.configure({ share: 0, minGapMs: 0 })).toThrow(RangeError);
		e.start(0);
		e.finish(100);
		expect(e.due(199)).toBe(false);
		expect(e.due(200)).toBe(true);
	});
});
