/**
 * When to explain next, so explaining takes at most a share of the time: after a job of `ms`, the
 * next may start `ms · (1 − share) / share` later (never sooner than `minGapMs`). One job at a time.
 * Pure (the clock is passed in), so it is unit-tested with a fake clock.
 */
export interface DutyCycleOptions {
	/** Largest share of the time spent explaining, in (0, 1]. */
	share: number;
	/** Smallest pause between two explanations. */
	minGapMs: number;
}

export class DutyCycle {
	private running = false;
	private startedAt = 0;
	private nextAt = 0;
	private readonly done: number[] = [];

	constructor(private options: DutyCycleOptions) {
		this.configure(options);
	}

	configure(options: DutyCycleOptions): void {
		if (!(options.share > 0 && options.share <= 1)) throw new RangeError(`duty cycle: share ${options.share} must be in (0, 1]`);
		this.options = { ...options, minGapMs: Math.max(0, options.minGapMs) };
	}

	get busy(): boolean {
		return this.running;
	}

	/** True when no job runs and the pause after the last one is over. */
	due(now: number): boolean {
		return !this.running && now >= this.nextAt;
	}

	start(now: number): void {
		this.running = true;
		this.startedAt = now;
	}

	/** A job ended (done or failed) at `now`: schedules the next. Returns the job's duration. */
	finish(now: number): number {
		const ms = Math.max(0, now - this.startedAt);
		this.running = false;
		const { share, minGapMs } = this.options;
		this.nextAt = now + Math.max(minGapMs, (ms * (1 - share)) / share);
		this.done.push(now);
		this.prune(now);
		return ms;
	}

	/** Jobs finished per second over the last 5 s. */
	rate(now: number): number {
		this.prune(now);
		return this.done.length / 5;
	}

	private prune(now: number): void {
		while (this.done.length && this.done[0] <= now - 5000) this.done.shift();
	}

	/** Forget the schedule (explanations turned off and on again). */
	reset(): void {
		this.running = false;
		this.nextAt = 0;
		this.done.length = 0;
	}
}
