import { describe, expect, it } from 'vitest';
import { AutoResolution, TARGET_FPS_CHOICES, defaultTargetFps } from '../../../src/lib/stylize/auto-resolution';

/** Simulates a processor whose cost is proportional to pixel count: `msAt256` at short side 256. */
function run(auto: AutoResolution, msAt256: number, seconds: number, log: number[] = []) {
	for (let t = 0; t < seconds * 4; t++) {
		const ms = msAt256 * (auto.shortSide / 256) ** 2;
		log.push(auto.update(ms, t * 250));
	}
	return log;
}

describe('AutoResolution', () => {
	it('steps down when frames are slow until the target holds', () => {
		const auto = new AutoResolution({ targetFps: 24, start: 480 });
		run(auto, 60, 10);
		// 60 ms at 256 → 24 fps (41.7 ms) needs a short side ≤ 213: 192 is the level that fits.
		expect(auto.shortSide).toBe(192);
	});

	it('steps up when there is headroom', () => {
		const auto = new AutoResolution({ targetFps: 24, start: 144 });
		run(auto, 10, 30);
		// 10 ms at 256 → 480 costs 35 ms (fits 80 % of 41.7? no: 33.3 budget) → 360 is the top that fits.
		expect(auto.shortSide).toBe(360);
	});

	it('does not oscillate at a boundary', () => {
		const auto = new AutoResolution({ targetFps: 24, start: 256 });
		const log = run(auto, 38, 60); // 38 ms at 256: fits; 360 would be 75 ms
		const changes = log.filter((v, i) => i > 0 && v !== log[i - 1]).length;
		expect(changes).toBe(0);
		expect(auto.shortSide).toBe(256);
	});

	it('with noisy timings around a level, changes at most once', () => {
		const auto = new AutoResolution({ targetFps: 24, start: 360 });
		const log: number[] = [];
		let seed = 1;
		const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
		for (let t = 0; t < 400; t++) {
			const ms = 30 * (auto.shortSide / 256) ** 2 * (0.8 + 0.4 * rand());
			log.push(auto.update(ms, t * 250));
		}
		const changes = log.filter((v, i) => i > 0 && v !== log[i - 1]).length;
		expect(changes).toBeLessThanOrEqual(1);
	});

	it('ignores missing measurements', () => {
		const auto = new AutoResolution({ targetFps: 24 });
		expect(auto.update(NaN, 0)).toBe(256);
	});
});

describe('defaultTargetFps: the rate auto resolution holds until the person picks one', () => {
	it('24 fps on a GPU, 12 on the CPU path; both among the choices', () => {
		expect(defaultTargetFps(true)).toBe(24);
		expect(defaultTargetFps(false)).toBe(12);
		expect(TARGET_FPS_CHOICES).toContain(defaultTargetFps(true));
		expect(TARGET_FPS_CHOICES).toContain(defaultTargetFps(false));
	});

	it('at 12 fps, 256p holds on two workers that each take ~150 ms a frame (75 ms a frame shared), and steps down at 24', () => {
		const hold = new AutoResolution({ targetFps: defaultTargetFps(false), start: 256 });
		const drop = new AutoResolution({ targetFps: defaultTargetFps(true), start: 256 });
		for (let t = 0; t < 20_000; t += 250) {
			hold.update(75, t);
			drop.update(75, t);
		}
		expect(hold.shortSide).toBe(256);
		expect(drop.shortSide).toBe(144);
	});
});

describe('AutoResolution warm-up', () => {
	it('does not judge the slow first frames of fresh workers, nor those at a new size, and warms up again on restart', () => {
		const auto = new AutoResolution({ targetFps: 12, start: 256, warmupMs: 3000 });
		// Cold: 400 ms a frame for 2.5 s, then 75 ms (two workers at 256p on 2 cores).
		for (let t = 0; t < 2500; t += 250) auto.update(400, t);
		for (let t = 2500; t < 20_000; t += 250) auto.update(75, t);
		expect(auto.shortSide).toBe(256);
		// Without the warm-up the same start steps down for good (256p would not be predicted to fit again).
		const eager = new AutoResolution({ targetFps: 12, start: 256 });
		for (let t = 0; t < 2500; t += 250) eager.update(400, t);
		for (let t = 2500; t < 20_000; t += 250) eager.update(eager.shortSide === 256 ? 75 : 75 * (eager.shortSide / 256) ** 2, t);
		expect(eager.shortSide).toBeLessThan(256);
		// Really slow (not a cold start): down after the warm-up, and the next level gets its own warm-up.
		auto.restart();
		const levels: number[] = [];
		for (let t = 20_000; t < 30_000; t += 250) levels.push(auto.update(400 * (auto.shortSide / 256) ** 2, t));
		expect(levels.slice(0, 12).every((l) => l === 256)).toBe(true); // 3 s of warm-up
		expect(auto.shortSide).toBe(144);
		const firstDown = levels.findIndex((l) => l < 256);
		expect(levels.slice(firstDown, firstDown + 12).every((l) => l === levels[firstDown])).toBe(true); // 192 judged only after its own 3 s
	});
});
