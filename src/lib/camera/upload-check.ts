/**
 * Checks for uploaded still images, before and after decoding. Pure, so they are tested in Node.
 * Big images are not refused: they are downscaled so the long side is at most MAX_SIDE.
 */
const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/bmp', 'image/avif'];
const MAX_BYTES = 50 * 1024 * 1024;
/** Decoding above this many pixels risks running the tab out of memory. */
const MAX_PIXELS = 100_000_000;
const MAX_SIDE = 1920;

export type Check = { ok: true } | { ok: false; message: string };

export function checkFile(file: { name: string; type: string; size: number }): Check {
	if (file.size === 0) return { ok: false, message: `“${file.name}” is empty (0 bytes).` };
	if (!ACCEPTED_TYPES.includes(file.type)) {
		return {
			ok: false,
			message: `“${file.name}” is not an image we can read (${file.type || 'unknown type'}). Use JPEG, PNG, WebP, GIF, BMP or AVIF.`
		};
	}
	if (file.size > MAX_BYTES) {
		return { ok: false, message: `“${file.name}” is ${(file.size / 1048576).toFixed(0)} MB; the limit is ${MAX_BYTES / 1048576} MB.` };
	}
	return { ok: true };
}

export function checkDimensions(name: string, width: number, height: number): Check {
	if (!(width > 0 && height > 0)) return { ok: false, message: `“${name}” could not be decoded as an image.` };
	if (width * height > MAX_PIXELS) {
		return {
			ok: false,
			message: `“${name}” is ${((width * height) / 1e6).toFixed(0)} megapixels; the limit is ${MAX_PIXELS / 1e6} megapixels.`
		};
	}
	return { ok: true };
}

/** Size to decode to: the long side at most maxSide, aspect kept, never upscaled. */
export function fitWithin(width: number, height: number, maxSide = MAX_SIDE): { width: number; height: number; scaled: boolean } {
	const long = Math.max(width, height);
	if (long <= maxSide) return { width, height, scaled: false };
	const s = maxSide / long;
	return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)), scaled: true };
}
