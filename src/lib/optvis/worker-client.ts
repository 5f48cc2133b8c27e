/**
 * The page's side of the lab worker: starts it lazily, loads the classifier once per worker (again
 * after a crash), runs modes with progress and cancel. Pictures cross as transferred pixel buffers.
 */
import { transfer } from 'comlink';
import type { LabModeId, LabParams, LabProgress, LabResult } from './catalogue/types';
import type { PixelImage } from '../render/pixels';
import { WASM_PATH, threadsFor } from '../tf/threads';
import { WorkerClient } from '../workers/client';
import type { WorkerCrashedError } from '../workers/owner';
import type { LabEstimate, LabLoaded, LabWorkerApi, LabWorkerInit } from '../workers/protocol';

const LOAD_TIMEOUT_MS = 180_000;
/** No progress at all in this long: the worker is taken for dead (a step of the slowest mode takes seconds). */
const RUN_TIMEOUT_MS = 30 * 60_000;

export class LabClient extends WorkerClient<LabWorkerApi, LabLoaded> {
	constructor(
		private readonly backend: LabWorkerInit['backend'],
		onCrash?: (err: WorkerCrashedError) => void
	) {
		super({
			name: 'lab worker',
			create: () => new Worker(new URL('../workers/lab.worker.ts', import.meta.url), { type: 'module', name: 'lab' }),
			onCrash,
			jobTimeoutMs: RUN_TIMEOUT_MS
		});
	}

	protected setUp(): Promise<LabLoaded> {
		const init: LabWorkerInit = { backend: this.backend, threads: threadsFor('style', navigator.hardwareConcurrency), wasmPath: WASM_PATH };
		return this.owner.call((api) => api.load(init), { timeoutMs: LOAD_TIMEOUT_MS });
	}

	/** Starts the worker and loads ResNet50 there (once per worker). */
	load(): Promise<LabLoaded> {
		return this.ensureLoaded();
	}

	private copy(image: PixelImage): PixelImage {
		// The caller keeps its picture: a copy is transferred.
		return { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
	}

	async estimate<K extends LabModeId>(mode: K, params: Partial<LabParams[K]>, image: PixelImage, signal?: AbortSignal): Promise<LabEstimate> {
		await this.ensureLoaded();
		const img = this.copy(image);
		return this.job((api, id) => api.estimate(id, mode, params, transfer(img, [img.data.buffer as ArrayBuffer])), { signal });
	}

	async run<K extends LabModeId>(mode: K, params: Partial<LabParams[K]>, image: PixelImage, onProgress: (p: LabProgress) => void, signal?: AbortSignal): Promise<LabResult> {
		await this.ensureLoaded();
		const img = this.copy(image);
		return this.job((api, id, progress) => api.run(id, mode, params, transfer(img, [img.data.buffer as ArrayBuffer]), progress), { signal, onProgress });
	}
}
