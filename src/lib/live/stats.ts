/**
 * Rolling frame statistics over a time window (default: the last second):
 * frames per second and the median processing time. Pure; the HUD and benchmarks read it.
 */
export class FrameStats {
	private samples: { at: number; ms: number }[] = [];
	constructor(private readonly windowMs = 1000) {}

	add(at: number, ms: number): void {
		this.samples.push({ at, ms });
		this.prune(at);
	}

	private prune(now: number): void {
		const cutoff = now - this.windowMs;
		let i = 0;
		while (i < this.samples.length && this.samples[i].at <= cutoff) i++;
		if (i) this.samples.splice(0, i);
	}

	/** Frames completed in the window, scaled to per second. */
	fps(now: number): number {
		this.prune(now);
		return (this.samples.length * 1000) / this.windowMs;
	}

	/** Median of processing times in the window; NaN when empty. */
	medianMs(now: number): number {
		this.prune(now);
		return median(this.samples.map((s) => s.ms));
	}

	reset(): void {
		this.samples = [];
	}
}

export function median(values: number[]): number {
	if (values.length === 0) return NaN;
	const v = [...values].sort((a, b) => a - b);
	const mid = v.length >> 1;
	return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
