/**
 * Pictures as plain data, to cross between threads and onto 2D canvases: RGBA bytes (like ImageData)
 * and small single-channel maps. Plain (no tfjs): the pages import it; the conversions to and from
 * tensors are in pixel-tensors.ts, for the threads that hold tensors.
 */

/** RGBA bytes, row-major (ImageData's layout). */
export interface PixelImage {
	width: number;
	height: number;
	data: Uint8ClampedArray;
}

/** One value per pixel, row-major (a heat map, a channel). */
export interface ScalarMap {
	width: number;
	height: number;
	data: Float32Array;
}

/**
 * Float RGB in [0, 1] (interleaved, 3 per pixel) → RGBA bytes. Uint8ClampedArray clamps and rounds,
 * so this is one pass with no temporaries. `into` is reused when it has the right size.
 */
export function packRgba(rgb: ArrayLike<number>, width: number, height: number, into?: Uint8ClampedArray): Uint8ClampedArray {
	const n = width * height;
	if (rgb.length !== n * 3) throw new RangeError(`packRgba: ${rgb.length} values for ${width}×${height}×3`);
	const out = into && into.length === n * 4 ? into : new Uint8ClampedArray(n * 4);
	for (let p = 0, i = 0, j = 0; p < n; p++, i += 3, j += 4) {
		out[j] = rgb[i] * 255;
		out[j + 1] = rgb[i + 1] * 255;
		out[j + 2] = rgb[i + 2] * 255;
		out[j + 3] = 255;
	}
	return out;
}

/**
 * RGBA bytes → float RGB in [0, 1] (interleaved, 3 per pixel; alpha dropped): packRgba's inverse, one
 * pass. `into` is reused when it has the right size.
 */
export function unpackRgba(rgba: ArrayLike<number>, width: number, height: number, into?: Float32Array): Float32Array {
	const n = width * height;
	if (rgba.length !== n * 4) throw new RangeError(`unpackRgba: ${rgba.length} bytes for ${width}×${height} RGBA`);
	const out = into && into.length === n * 3 ? into : new Float32Array(n * 3);
	for (let p = 0, i = 0, j = 0; p < n; p++, i += 4, j += 3) {
		out[j] = rgba[i] / 255;
		out[j + 1] = rgba[i + 1] / 255;
		out[j + 2] = rgba[i + 2] / 255;
	}
	return out;
}

/** Puts RGBA bytes on a 2D canvas (HTML or offscreen), resizing it to fit. */
export function putPixels(img: PixelImage, canvas: HTMLCanvasElement | OffscreenCanvas, ctx?: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null): void {
	if (canvas.width !== img.width) canvas.width = img.width;
	if (canvas.height !== img.height) canvas.height = img.height;
	const c = ctx ?? (canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null);
	if (!c) throw new Error('2D canvas is not available');
	c.putImageData(new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height), 0, 0);
}

/** Reads a picture (image, canvas, video) into RGBA pixels, downscaled so its long side is at most `maxSide`. */
export function readPixels(source: CanvasImageSource, width: number, height: number, maxSide = Infinity): PixelImage {
	const s = Math.min(1, maxSide / Math.max(width, height));
	const w = Math.max(1, Math.round(width * s));
	const h = Math.max(1, Math.round(height * s));
	const canvas = document.createElement('canvas');
	canvas.width = w;
	canvas.height = h;
	const ctx = canvas.getContext('2d', { willReadFrequently: true });
	if (!ctx) throw new Error('2D canvas is not available');
	ctx.drawImage(source, 0, 0, w, h);
	return { width: w, height: h, data: ctx.getImageData(0, 0, w, h).data };
}

/** RGBA pixels → a PNG file. */
export async function pixelsToPng(img: PixelImage): Promise<Blob> {
	const canvas = document.createElement('canvas');
	putPixels(img, canvas);
	const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
	if (!blob) throw new Error('the picture could not be encoded as PNG');
	return blob;
}
