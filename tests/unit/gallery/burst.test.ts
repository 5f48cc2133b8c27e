import { describe, expect, it } from 'vitest';
import { checkBurst, nextShot } from '../../../src/lib/gallery/burst';

describe('burst schedule', () => {
	const plan = { everyMs: 500, count: 4, startedAt: 1000 };

	it('shoots at once, then every interval, then stops', () => {
		expect(nextShot(plan, 0, -1, 1000)).toEqual({ done: false, waitMs: 0, slot: 0 });
		expect(nextShot(plan, 1, 0, 1100)).toEqual({ done: false, waitMs: 400, slot: 1 });
		expect(nextShot(plan, 2, 1, 1520)).toEqual({ done: false, waitMs: 480, slot: 2 });
		expect(nextShot(plan, 4, 3, 2600).done).toBe(true);
	});

	it('a slow shot skips the slots it overran instead of catching up', () => {
		// Shot 1 took until 2700: slots 2, 3 (at 2000, 2500) passed; the next is slot 3, now.
		expect(nextShot(plan, 2, 1, 2700)).toEqual({ done: false, waitMs: 0, slot: 3 });
		// Never the same slot twice.
		expect(nextShot(plan, 1, 0, 1000).slot).toBe(1);
	});

	it('checks the settings', () => {
		expect(checkBurst(0.5, 6)).toBeNull();
		expect(checkBurst(0, 6)).toMatch(/every/);
		expect(checkBurst(1, 0)).toMatch(/1 to 500/);
		expect(checkBurst(1, 2.5)).toMatch(/1 to 500/);
	});
});
