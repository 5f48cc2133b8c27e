/**
 * The page's side of the learn worker: starts it lazily, loads the two networks once per worker (again
 * after a crash), measures the expected time, runs a session with progress, pause and cancel. Pictures
 * cross as transferred copies of their pixels.
 */
import { proxy, transfer } from 'comlink';
import type { PixelImage } from '../render/pixels';
import { WASM_PATH, threadsFor } from '../tf/cpu-backend';
import { newJobId } from '../workers/jobs';
import { WorkerOwner, type WorkerCrashedError } from '../workers/owner';
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

export class LearnClient {
	private readonly owner: WorkerOwner<LearnWorkerApi>;
	private loadedGeneration = 0;
	private loaded: LearnLoaded | null = null;
	private currentJob: number | null = null;

	constructor(
		private readonly backend: LearnWorkerInit['backend'],
		onCrash?: (err: WorkerCrashedError) => void
	) {
		this.owner = new WorkerOwner<LearnWorkerApi>({
			name: 'learn worker',
			create: () => new Worker(new URL('../workers/learn.worker.ts', import.meta.url), { type: 'module', name: 'learn' }),
			onCrash
		});
	}

	/** Starts the worker and loads ResNet50 and the style network there (once per worker). */
	async load(): Promise<LearnLoaded> {
		if (this.loaded && this.loadedGeneration === this.owner.generation && this.owner.started) return this.loaded;
		const init: LearnWorkerInit = { backend: this.backend, threads: threadsFor('style', navigator.hardwareConcurrency), wasmPath: WASM_PATH };
		this.loaded = await this.owner.call((api) => api.load(init), { timeoutMs: LOAD_TIMEOUT_MS });
		this.loadedGeneration = this.owner.generation;
		return this.loaded;
	}

	async estimate(request: LearnRequest, signal?: AbortSignal): Promise<LearnEstimate> {
		await this.load();
		const id = newJobId();
		return this.owner.call((api) => api.estimate(id, transferable(request)), {
			signal,
			timeoutMs: RUN_TIMEOUT_MS,
			onCancel: (api) => void (api as unknown as LearnWorkerApi).cancel(id)
		});
	}

	async learn(request: LearnRequest, onProgress: (p: LearnProgress) => void, signal?: AbortSignal): Promise<LearnResult> {
		await this.load();
		const id = newJobId();
		this.currentJob = id;
		try {
			return await this.owner.call((api) => api.learn(id, transferable(request), proxy(onProgress)), {
				signal,
				timeoutMs: RUN_TIMEOUT_MS,
				onCancel: (api) => void (api as unknown as LearnWorkerApi).cancel(id)
			});
		} finally {
			if (this.currentJob === id) this.currentJob = null;
		}
	}

	/** Holds or releases the run in flight between two steps. */
	async pause(paused: boolean): Promise<void> {
		const id = this.currentJob;
		if (id == null || !this.owner.started) return;
		await this.owner.call((api) => api.pause(id, paused), { timeoutMs: 10_000 });
	}

	async numTensors(): Promise<number> {
		if (!this.owner.started) return 0;
		return this.owner.call((api) => api.numTensors(), { timeoutMs: 10_000 });
	}

	dispose(): void {
		this.owner.dispose();
	}
}
