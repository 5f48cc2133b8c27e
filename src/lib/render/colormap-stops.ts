/**
 * The colormaps' stops as plain data (no tfjs), for the tensor colormaps in colormap.ts and for pages
 * that colour a small map on a 2D canvas without loading tfjs (the projector window). Stops:
 * matplotlib's viridis and inferno at 9 points (a close approximation of the 256-entry tables), jet
 * (exactly piecewise linear at these stops), gray.
 */
export type ColormapName = 'viridis' | 'inferno' | 'jet' | 'gray';

const hex = (s: string): [number, number, number] => [
	parseInt(s.slice(1, 3), 16) / 255,
	parseInt(s.slice(3, 5), 16) / 255,
	parseInt(s.slice(5, 7), 16) / 255
];

/** Evenly spaced RGB stops in [0, 1], first = value 0, last = value 1. */
export const COLORMAP_STOPS: Record<ColormapName, readonly (readonly [number, number, number])[]> = {
	viridis: ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#fde725'].map(hex),
	inferno: ['#000004', '#1b0c41', '#4a0c6b', '#781c6d', '#a52c60', '#cf4446', '#ed6925', '#fb9b06', '#fcffa4'].map(hex),
	jet: [
		[0, 0, 0.5],
		[0, 0, 1],
		[0, 0.5, 1],
		[0, 1, 1],
		[0.5, 1, 0.5],
		[1, 1, 0],
		[1, 0.5, 0],
		[1, 0, 0],
		[0.5, 0, 0]
	],
	gray: [
		[0, 0, 0],
		[1, 1, 1]
	]
};

export const COLORMAPS = Object.keys(COLORMAP_STOPS) as ColormapName[];

/** The colour of value v (clipped to [0, 1]) as RGB bytes: the same piecewise-linear lookup as colorize(). */
export function colorAt(name: ColormapName, v: number): [number, number, number] {
	const stops = COLORMAP_STOPS[name];
	const n = stops.length;
	const x = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)) * (n - 1);
	const i = Math.min(Math.floor(x), n - 2);
	const f = x - i;
	const lo = stops[i];
	const hi = stops[i + 1];
	return [0, 1, 2].map((c) => Math.round((lo[c] + (hi[c] - lo[c]) * f) * 255)) as [number, number, number];
}
