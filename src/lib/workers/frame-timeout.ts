/**
 * How long the style worker may take over a frame before it counts as gone (a terminated or hung worker
 * sends no event: it just never answers). Learned from its last frames at the same size: five times their
 * median, at least 1.2 s. A frame it cannot be judged on yet — one of the first frames of a fresh worker,
 * or the first ones at a new size — gets a long limit instead: a cold worker on a busy machine can take
 * seconds over its first frames, and declaring it dead then only starts another cold worker, over and over
 * (seen on a loaded 2-core machine: the kiosk never drew a frame). Pure; the worker pipeline feeds it.
 */
import { median } from '../live/stats';

export interface FrameTimeoutOptions {
	/** Limit = factor × the median of the recent frames (default 5)… */
	factor: number;
	/** …and at least this (ms, default 1200). */
	minMs: number;
	/** The limit while there are fewer than `warm` frames at this size to go by (ms, default 15 s). */
	coldMs: number;
	/** Frames at one size before their median is trusted (default 3). */
	warm: number;
	/** Frames remembered (default 15). */
	keep: number;
}

const DEFAULTS: FrameTimeoutOptions = { factor: 5, minMs: 1200, coldMs: 15_000, warm: 3, keep: 15 };

export class FrameTimeout {
	private readonly recent: number[] = [];
	private pixels = 0;
	private readonly o: FrameTimeoutOptions;

	constructor(options: Partial<FrameTimeoutOptions> = {}) {
		this.o = { ...DEFAULTS, ...options };
	}

	/** The limit (ms) for the next frame, of `pixels` pixels. */
	limit(pixels: number): number {
		if (pixels !== this.pixels || this.recent.length < this.o.warm) return this.o.coldMs;
		return Math.max(this.o.minMs, this.o.factor * median(this.recent));
	}

	/** A frame of `pixels` pixels took `ms` in the worker. */
	record(pixels: number, ms: number): void {
		if (pixels !== this.pixels) {
			this.recent.length = 0;
			this.pixels = pixels;
		}
		this.recent.push(ms);
		if (this.recent.length > this.o.keep) this.recent.shift();
	}

	/** A fresh worker: nothing is known about it. */
	reset(): void {
		this.recent.length = 0;
		this.pixels = 0;
	}
}
