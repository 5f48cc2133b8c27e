/**
 * The pipeline for the CPU path (wasm, cpu): the style worker owns the stage's canvas
 * (transferControlToOffscreen) and does all tensor work; the page only grabs each frame as an
 * ImageBitmap at the processing size, transfers it with a settings snapshot, and waits. A worker
 * that crashes or stops answering is replaced on the next frame: a fresh canvas, the backend and the
 * style network set up again (`onCanvas` tells the page to mount the new canvas).
 */
import { transfer, type Remote } from 'comlink';
import type { FrameSource } from '../camera/types';
import type { FrameSettings } from './settings';
import type { FrameResult, Pipeline, PipelineInfo } from './pipeline';
import type { ExtraStyle, StyleInfo } from '../models/style-net';
import { FrameTimeout } from '../workers/frame-timeout';
import { WASM_PATH, threadsFor, type CpuBackendName } from '../tf/cpu-backend';
import { WorkerClient } from '../workers/client';
import type { WorkerCrashedError } from '../workers/owner';
import type { StyleWorkerApi } from '../workers/protocol';

export interface WorkerPipelineOptions {
	backend: CpuBackendName;
	/** A new canvas to show (first start and after each restart). */
	onCanvas: (canvas: HTMLCanvasElement) => void;
	onCrash?: (err: WorkerCrashedError) => void;
	/** Threads to ask for; default: threadsFor('style'), the cores less the explain worker's quarter (threadPlan). */
	threads?: number;
}

/** Can this browser run the worker pipeline? */
export function workerPipelineSupported(): boolean {
	return (
		typeof Worker !== 'undefined' &&
		typeof OffscreenCanvas !== 'undefined' &&
		typeof HTMLCanvasElement !== 'undefined' &&
		'transferControlToOffscreen' in HTMLCanvasElement.prototype &&
		typeof createImageBitmap === 'function'
	);
}

const SETUP_TIMEOUT_MS = 60_000;

export class WorkerPipeline extends WorkerClient<StyleWorkerApi> implements Pipeline {
	readonly info: PipelineInfo;
	canvas: HTMLCanvasElement;
	private styleUrl: string | null = null;
	/** The learned styles, sent again to a restarted worker. */
	private extraStyles: ExtraStyle[] = [];
	/** The no-answer limit, learned from the worker's recent frames. */
	private readonly timeout = new FrameTimeout();

	private constructor(private readonly options: WorkerPipelineOptions) {
		super({
			name: 'style worker',
			create: () => new Worker(new URL('../workers/style.worker.ts', import.meta.url), { type: 'module', name: 'style' }),
			onCrash: options.onCrash
		});
		this.info = { kind: 'worker', backend: options.backend };
		this.canvas = document.createElement('canvas');
	}

	/** Starts the worker and its backend; the thread count it really runs is in `info.threads`. */
	static async start(options: WorkerPipelineOptions): Promise<WorkerPipeline> {
		const p = new WorkerPipeline(options);
		try {
			await p.ensureLoaded();
		} catch (err) {
			p.dispose();
			throw err;
		}
		return p;
	}

	/** Sets up a fresh worker: its backend, a fresh canvas, the style it had (once per worker, again after a restart). */
	protected async setUp(): Promise<void> {
		const call = <R>(fn: (api: Remote<StyleWorkerApi>) => Promise<R>) => this.owner.call(fn, { timeoutMs: SETUP_TIMEOUT_MS });
		const backend = await call((api) =>
			api.init({ backend: this.options.backend, threads: this.options.threads ?? threadsFor('style', navigator.hardwareConcurrency), wasmPath: WASM_PATH })
		);
		this.info.threads = backend.threads;
		// A canvas can hand its control to one worker only: each worker gets a fresh one.
		const canvas = document.createElement('canvas');
		const offscreen = canvas.transferControlToOffscreen();
		await call((api) => api.attach(transfer(offscreen, [offscreen])));
		if (this.extraStyles.length) await call((api) => api.setExtraStyles(this.extraStyles));
		if (this.styleUrl) await call((api) => api.loadStyle(this.styleUrl!));
		this.timeout.reset();
		this.canvas = canvas;
		this.options.onCanvas(canvas);
	}

	async loadStyle(url: string): Promise<StyleInfo[]> {
		await this.ensureLoaded();
		const styles = await this.owner.call((api) => api.loadStyle(url), { timeoutMs: SETUP_TIMEOUT_MS });
		this.styleUrl = url;
		return styles;
	}

	async setExtraStyles(extra: ExtraStyle[]): Promise<StyleInfo[]> {
		await this.ensureLoaded();
		const styles = await this.owner.call((api) => api.setExtraStyles(extra), { timeoutMs: SETUP_TIMEOUT_MS });
		this.extraStyles = extra;
		return styles;
	}

	unloadStyle(): void {
		this.styleUrl = null;
		if (this.owner.started) this.owner.call((api) => api.unloadStyle()).catch(() => {});
	}

	async process(source: FrameSource, s: FrameSettings): Promise<FrameResult> {
		await this.ensureLoaded();
		const bitmap = await createImageBitmap(source.element, { resizeWidth: s.width, resizeHeight: s.height, resizeQuality: 'low' });
		// Detail from the camera frame: the same frame larger, as a second bitmap (see docs/style-net.md).
		const guide = s.guide ? await createImageBitmap(source.element, { resizeWidth: s.guide.width, resizeHeight: s.guide.height, resizeQuality: 'low' }) : null;
		const pixels = s.width * s.height + (s.guide ? s.guide.width * s.guide.height : 0);
		const timeoutMs = this.timeout.limit(pixels) + s.debugDelayMs;
		const sent = guide ? [bitmap, guide] : [bitmap];
		const done = await this.owner.call((api) => api.frame(transfer(bitmap, sent), s, guide ?? undefined), { timeoutMs });
		this.timeout.record(pixels, done.timings.total);
		const capture = done.capture ? { kind: 'pixels' as const, raw: done.capture.raw, shown: done.capture.shown } : null;
		return { width: done.width, height: done.height, numTensors: done.numTensors, timings: done.timings, capture };
	}

	async snapshot(): Promise<Blob | null> {
		if (!this.owner.started) return null;
		return this.owner.call((api) => api.snapshot(), { timeoutMs: 10_000 });
	}
}
