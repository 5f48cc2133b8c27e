// Draws the app's icons (static/icons/*.png) from code: a night-blue tile with a swirl of brush strokes
// (the style-transfer motif) and a star. No image library: each pixel is computed (4×4 supersampled) and
// written as a PNG with node:zlib. Run `node scripts/make-icons.mjs`; the output is committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { png } from './png.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'static/icons');

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);
const mix = (a, b, t) => a.map((x, i) => x + (b[i] - x) * t);
const clamp01 = (x) => Math.min(1, Math.max(0, x));
const smooth = (e0, e1, x) => {
	const t = clamp01((x - e0) / (e1 - e0));
	return t * t * (3 - 2 * t);
};

const NIGHT_TOP = hex('#24305a');
const NIGHT_BOTTOM = hex('#10131c');
const AMBER = hex('#ffb347');
const GOLD = hex('#ffe08a');
const SKY = hex('#7fb2ff');

/** Distance from (r, θ) to the spiral r = r0 + b·θ' (θ' = θ + 2πk, k ≥ 0). */
function spiral(r, theta, r0, b) {
	const turn = 2 * Math.PI * b;
	const base = r0 + b * theta;
	const k = Math.max(0, Math.round((r - base) / turn));
	return { d: Math.abs(r - (base + turn * k)) };
}

/**
 * The picture in unit coordinates (x, y in [0, 1], y down), scaled by `zoom` about the centre so the
 * maskable variant keeps everything inside the safe circle. Returns straight RGB.
 */
function paint(x, y, zoom) {
	const u = (x - 0.5) / zoom;
	const v = (y - 0.5) / zoom;
	// Sky: a vertical gradient with a soft glow behind the swirl.
	let c = mix(NIGHT_TOP, NIGHT_BOTTOM, clamp01(y));
	const r = Math.hypot(u, v);
	c = mix(c, hex('#3a3f7a'), 0.45 * (1 - smooth(0, 0.42, r)));
	// The swirl: two interleaved spiral strokes, amber and sky blue, thinning towards the centre.
	const theta = Math.atan2(v, u) + Math.PI; // 0..2π
	for (const [phase, colour, width] of [
		[0, AMBER, 0.042],
		[Math.PI, SKY, 0.03]
	]) {
		const t = (theta + phase) % (2 * Math.PI);
		const { d } = spiral(r, t, 0.02, 0.042);
		const w = width * (0.35 + 0.65 * clamp01(r / 0.3));
		// The stroke ends softly at the swirl's rim, like a brush lifting off.
		const a = (1 - smooth(w * 0.7, w, d)) * (1 - smooth(0.3, 0.37, r));
		const stroke = mix(colour, GOLD, 0.5 * (1 - clamp01(r / 0.32)));
		c = mix(c, stroke, a);
	}
	// A four-pointed star, upper right.
	const sx = u - 0.27;
	const sy = v + 0.27;
	const star = Math.abs(sx) * Math.abs(sy) * 900 + Math.hypot(sx, sy) * 18;
	c = mix(c, GOLD, 1 - smooth(0.55, 0.9, star));
	return c;
}

/** Rounded-square coverage (1 inside) for the plain icon; the maskable one is full-bleed. */
function tileCoverage(x, y, radius) {
	const qx = Math.max(Math.abs(x - 0.5) - (0.5 - radius), 0);
	const qy = Math.max(Math.abs(y - 0.5) - (0.5 - radius), 0);
	return Math.hypot(qx, qy) <= radius ? 1 : 0;
}

function render(size, { maskable }) {
	const ss = 4;
	const rgba = new Uint8Array(size * size * 4);
	for (let py = 0; py < size; py++) {
		for (let px = 0; px < size; px++) {
			let R = 0;
			let G = 0;
			let B = 0;
			let A = 0;
			for (let sy = 0; sy < ss; sy++) {
				for (let sx = 0; sx < ss; sx++) {
					const x = (px + (sx + 0.5) / ss) / size;
					const y = (py + (sy + 0.5) / ss) / size;
					const a = maskable ? 1 : tileCoverage(x, y, 0.2);
					if (!a) continue;
					// Maskable: the picture shrinks to the safe circle (80 % of the side); the sky fills the rest.
					const [r, g, b] = paint(x, y, maskable ? 0.8 : 1);
					R += r * a;
					G += g * a;
					B += b * a;
					A += a;
				}
			}
			const i = (py * size + px) * 4;
			const n = ss * ss;
			rgba[i] = A ? Math.round((R / A) * 255) : 0;
			rgba[i + 1] = A ? Math.round((G / A) * 255) : 0;
			rgba[i + 2] = A ? Math.round((B / A) * 255) : 0;
			rgba[i + 3] = Math.round((A / n) * 255);
		}
	}
	return png(size, size, rgba);
}

mkdirSync(out, { recursive: true });
for (const [name, size, maskable] of [
	['icon-192.png', 192, false],
	['icon-512.png', 512, false],
	['icon-maskable-192.png', 192, true],
	['icon-maskable-512.png', 512, true],
	['apple-touch-icon.png', 180, true]
]) {
	const data = render(size, { maskable });
	writeFileSync(join(out, name), data);
	console.log(`static/icons/${name}: ${size}×${size}, ${data.length} bytes`);
}
