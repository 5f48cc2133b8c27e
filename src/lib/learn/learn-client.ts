/**
 * The page's side of the learn worker: starts it lazily, loads the two networks once per worker (again
 * after a crash), measures the expected time, runs a session with progress, pause and cancel. Pictures
 * cross as transferred copies of their pixels.
 */
import { transfer } from 'comlink';
import type { PixelImage } from '../render/pixels';
import { WASM_PATH, threadsFor } from '../tf/threads';
import { WorkerClient } from '../workers/client';
import type { WorkerCrashedError } from '../workers/owner';
import type { LearnEstimate, LearnLoaded, LearnProgress, LearnRequest, LearnResult, LearnWorkerApi, LearnWorkerInit } from './protocol';

const LOAD_TIMEOUT_MS = 180_000;
/** No answer in this long: the worker is taken for dead (a whole session at the best effort on a slow machine). */
const RUN_TIMEOUT_MS = 60 * 60_000;

const copy = (p: PixelImage): PixelImage => ({ width: p.width, height: p.height, data: new Uint8ClampedArray(p.data) });

/** The request with copies of its pictures, and the buffers to transfer. */
function transferable(r: LearnRequest): LearnRequest {
	const style = copy(r.style);
	const extraContents = r.extraContents.map(copy);
	return transfer({ ...r, style, extraContents }, [style, ...extraContents].map((p) => p.data.buffer as ArrayBuffer));
}

export class LearnClient extends WorkerClient<LearnWorkerApi, LearnLoaded> {
	/** The learning run in flight (pause() holds it between two steps). */
	private currentJob: number | null = null;

	constructor(
		private readonly backend: LearnWorkerInit['backend'],
		onCrash?: (err: WorkerCrashedError) => void
	) {
		super({
			name: 'learn worker',
			create: () => new Worker(new URL('../workers/learn.worker.ts', import.meta.url), { type: 'module', name: 'learn' }),
			onCrash,
			jobTimeoutMs: RUN_TIMEOUT_MS
		});
	}

	protected setUp(): Promise<LearnLoaded> {
		const init: LearnWorkerInit = { backend: this.backend, threads: threadsFor('style', navigator.hardwareConcurrency), wasmPath: WASM_PATH };
		return this.owner.call((api) => api.load(init), { timeoutMs: LOAD_TIMEOUT_MS });
	}

	/** Starts the worker and loads ResNet50 and the style network there (once per worker). */
	load(): Promise<LearnLoaded> {
		return this.ensureLoaded();
	}

	async estimate(request: LearnRequest, signal?: AbortSignal): Promise<LearnEstimate> {
		await this.ensureLoaded();
		return this.job((api, id) => api.estimate(id, transferable(request)), { signal });
	}

	async learn(request: LearnRequest, onProgress: (p: LearnProgress) => void, signal?: AbortSignal): Promise<LearnResult> {
		await this.ensureLoaded();
		let jobId: number | null = null;
		try {
			return await this.job(
				(api, id, progress) => {
					jobId = this.currentJob = id;
					return api.learn(id, transferable(request), progress);
				},
				{ signal, onProgress }
			);
		} finally {
			if (this.currentJob === jobId) this.currentJob = null;
		}
	}

	/** Holds or releases the run in flight between two steps. */
	async pause(paused: boolean): Promise<void> {
		const id = this.currentJob;
		if (id == null || !this.owner.started) return;
		await this.owner.call((api) => api.pause(id, paused), { timeoutMs: 10_000 });
	}
}
