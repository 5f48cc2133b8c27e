import { describe, expect, it } from 'vitest';
import { fitView, hitTest, labelColours, OTHER_COLOUR, pan, PALETTE, toCanvas, zoomAt } from '../../../src/lib/gallery/map-view';

describe('map view', () => {
	const pos = Float64Array.from([-1, -2, 3, 2, 1, 0]);

	it('fits the layout into the canvas with a margin', () => {
		const t = fitView(pos, 200, 100, 10);
		const pts = [0, 1, 2].map((i) => toCanvas(t, pos, i));
		for (const [x, y] of pts) {
			expect(x).toBeGreaterThanOrEqual(10 - 1e-9);
			expect(x).toBeLessThanOrEqual(190 + 1e-9);
			expect(y).toBeGreaterThanOrEqual(10 - 1e-9);
			expect(y).toBeLessThanOrEqual(90 + 1e-9);
		}
		// Height is the tighter side: y spans exactly 10 … 90.
		expect(pts[0][1]).toBeCloseTo(10);
		expect(pts[1][1]).toBeCloseTo(90);
	});

	it('zooms about the pointer and pans', () => {
		const t = fitView(pos, 200, 100, 10);
		const [x, y] = toCanvas(t, pos, 2);
		const z = zoomAt(t, 2, x, y);
		expect(toCanvas(z, pos, 2)).toEqual([x, y]);
		expect(z.scale).toBe(2 * t.scale);
		const p = pan(z, 5, -3);
		expect(toCanvas(p, pos, 2)[0]).toBeCloseTo(x + 5);
		expect(toCanvas(p, pos, 2)[1]).toBeCloseTo(y - 3);
	});

	it('hit-tests the topmost thumbnail', () => {
		const t = { scale: 10, x: 0, y: 0 };
		const p = Float64Array.from([1, 1, 1.2, 1, 5, 5]);
		expect(hitTest(t, p, 11, 10, 4)).toBe(1);
		expect(hitTest(t, p, 50, 50, 4)).toBe(2);
		expect(hitTest(t, p, 30, 30, 4)).toBe(-1);
	});

	it('colours the most frequent labels, the rest grey', () => {
		const labels = [...'abcdefghijkl'].flatMap((l, i) => Array(12 - i).fill(l));
		const { colour, legend } = labelColours(labels);
		expect(colour.get('a')).toBe(PALETTE[0]);
		expect(colour.get('k')).toBe(OTHER_COLOUR);
		expect(legend.at(-1)).toEqual({ label: 'other', colour: OTHER_COLOUR, count: 2 + 1 });
		expect(legend).toHaveLength(11);
	});
});
