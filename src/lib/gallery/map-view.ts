/**
 * The map's view (pure): fitting a layout into a canvas, zooming about the pointer, panning, hit
 * testing, and colours for the top-1 labels (the most frequent labels get their own colour).
 */
export interface ViewTransform {
	scale: number;
	/** Canvas position of layout (0, 0). */
	x: number;
	y: number;
}

/** The transform that fits every point into a w × h canvas with `margin` pixels spare on each side. */
export function fitView(positions: ArrayLike<number>, w: number, h: number, margin: number): ViewTransform {
	const n = positions.length / 2;
	let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
	for (let i = 0; i < n; i++) {
		x0 = Math.min(x0, positions[2 * i]);
		x1 = Math.max(x1, positions[2 * i]);
		y0 = Math.min(y0, positions[2 * i + 1]);
		y1 = Math.max(y1, positions[2 * i + 1]);
	}
	if (n === 0) return { scale: 1, x: w / 2, y: h / 2 };
	const scale = Math.min((w - 2 * margin) / Math.max(x1 - x0, 1e-9), (h - 2 * margin) / Math.max(y1 - y0, 1e-9));
	return { scale, x: w / 2 - scale * ((x0 + x1) / 2), y: h / 2 - scale * ((y0 + y1) / 2) };
}

/** Zoom by `factor` keeping the layout point under canvas point (px, py) where it is. */
export function zoomAt(t: ViewTransform, factor: number, px: number, py: number): ViewTransform {
	return { scale: t.scale * factor, x: px - (px - t.x) * factor, y: py - (py - t.y) * factor };
}

export function pan(t: ViewTransform, dx: number, dy: number): ViewTransform {
	return { ...t, x: t.x + dx, y: t.y + dy };
}

/** Canvas position of point i. */
export function toCanvas(t: ViewTransform, positions: ArrayLike<number>, i: number): [number, number] {
	return [t.x + t.scale * positions[2 * i], t.y + t.scale * positions[2 * i + 1]];
}

/** The topmost point whose thumbnail (half-size `half` px around it) holds canvas point (px, py); −1 if none. */
export function hitTest(t: ViewTransform, positions: ArrayLike<number>, px: number, py: number, half: number): number {
	for (let i = positions.length / 2 - 1; i >= 0; i--) {
		const [x, y] = toCanvas(t, positions, i);
		if (Math.abs(px - x) <= half && Math.abs(py - y) <= half) return i;
	}
	return -1;
}

export const PALETTE = ['#ffb347', '#4fc3f7', '#81c784', '#e57373', '#ba68c8', '#fff176', '#4db6ac', '#f06292', '#a1887f', '#90a4ae'];
export const OTHER_COLOUR = '#606878';

/** A colour per label: the most frequent labels (ties by name) get the palette, the rest share grey. */
export function labelColours(labels: readonly string[]): { colour: Map<string, string>; legend: { label: string; colour: string; count: number }[] } {
	const counts = new Map<string, number>();
	for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
	const order = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
	const colour = new Map<string, string>();
	const legend: { label: string; colour: string; count: number }[] = [];
	let other = 0;
	order.forEach(([label, count], i) => {
		const c = i < PALETTE.length ? PALETTE[i] : OTHER_COLOUR;
		colour.set(label, c);
		if (i < PALETTE.length) legend.push({ label, colour: c, count });
		else other += count;
	});
	if (other) legend.push({ label: 'other', colour: OTHER_COLOUR, count: other });
	return { colour, legend };
}
