/**
 * The crop of the style picture before learning (the style targets are computed from the crop): a
 * rectangle in the picture's own pixels, made by dragging (two corners, or moving the rectangle),
 * adjusted by keys, always inside the picture and at least MIN_CROP_SIDE on each side. Pure: the
 * page (`/learn`) turns pointer positions into picture pixels with `toPicturePoint` and copies the
 * pixels with `cropPixels`.
 */
import type { PixelImage } from '../render/pixels';

export interface CropRect {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** The smallest crop side in picture pixels (or the picture's side when it is smaller). */
export const MIN_CROP_SIDE = 32;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The whole picture. */
export function fullRect(width: number, height: number): CropRect {
	return { x: 0, y: 0, width, height };
}

export function isFull(rect: CropRect, width: number, height: number): boolean {
	return rect.x === 0 && rect.y === 0 && rect.width === width && rect.height === height;
}

/** `rect` in whole pixels, inside the picture, at least the minimum side (grown around its centre when smaller). */
export function clampRect(rect: CropRect, width: number, height: number): CropRect {
	const minW = Math.min(MIN_CROP_SIDE, width);
	const minH = Math.min(MIN_CROP_SIDE, height);
	const w = clamp(Math.round(rect.width), minW, width);
	const h = clamp(Math.round(rect.height), minH, height);
	const grow = (pos: number, size: number, wanted: number) => pos - (wanted - size) / 2;
	const x = clamp(Math.round(rect.width < minW ? grow(rect.x, rect.width, w) : rect.x), 0, width - w);
	const y = clamp(Math.round(rect.height < minH ? grow(rect.y, rect.height, h) : rect.y), 0, height - h);
	return { x, y, width: w, height: h };
}

/** The rectangle spanned by two corners (a drag from `a` to `b`, either direction), clamped. */
export function rectFromCorners(a: { x: number; y: number }, b: { x: number; y: number }, width: number, height: number): CropRect {
	const x0 = clamp(Math.min(a.x, b.x), 0, width);
	const y0 = clamp(Math.min(a.y, b.y), 0, height);
	const x1 = clamp(Math.max(a.x, b.x), 0, width);
	const y1 = clamp(Math.max(a.y, b.y), 0, height);
	return clampRect({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, width, height);
}

/** `rect` moved by (dx, dy), stopping at the picture's edges (its size stays). */
export function moveRect(rect: CropRect, dx: number, dy: number, width: number, height: number): CropRect {
	return clampRect({ ...rect, x: rect.x + dx, y: rect.y + dy }, width, height);
}

/** `rect` with its right and bottom edges moved by (dw, dh), kept inside the picture and at least the minimum side. */
export function resizeRect(rect: CropRect, dw: number, dh: number, width: number, height: number): CropRect {
	const w = clamp(rect.width + dw, Math.min(MIN_CROP_SIDE, width), width - rect.x);
	const h = clamp(rect.height + dh, Math.min(MIN_CROP_SIDE, height), height - rect.y);
	return clampRect({ ...rect, width: w, height: h }, width, height);
}

export function contains(rect: CropRect, p: { x: number; y: number }): boolean {
	return p.x >= rect.x && p.x <= rect.x + rect.width && p.y >= rect.y && p.y <= rect.y + rect.height;
}

/** A pointer position (client pixels) as a point of the picture shown in `box` (its bounding box on screen, the picture stretched to it). */
export function toPicturePoint(clientX: number, clientY: number, box: { left: number; top: number; width: number; height: number }, width: number, height: number): { x: number; y: number } {
	const x = box.width > 0 ? ((clientX - box.left) / box.width) * width : 0;
	const y = box.height > 0 ? ((clientY - box.top) / box.height) * height : 0;
	return { x: clamp(x, 0, width), y: clamp(y, 0, height) };
}

/** One key on the crop (arrows move it, Shift + arrows resize it; `step` pixels, ×4 with Alt): the new rectangle, or null for another key. */
export function keyRect(rect: CropRect, key: string, mods: { shift: boolean; alt: boolean }, width: number, height: number, step = Math.max(1, Math.round(Math.max(width, height) / 100))): CropRect | null {
	const d = mods.alt ? step * 4 : step;
	const v: Record<string, [number, number]> = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, -d], ArrowDown: [0, d] };
	const m = v[key];
	if (!m) return null;
	return mods.shift ? resizeRect(rect, m[0], m[1], width, height) : moveRect(rect, m[0], m[1], width, height);
}

/** The pixels of `rect` (clamped to the picture) as a new picture. */
export function cropPixels(img: PixelImage, rect: CropRect): PixelImage {
	const r = clampRect(rect, img.width, img.height);
	if (isFull(r, img.width, img.height)) return img;
	const data = new Uint8ClampedArray(r.width * r.height * 4);
	for (let row = 0; row < r.height; row++) {
		const from = ((r.y + row) * img.width + r.x) * 4;
		data.set(img.data.subarray(from, from + r.width * 4), row * r.width * 4);
	}
	return { width: r.width, height: r.height, data };
}
