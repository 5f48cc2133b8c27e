import { describe, expect, it } from 'vitest';
import { clampRect, contains, cropPixels, fullRect, isFull, keyRect, MIN_CROP_SIDE, moveRect, rectFromCorners, resizeRect, toPicturePoint } from '../../../src/lib/learn/crop';

const W = 200;
const H = 100;

describe('crop rectangle', () => {
	it('spans two corners in either direction, clamped to the picture', () => {
		expect(rectFromCorners({ x: 10, y: 20 }, { x: 110, y: 80 }, W, H)).toEqual({ x: 10, y: 20, width: 100, height: 60 });
		expect(rectFromCorners({ x: 110, y: 80 }, { x: 10, y: 20 }, W, H)).toEqual({ x: 10, y: 20, width: 100, height: 60 });
		expect(rectFromCorners({ x: -50, y: -5 }, { x: 500, y: 300 }, W, H)).toEqual(fullRect(W, H));
	});

	it('is at least the minimum side, grown around its centre and kept inside', () => {
		expect(rectFromCorners({ x: 100, y: 50 }, { x: 102, y: 52 }, W, H)).toEqual({ x: 85, y: 35, width: MIN_CROP_SIDE, height: MIN_CROP_SIDE });
		// A click near a corner: the minimum box stays inside the picture.
		expect(rectFromCorners({ x: 199, y: 99 }, { x: 199, y: 99 }, W, H)).toEqual({ x: W - MIN_CROP_SIDE, y: H - MIN_CROP_SIDE, width: MIN_CROP_SIDE, height: MIN_CROP_SIDE });
		// A picture smaller than the minimum: its own side.
		expect(clampRect({ x: 3, y: 2, width: 1, height: 1 }, 20, 10)).toEqual({ x: 0, y: 0, width: 20, height: 10 });
	});

	it('moves without changing size and stops at the edges', () => {
		const r = { x: 10, y: 10, width: 50, height: 40 };
		expect(moveRect(r, 5, -3, W, H)).toEqual({ x: 15, y: 7, width: 50, height: 40 });
		expect(moveRect(r, 1000, 1000, W, H)).toEqual({ x: W - 50, y: H - 40, width: 50, height: 40 });
		expect(moveRect(r, -1000, -1000, W, H)).toEqual({ x: 0, y: 0, width: 50, height: 40 });
	});

	it('resizes from the right and bottom edges, within the picture and above the minimum', () => {
		const r = { x: 150, y: 60, width: 40, height: 35 };
		expect(resizeRect(r, 5, 3, W, H)).toEqual({ x: 150, y: 60, width: 45, height: 38 });
		expect(resizeRect(r, 100, 100, W, H)).toEqual({ x: 150, y: 60, width: 50, height: 40 });
		expect(resizeRect(r, -100, -100, W, H)).toEqual({ x: 150, y: 60, width: MIN_CROP_SIDE, height: MIN_CROP_SIDE });
	});

	it('keys: arrows move, Shift+arrows resize, Alt takes bigger steps, other keys are not the crop’s', () => {
		const r = { x: 50, y: 20, width: 60, height: 50 };
		expect(keyRect(r, 'ArrowRight', { shift: false, alt: false }, W, H)).toEqual({ ...r, x: 52 }); // step: 1 % of the long side
		expect(keyRect(r, 'ArrowUp', { shift: false, alt: true }, W, H)).toEqual({ ...r, y: 12 });
		expect(keyRect(r, 'ArrowLeft', { shift: true, alt: false }, W, H)).toEqual({ ...r, width: 58 });
		expect(keyRect(r, 'ArrowDown', { shift: true, alt: false }, W, H, 10)).toEqual({ ...r, height: 60 });
		expect(keyRect(r, 'Enter', { shift: false, alt: false }, W, H)).toBeNull();
	});

	it('maps a pointer on the shown picture to picture pixels, clamped', () => {
		const box = { left: 100, top: 50, width: 400, height: 200 }; // shown at 2×
		expect(toPicturePoint(300, 150, box, W, H)).toEqual({ x: 100, y: 50 });
		expect(toPicturePoint(0, 0, box, W, H)).toEqual({ x: 0, y: 0 });
		expect(toPicturePoint(900, 900, box, W, H)).toEqual({ x: W, y: H });
		expect(contains({ x: 10, y: 10, width: 20, height: 20 }, { x: 30, y: 15 })).toBe(true);
		expect(contains({ x: 10, y: 10, width: 20, height: 20 }, { x: 31, y: 15 })).toBe(false);
		expect(isFull(fullRect(W, H), W, H)).toBe(true);
	});
});

describe('cropPixels', () => {
	// Each pixel's R = x, G = y, B = 7, A = 255.
	const img = { width: 40, height: 36, data: new Uint8ClampedArray(40 * 36 * 4) };
	for (let y = 0; y < img.height; y++)
		for (let x = 0; x < img.width; x++) img.data.set([x, y, 7, 255], (y * img.width + x) * 4);

	it('copies exactly the rectangle’s pixels', () => {
		const out = cropPixels(img, { x: 5, y: 3, width: 33, height: 32 });
		expect([out.width, out.height]).toEqual([33, 32]);
		for (const [x, y] of [[0, 0], [32, 0], [0, 31], [32, 31], [10, 17]]) {
			const i = (y * out.width + x) * 4;
			expect(Array.from(out.data.subarray(i, i + 4))).toEqual([x + 5, y + 3, 7, 255]);
		}
	});

	it('gives the picture itself for the whole picture, and clamps a rectangle that sticks out', () => {
		expect(cropPixels(img, fullRect(40, 36))).toBe(img);
		const out = cropPixels(img, { x: 20, y: 10, width: 100, height: 100 });
		expect([out.width, out.height]).toEqual([40, 36]);
		expect(out.data[0]).toBe(0); // moved back inside: starts at x 0
	});
});
