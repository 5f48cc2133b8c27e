import { describe, expect, it } from 'vitest';
import { MotionDetector, toGrey } from '../../../src/lib/kiosk/motion';

const W = 32;
const H = 24;
/** A grey frame of one value, with a bright square of `side` pixels at (x, y). */
function frame(base: number, square?: { x: number; y: number; side: number; value: number }): Uint8Array {
	const f = new Uint8Array(W * H).fill(base);
	if (square) for (let y = square.y; y < square.y + square.side; y++) for (let x = square.x; x < square.x + square.side; x++) f[y * W + x] = square.value;
	return f;
}

describe('MotionDetector', () => {
	const opts = { threshold: 0.01, holdMs: 2000 };

	it('a still scene is no motion, and idle once the hold time has passed', () => {
		const d = new MotionDetector(opts, 0);
		const still = frame(100);
		expect(d.update(still, 0)).toEqual({ level: 0, moving: false, idle: false });
		expect(d.update(still, 1999)).toMatchObject({ level: 0, moving: false, idle: false });
		expect(d.update(still, 2000)).toMatchObject({ moving: false, idle: true });
	});

	it('a moving square over the threshold is motion and ends idleness at once', () => {
		const d = new MotionDetector(opts, 0);
		d.update(frame(100), 0);
		expect(d.update(frame(100), 5000).idle).toBe(true);
		// 4×4 = 16 of 768 pixels (2.1 %) change: above 1 %.
		const r = d.update(frame(100, { x: 3, y: 3, side: 4, value: 200 }), 5100);
		expect(r.level).toBeCloseTo(16 / 768, 12);
		expect(r).toMatchObject({ moving: true, idle: false });
		// Then still again: idle only after another full hold.
		expect(d.update(frame(100, { x: 3, y: 3, side: 4, value: 200 }), 7000).idle).toBe(false);
		expect(d.update(frame(100, { x: 3, y: 3, side: 4, value: 200 }), 7100).idle).toBe(true);
	});

	it('changes below the threshold, or smaller than pixelDelta, are not motion', () => {
		const d = new MotionDetector(opts, 0);
		d.update(frame(100), 0);
		// 2×2 = 4 pixels (0.5 %): under 1 %.
		expect(d.update(frame(100, { x: 0, y: 0, side: 2, value: 255 }), 100)).toMatchObject({ level: 4 / 768, moving: false });
		d.update(frame(100), 150);
		// The whole frame brightens by 15 grey levels (lighting drift, camera noise): not over pixelDelta 20.
		expect(d.update(frame(115), 200)).toMatchObject({ level: 0, moving: false });
		// By 30: every pixel changed.
		expect(d.update(frame(145), 300)).toMatchObject({ level: 1, moving: true });
	});

	it('keeps its own copy of the previous frame (the caller reuses its buffer)', () => {
		const d = new MotionDetector(opts, 0);
		const buf = frame(100);
		d.update(buf, 0);
		buf.fill(200); // same buffer, new picture
		expect(d.update(buf, 100).moving).toBe(true);
		expect(d.update(buf, 200).moving).toBe(false);
	});

	it('reset forgets the previous frame and restarts the hold', () => {
		const d = new MotionDetector(opts, 0);
		d.update(frame(100), 0);
		d.reset(10_000);
		expect(d.update(frame(250), 10_000)).toEqual({ level: 0, moving: false, idle: false });
		expect(d.update(frame(250), 11_999).idle).toBe(false);
		expect(d.update(frame(250), 12_000).idle).toBe(true);
	});

	it('a frame of another size starts over instead of comparing', () => {
		const d = new MotionDetector(opts, 0);
		d.update(frame(100), 0);
		expect(d.update(new Uint8Array(10).fill(255), 100).level).toBe(0);
	});

	it('refuses a threshold outside [0, 1] and a negative hold', () => {
		expect(() => new MotionDetector({ threshold: 2, holdMs: 1 }, 0)).toThrow(/threshold/);
		expect(() => new MotionDetector({ threshold: 0.1, holdMs: -1 }, 0)).toThrow(/hold/);
	});
});

describe('toGrey', () => {
	it('is Rec. 601 luma of RGBA, reusing the buffer it is given', () => {
		const rgba = [255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255, 0, 255, 0, 0];
		const g = toGrey(rgba);
		expect(Array.from(g)).toEqual([255, 0, 76, 150]);
		const out = new Uint8Array(4);
		expect(toGrey(rgba, out)).toBe(out);
		expect(toGrey(rgba, new Uint8Array(3))).not.toBe(out);
	});
});
