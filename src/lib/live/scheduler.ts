/**
 * The live loop as a scheduler: requestAnimationFrame, latest frame wins, statistics — and no
 * tensors. Each animation frame asks the source for a new frame; while the pipeline holds as many
 * frames as it can take at once (`capacity`: 1 in the page, one per style worker), animation frames
 * are skipped (counted), never queued, so the next frame processed is whatever the source shows then.
 * The pipeline's async step does the work, in the page or in workers. A frame that a newer one
 * overtook (`shown: false`) counts as skipped, not as a frame. An exception anywhere in a frame goes
 * to `onError` and costs that frame only.
 */
import type { FrameSource } from '../camera/types';
import type { FrameSettings } from './settings';
import type { FrameResult, Pipeline } from './pipeline';
import { FrameStats } from './stats';

export interface FrameReport {
	frame: number;
	width: number;
	height: number;
	fps: number;
	medianMs: number;
	/**
	 * The median time a frame costs the pipeline: its processing time shared by the frames processed
	 * at once (medianMs / capacity, as the workers run side by side). What the frame rate a resolution
	 * allows is judged by (auto resolution).
	 */
	costMs: number;
	/** Animation frames skipped because the pipeline was full, and frames overtaken by newer ones. */
	dropped: number;
}

export interface SchedulerDeps {
	source: () => FrameSource | null;
	pipeline: () => Pipeline | null;
	/** The settings snapshot for this frame (called once per processed frame, just before it starts). */
	settings: (source: FrameSource) => FrameSettings;
	/**
	 * How many frames may be in flight now, below the pipeline's capacity (the studio: one while an
	 * explanation runs beside the style workers on the CPU path, so it gets a core of its own). Default: no limit.
	 */
	inFlightLimit?: () => number;
	onFrame?: (report: FrameReport, result: FrameResult) => void;
	onError?: (err: unknown) => void;
	/** Clock and animation frames (tests pass fakes). */
	now?: () => number;
	requestFrame?: (cb: (t: number) => void) => number;
	cancelFrame?: (id: number) => void;
}

export class LiveScheduler {
	readonly stats = new FrameStats(1000);
	private raf = 0;
	private running = false;
	private inFlight = 0;
	private frame = 0;
	private dropped = 0;
	private readonly now: () => number;
	private readonly requestFrame: (cb: (t: number) => void) => number;
	private readonly cancelFrame: (id: number) => void;

	constructor(private readonly deps: SchedulerDeps) {
		this.now = deps.now ?? (() => performance.now());
		this.requestFrame = deps.requestFrame ?? ((cb) => requestAnimationFrame(cb));
		this.cancelFrame = deps.cancelFrame ?? ((id) => cancelAnimationFrame(id));
	}

	get isRunning(): boolean {
		return this.running;
	}

	/** True while a frame is in the pipeline. */
	get isBusy(): boolean {
		return this.inFlight > 0;
	}

	start(): void {
		if (this.running) return;
		this.running = true;
		this.raf = this.requestFrame(this.tick);
	}

	stop(): void {
		this.running = false;
		this.cancelFrame(this.raf);
	}

	private tick = (t: number) => {
		if (!this.running) return;
		this.raf = this.requestFrame(this.tick);
		let source: FrameSource | null;
		let pipeline: Pipeline | null;
		try {
			pipeline = this.deps.pipeline();
			const limit = Math.max(1, Math.min(pipeline?.capacity ?? 1, this.deps.inFlightLimit?.() ?? Infinity));
			if (this.inFlight > 0 && this.inFlight >= limit) {
				this.dropped++;
				return;
			}
			source = this.deps.source();
			if (!source || !pipeline || source.width === 0 || !source.advance(t)) return;
		} catch (err) {
			// A source that throws (a camera gone mid-read) costs this frame only: reported, the loop goes on.
			this.deps.onError?.(err);
			return;
		}
		this.inFlight++;
		this.process(source, pipeline).finally(() => {
			this.inFlight--;
		});
	};

	private async process(source: FrameSource, pipeline: Pipeline): Promise<void> {
		const t0 = this.now();
		try {
			const settings = this.deps.settings(source);
			const result = await pipeline.process(source, settings);
			if (result.shown === false) {
				this.dropped++;
				return;
			}
			const end = this.now();
			this.stats.add(end, end - t0);
			this.frame++;
			const medianMs = this.stats.medianMs(end);
			this.deps.onFrame?.(
				{
					frame: this.frame,
					width: result.width,
					height: result.height,
					fps: this.stats.fps(end),
					medianMs,
					costMs: medianMs / Math.max(1, pipeline.capacity || 1),
					dropped: this.dropped
				},
				result
			);
		} catch (err) {
			this.deps.onError?.(err);
		}
	}
}
