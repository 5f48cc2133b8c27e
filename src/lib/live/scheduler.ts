/**
 * The live loop as a scheduler: requestAnimationFrame, latest frame wins, statistics — and no
 * tensors. Each animation frame asks the source for a new frame; while the pipeline is still busy
 * with the last one, animation frames are skipped (counted), never queued, so the next frame
 * processed is whatever the source shows then. The pipeline's async step does the work, in the
 * page or in a worker. An exception anywhere in a frame goes to `onError` and costs that frame only.
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
	/** Animation frames skipped because the previous frame was still being processed. */
	dropped: number;
}

export interface SchedulerDeps {
	source: () => FrameSource | null;
	pipeline: () => Pipeline | null;
	/** The settings snapshot for this frame (called once per processed frame, just before it starts). */
	settings: (source: FrameSource) => FrameSettings;
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
	private busy = false;
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
		return this.busy;
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
		if (this.busy) {
			this.dropped++;
			return;
		}
		let source: FrameSource | null;
		let pipeline: Pipeline | null;
		try {
			source = this.deps.source();
			pipeline = this.deps.pipeline();
			if (!source || !pipeline || source.width === 0 || !source.advance(t)) return;
		} catch (err) {
			// A source that throws (a camera gone mid-read) costs this frame only: reported, the loop goes on.
			this.deps.onError?.(err);
			return;
		}
		this.busy = true;
		this.process(source, pipeline).finally(() => {
			this.busy = false;
		});
	};

	private async process(source: FrameSource, pipeline: Pipeline): Promise<void> {
		const t0 = this.now();
		try {
			const settings = this.deps.settings(source);
			const result = await pipeline.process(source, settings);
			const end = this.now();
			this.stats.add(end, end - t0);
			this.frame++;
			this.deps.onFrame?.(
				{
					frame: this.frame,
					width: result.width,
					height: result.height,
					fps: this.stats.fps(end),
					medianMs: this.stats.medianMs(end),
					dropped: this.dropped
				},
				result
			);
		} catch (err) {
			this.deps.onError?.(err);
		}
	}
}
