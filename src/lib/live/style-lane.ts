/**
 * One live style worker, seen from the page: a WorkerClient that starts the worker's backend, gives
 * it the style network and the learned styles (again after a crash or a restart), and sends it frames
 * (an ImageBitmap at the processing size, the guide frame when detail is on, the settings snapshot).
 * The answer carries the picture as an ImageBitmap; the WorkerPipeline decides what is shown. A
 * worker that stops answering is taken for gone after the limit its recent frames set (FrameTimeout).
 */
import { transfer, type Remote } from 'comlink';
import type { FrameSource } from '../camera/types';
import type { FrameSettings } from './settings';
import type { ExtraStyle, StyleInfo } from '../models/style-net';
import { FrameTimeout } from '../workers/frame-timeout';
import { WASM_PATH, type CpuBackendName } from '../tf/cpu-backend';
import { WorkerClient } from '../workers/client';
import type { WorkerCrashedError } from '../workers/owner';
import type { StyleFrameDone, StyleWorkerApi } from '../workers/protocol';

export interface StyleLaneOptions {
	backend: CpuBackendName;
	threads: number;
	/** Which of the live style workers (in its name: "style worker 2"). */
	index: number;
	onCrash?: (err: WorkerCrashedError) => void;
}

const SETUP_TIMEOUT_MS = 60_000;

export class StyleLane extends WorkerClient<StyleWorkerApi> {
	/** Threads the worker really runs (read back at set-up). */
	threads: number | undefined;
	/** Frames sent and not answered yet. */
	inFlight = 0;
	/** Frames this worker (and the ones before it in this lane) answered. */
	answered = 0;
	private styleUrl: string | null = null;
	/** The learned styles, sent again to a restarted worker. */
	private extraStyles: ExtraStyle[] = [];
	/** The no-answer limit, learned from the worker's recent frames. */
	private readonly timeout = new FrameTimeout();

	constructor(private readonly options: StyleLaneOptions) {
		super({
			name: options.index === 0 ? 'style worker' : `style worker ${options.index + 1}`,
			create: () => new Worker(new URL('../workers/style.worker.ts', import.meta.url), { type: 'module', name: `style-${options.index + 1}` }),
			onCrash: options.onCrash
		});
	}

	/** The worker, started and set up (the first call, and the first after a crash or a restart). */
	ready(): Promise<void> {
		return this.ensureLoaded();
	}

	/** Sets up a fresh worker: its backend and the styles it had (once per worker, again after a restart). */
	protected async setUp(): Promise<void> {
		const call = <R>(fn: (api: Remote<StyleWorkerApi>) => Promise<R>) => this.owner.call(fn, { timeoutMs: SETUP_TIMEOUT_MS });
		const backend = await call((api) => api.init({ backend: this.options.backend, threads: this.options.threads, wasmPath: WASM_PATH }));
		this.threads = backend.threads;
		if (this.extraStyles.length) await call((api) => api.setExtraStyles(this.extraStyles));
		if (this.styleUrl) await call((api) => api.loadStyle(this.styleUrl!));
		this.timeout.reset();
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

	/** One frame through this worker; the answer's bitmap belongs to the caller. */
	async frame(source: FrameSource, s: FrameSettings): Promise<StyleFrameDone> {
		this.inFlight++;
		try {
			await this.ensureLoaded();
			const bitmap = await createImageBitmap(source.element, { resizeWidth: s.width, resizeHeight: s.height, resizeQuality: 'low' });
			// Detail from the camera frame: the same frame larger, as a second bitmap (see docs/style-net.md).
			const guide = s.guide ? await createImageBitmap(source.element, { resizeWidth: s.guide.width, resizeHeight: s.guide.height, resizeQuality: 'low' }) : null;
			const pixels = s.width * s.height + (s.guide ? s.guide.width * s.guide.height : 0);
			const timeoutMs = this.timeout.limit(pixels) + s.debugDelayMs;
			const sent = guide ? [bitmap, guide] : [bitmap];
			const done = await this.owner.call((api) => api.frame(transfer(bitmap, sent), s, guide ?? undefined), { timeoutMs });
			this.timeout.record(pixels, done.timings.total);
			this.answered++;
			return done;
		} finally {
			this.inFlight--;
		}
	}
}
