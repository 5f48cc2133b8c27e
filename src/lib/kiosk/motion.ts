/**
 * Is anybody in front of the camera? A small grey copy of the camera frame (32×24 by default) is
 * compared with the previous one: the share of its pixels whose grey value moved by more than
 * `pixelDelta` is the motion level. Above `threshold` someone is moving; no motion for `holdMs`
 * means the kiosk is idle. The detector is pure (tested with synthetic frames); GreySampler makes
 * the grey copies in the page through one reused canvas.
 */
export interface MotionOptions {
	/** Share of pixels (0..1) that must change for "someone is moving". */
	threshold: number;
	/** No motion for this long (ms) → idle. */
	holdMs: number;
	/** A pixel changed when its grey value moved by more than this (0..255). Default 20. */
	pixelDelta?: number;
}

export interface MotionReading {
	/** Share of pixels that changed since the previous frame (0..1). */
	level: number;
	moving: boolean;
	/** Nothing moved for `holdMs`. */
	idle: boolean;
}

export class MotionDetector {
	private prev: Uint8Array | null = null;
	private lastMotion: number;
	private readonly pixelDelta: number;

	constructor(
		private readonly options: MotionOptions,
		now: number
	) {
		if (!(options.threshold >= 0 && options.threshold <= 1)) throw new RangeError(`motion threshold must be in [0, 1], got ${options.threshold}`);
		if (!(options.holdMs >= 0)) throw new RangeError(`idle hold must be ≥ 0 ms, got ${options.holdMs}`);
		this.pixelDelta = options.pixelDelta ?? 20;
		this.lastMotion = now;
	}

	/** Feeds the next grey frame (same size each time; a new size starts over). */
	update(grey: Uint8Array, now: number): MotionReading {
		const prev = this.prev;
		let level = 0;
		if (prev && prev.length === grey.length && grey.length > 0) {
			let changed = 0;
			for (let i = 0; i < grey.length; i++) if (Math.abs(grey[i] - prev[i]) > this.pixelDelta) changed++;
			level = changed / grey.length;
		}
		// Keep our own copy: the caller may reuse its buffer.
		if (!prev || prev.length !== grey.length) this.prev = new Uint8Array(grey);
		else prev.set(grey);
		const moving = level > this.options.threshold;
		if (moving) this.lastMotion = now;
		return { level, moving, idle: now - this.lastMotion >= this.options.holdMs };
	}

	/** Forgets the previous frame and counts `now` as motion (a new camera, the kiosk resumed). */
	reset(now: number): void {
		this.prev = null;
		this.lastMotion = now;
	}
}

/** RGBA bytes → grey (Rec. 601 luma, integer), into `out` when it has the right size. */
export function toGrey(rgba: ArrayLike<number>, out?: Uint8Array): Uint8Array {
	const n = rgba.length >> 2;
	const grey = out && out.length === n ? out : new Uint8Array(n);
	for (let i = 0, p = 0; p < n; i += 4, p++) grey[p] = (rgba[i] * 299 + rgba[i + 1] * 587 + rgba[i + 2] * 114 + 500) / 1000;
	return grey;
}

/** Grey copies of a video or canvas at a small fixed size, through one canvas kept for reads (runs for weeks: nothing per call but the pixels). */
export class GreySampler {
	private readonly ctx: CanvasRenderingContext2D;
	private grey: Uint8Array | undefined;

	constructor(
		readonly width = 32,
		readonly height = 24
	) {
		const canvas = document.createElement('canvas');
		canvas.width = width;
		canvas.height = height;
		const ctx = canvas.getContext('2d', { willReadFrequently: true });
		if (!ctx) throw new Error('2D canvas is not available');
		ctx.imageSmoothingEnabled = true;
		ctx.imageSmoothingQuality = 'high'; // area-like downscaling: camera noise averages out
		this.ctx = ctx;
	}

	/** The grey frame (a buffer reused between calls: copy it to keep it). */
	sample(source: CanvasImageSource): Uint8Array {
		this.ctx.drawImage(source, 0, 0, this.width, this.height);
		this.grey = toGrey(this.ctx.getImageData(0, 0, this.width, this.height).data, this.grey);
		return this.grey;
	}
}
