/**
 * The page's side of the lab worker: starts it lazily, loads the classifier once per worker (again
 * after a crash), runs modes with progress and cancel. Pictures cross as transferred pixel buffers.
 */
import { proxy, transfer } from 'comlink';
import type { LabModeId, LabParams, LabProgress, LabResult } from '../optvis/catalogue/types';
import type { PixelImage } from '../render/pixels';
import { WASM_PATH, threadsFor } from '../tf/threads';
import { newJobId } from './jobs';
import { WorkerOwner, type WorkerCrashedError } from './owner';
import type { LabEstimate, LabLoaded, LabWorkerApi, LabWorkerInit } from './protocol';

const LOAD_TIMEOUT_MS = 180_000;
/** No progress at all in this long: the worker is taken for dead (a step of the slowest mode takes seconds). */
const RUN_TIMEOUT_MS = 30 * 60_000;

export class LabClient {
	private readonly owner: WorkerOwner<LabWorkerApi>;
	private loadedGeneration = 0;
	private loaded: LabLoaded | null = null;

	constructor(
		private readonly backend: LabWorkerInit['backend'],
		onCrash?: (err: WorkerCrashedError) => void
	) {
		this.owner = new WorkerOwner<LabWorkerApi>({
			name: 'lab worker',
			create: () => new Worker(new URL('./lab.worker.ts', import.meta.url), { type: 'module', name: 'lab' }),
			onCrash
		});
	}

	get workerOwner(): WorkerOwner<LabWorkerApi> {
		return this.owner;
	}

	/** Starts the worker and loads ResNet50 there (once per worker). */
	async load(): Promise<LabLoaded> {
		if (this.loaded && this.loadedGeneration === this.owner.generation && this.owner.started) return this.loaded;
		const init: LabWorkerInit = { backend: this.backend, threads: threadsFor('style', navigator.hardwareConcurrency), wasmPath: WASM_PATH };
		this.loaded = await this.owner.call((api) => api.load(init), { timeoutMs: LOAD_TIMEOUT_MS });
		this.loadedGeneration = this.owner.generation;
		return this.loaded;
	}

	private copy(image: PixelImage): PixelImage {
		// The caller keeps its picture: a copy is transferred.
		return { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
	}

	async estimate<K extends LabModeId>(mode: K, params: Partial<LabParams[K]>, image: PixelImage, signal?: AbortSignal): Promise<LabEstimate> {
		await this.load();
		const id = newJobId();
		const img = this.copy(image);
		return this.owner.call((api) => api.estimate(id, mode, params, transfer(img, [img.data.buffer as ArrayBuffer])), {
			signal,
			timeoutMs: RUN_TIMEOUT_MS,
			onCancel: (api) => void (api as unknown as LabWorkerApi).cancel(id)
		});
	}

	async run<K extends LabModeId>(mode: K, params: Partial<LabParams[K]>, image: PixelImage, onProgress: (p: LabProgress) => void, signal?: AbortSignal): Promise<LabResult> {
		await this.load();
		const id = newJobId();
		const img = this.copy(image);
		return this.owner.call((api) => api.run(id, mode, params, transfer(img, [img.data.buffer as ArrayBuffer]), proxy(onProgress)), {
			signal,
			timeoutMs: RUN_TIMEOUT_MS,
			onCancel: (api) => void (api as unknown as LabWorkerApi).cancel(id)
		});
	}

	async numTensors(): Promise<number> {
		if (!this.owner.started) return 0;
		return this.owner.call((api) => api.numTensors(), { timeoutMs: 10_000 });
	}

	dispose(): void {
		this.owner.dispose();
	}
}
