import type { FrameSource } from './types';
import { HEADER_BYTES, readImageSize } from './image-header';
import { checkDimensions, checkFile, fitWithin } from './upload-check';

export class UploadError extends Error {}

/** An uploaded still image, checked and downscaled, held in a canvas. */
export class StillImageSource implements FrameSource {
	readonly kind = 'image' as const;
	private fresh = true;
	private constructor(
		readonly element: HTMLCanvasElement,
		readonly label: string,
		/** Set when the image was downscaled: a note for the person. */
		readonly note: string | null,
		/** The uploaded file at its own size ("Save full size" reads it again from there). */
		readonly original: { file: File; width: number; height: number } | null = null
	) {}

	get width(): number {
		return this.element.width;
	}
	get height(): number {
		return this.element.height;
	}

	static async fromFile(file: File): Promise<StillImageSource> {
		const pre = checkFile(file);
		if (!pre.ok) throw new UploadError(pre.message);
		// Refuse oversized images from the header, before the browser decodes (and allocates) them.
		const header = readImageSize(new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer()));
		if (header) {
			const dims = checkDimensions(file.name, header.width, header.height);
			if (!dims.ok) throw new UploadError(dims.message);
		}
		const url = URL.createObjectURL(file);
		try {
			const img = new Image();
			img.decoding = 'async';
			img.src = url;
			try {
				await img.decode();
			} catch {
				throw new UploadError(`“${file.name}” could not be decoded: the file is damaged or not really a ${file.type}.`);
			}
			const dims = checkDimensions(file.name, img.naturalWidth, img.naturalHeight);
			if (!dims.ok) throw new UploadError(dims.message);
			const fit = fitWithin(img.naturalWidth, img.naturalHeight);
			const canvas = document.createElement('canvas');
			canvas.width = fit.width;
			canvas.height = fit.height;
			const ctx = canvas.getContext('2d', { willReadFrequently: true });
			if (!ctx) throw new UploadError('2D canvas is not available.');
			ctx.imageSmoothingQuality = 'high';
			ctx.drawImage(img, 0, 0, fit.width, fit.height);
			const note = fit.scaled
				? `Downscaled from ${img.naturalWidth} × ${img.naturalHeight} to ${fit.width} × ${fit.height}.`
				: null;
			return new StillImageSource(canvas, file.name, note, { file, width: img.naturalWidth, height: img.naturalHeight });
		} finally {
			URL.revokeObjectURL(url);
		}
	}

	advance(): boolean {
		// A still image only changes when something downstream changes; the loop re-runs each frame
		// anyway so settings changes show at once.
		const f = this.fresh;
		this.fresh = true;
		return f;
	}

	stop(): void {
		this.element.width = 0;
		this.element.height = 0;
	}
}
