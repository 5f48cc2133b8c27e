/**
 * The pipeline for the CPU path (wasm, cpu): several live style workers (threadPlan: two on 2 cores),
 * each processing its own frames, and the stage's canvas in the page. The page only grabs each frame
 * as an ImageBitmap at the processing size and hands it, with a settings snapshot, to a free worker
 * (they take turns, so each one's stabilizer sees every other frame); the answer's picture, an
 * ImageBitmap, goes onto the stage with `transferFromImageBitmap` (no copy). The newest frame wins:
 * a picture that arrives after a newer one was shown is dropped (`shown: false`). A worker that
 * crashes or stops answering costs its frame; its next frame sets up a fresh one (backend, network,
 * learned styles), while the others go on.
 */
import type { FrameSource } from '../camera/types';
import type { FrameSettings } from './settings';
import type { FrameResult, Pipeline, PipelineInfo } from './pipeline';
import type { ExtraStyle, StyleInfo } from '../models/style-net';
import { threadPlan, type CpuBackendName } from '../tf/cpu-backend';
import type { WorkerCrashedError, WorkerOwner } from '../workers/owner';
import type { StyleWorkerApi } from '../workers/protocol';
import { StyleLane } from './style-lane';

export interface WorkerPipelineOptions {
	backend: CpuBackendName;
	onCrash?: (err: WorkerCrashedError) => void;
	/** Threads of each style worker; default: threadPlan's liveThreads for this machine's cores. */
	threads?: number;
	/** How many style workers; default: threadPlan's styleWorkers (2 on 2 cores). */
	workers?: number;
}

/** Can this browser run the worker pipeline? */
export function workerPipelineSupported(): boolean {
	return (
		typeof Worker !== 'undefined' &&
		typeof OffscreenCanvas !== 'undefined' &&
		'transferToImageBitmap' in OffscreenCanvas.prototype &&
		typeof ImageBitmapRenderingContext !== 'undefined' &&
		typeof createImageBitmap === 'function'
	);
}

export class WorkerPipeline implements Pipeline {
	readonly info: PipelineInfo;
	readonly canvas: HTMLCanvasElement;
	private readonly stage: ImageBitmapRenderingContext;
	private readonly lanes: StyleLane[];
	/** The lane the last frame went to (they take turns). */
	private last = -1;
	/** Frames handed out, and the newest of them on the stage. */
	private sent = 0;
	private shownSeq = 0;
	private disposed = false;

	private constructor(private readonly options: WorkerPipelineOptions) {
		const plan = threadPlan(navigator.hardwareConcurrency);
		const workers = options.workers ?? plan.styleWorkers;
		const threads = options.threads ?? plan.liveThreads;
		this.lanes = Array.from({ length: workers }, (_, index) => new StyleLane({ backend: options.backend, threads, index, onCrash: options.onCrash }));
		this.info = { kind: 'worker', backend: options.backend, workers };
		this.canvas = document.createElement('canvas');
		const stage = this.canvas.getContext('bitmaprenderer');
		if (!stage) throw new Error('this browser cannot show pictures from workers (no bitmaprenderer canvas)');
		this.stage = stage;
	}

	/** Starts every style worker and its backend; the thread count they really run is in `info.threads`. */
	static async start(options: WorkerPipelineOptions): Promise<WorkerPipeline> {
		const p = new WorkerPipeline(options);
		try {
			await Promise.all(p.lanes.map((l) => l.ready()));
			p.info.threads = p.lanes[0].threads;
		} catch (err) {
			p.dispose();
			throw err;
		}
		return p;
	}

	/** Frames in flight at once: one per style worker. */
	get capacity(): number {
		return this.lanes.length;
	}

	/** Every style worker is set up: false from a crash until its restarted worker is ready (the others go on meanwhile). */
	get healthy(): boolean {
		return this.lanes.every((l) => l.isReady);
	}

	/** Frames each style worker answered (diagnostics and tests). */
	get answered(): number[] {
		return this.lanes.map((l) => l.answered);
	}

	/** Every style worker's owner (diagnostics and tests: `studio.workers.styles`). */
	get owners(): WorkerOwner<StyleWorkerApi>[] {
		return this.lanes.map((l) => l.owner);
	}

	/** Loads the network in every style worker (each keeps it for its restarts); the first one's style list. */
	async loadStyle(url: string): Promise<StyleInfo[]> {
		const [styles] = await Promise.all(this.lanes.map((l) => l.loadStyle(url)));
		return styles;
	}

	async setExtraStyles(extra: ExtraStyle[]): Promise<StyleInfo[]> {
		const [styles] = await Promise.all(this.lanes.map((l) => l.setExtraStyles(extra)));
		return styles;
	}

	unloadStyle(): void {
		for (const l of this.lanes) l.unloadStyle();
	}

	/** The next free lane after the last one used (they take turns); the least busy when none is free. */
	private nextLane(): StyleLane {
		const n = this.lanes.length;
		let best: StyleLane | null = null;
		for (let k = 1; k <= n; k++) {
			const lane = this.lanes[(this.last + k) % n];
			if (!best || lane.inFlight < best.inFlight) best = lane;
			if (lane.inFlight === 0) break;
		}
		this.last = this.lanes.indexOf(best!);
		return best!;
	}

	async process(source: FrameSource, s: FrameSettings): Promise<FrameResult> {
		const seq = ++this.sent;
		const done = await this.nextLane().frame(source, s);
		const shown = seq > this.shownSeq && !this.disposed;
		if (shown) {
			this.shownSeq = seq;
			if (this.canvas.width !== done.width) this.canvas.width = done.width;
			if (this.canvas.height !== done.height) this.canvas.height = done.height;
			this.stage.transferFromImageBitmap(done.bitmap);
		} else done.bitmap.close();
		const capture = shown && done.capture ? { kind: 'pixels' as const, raw: done.capture.raw, shown: done.capture.shown } : null;
		return { width: done.width, height: done.height, numTensors: done.numTensors, timings: done.timings, capture, shown };
	}

	async snapshot(): Promise<Blob | null> {
		if (this.shownSeq === 0) return null;
		return new Promise((resolve) => this.canvas.toBlob(resolve, 'image/png'));
	}

	dispose(): void {
		this.disposed = true;
		for (const l of this.lanes) l.dispose();
	}
}
