/**
 * The page's side of the gallery worker: starts it lazily, loads the classifier once per worker (again
 * after a crash), runs features / maxima / t-SNE jobs with progress and cancel.
 */
import { transfer } from 'comlink';
import type { ChannelMaxima } from './patches';
import type { TsneOptions } from './tsne';
import { WASM_PATH, threadsFor } from '../tf/threads';
import { WorkerClient } from '../workers/client';
import type { WorkerCrashedError } from '../workers/owner';
import type { GalleryFeatures, GalleryItem, GalleryPictureFailed, GalleryLoaded, GalleryTsneProgress, GalleryWorkerApi, LabWorkerInit } from '../workers/protocol';

const LOAD_TIMEOUT_MS = 180_000;
/** A whole job's limit (a hung worker never answers); jobs report progress long before. */
const JOB_TIMEOUT_MS = 30 * 60_000;

export class GalleryClient extends WorkerClient<GalleryWorkerApi, GalleryLoaded> {
	constructor(
		private readonly backend: LabWorkerInit['backend'],
		onCrash?: (err: WorkerCrashedError) => void,
		/** wasm threads to ask for (default: every core). */
		private readonly threads?: number
	) {
		super({
			name: 'gallery worker',
			create: () => new Worker(new URL('../workers/gallery.worker.ts', import.meta.url), { type: 'module', name: 'gallery' }),
			onCrash,
			jobTimeoutMs: JOB_TIMEOUT_MS
		});
	}

	/**
	 * Starts the worker and loads ResNet50 there. It takes every core: the gallery is a page of its own,
	 * with no live loop beside it (the studio's workers split the cores instead).
	 */
	protected setUp(): Promise<GalleryLoaded> {
		const init: LabWorkerInit = { backend: this.backend, threads: this.threads ?? threadsFor('page', navigator.hardwareConcurrency), wasmPath: WASM_PATH };
		return this.owner.call((api) => api.load(init), { timeoutMs: LOAD_TIMEOUT_MS });
	}

	/** Starts the worker and loads ResNet50 there (once per worker). */
	load(): Promise<GalleryLoaded> {
		return this.ensureLoaded();
	}

	async features(items: GalleryItem[], onItem: (f: GalleryFeatures | GalleryPictureFailed, done: number, total: number) => void, signal?: AbortSignal): Promise<void> {
		await this.ensureLoaded();
		return this.job((api, id, progress) => api.features(id, items, progress), { signal, onProgress: onItem });
	}

	async maxima(layer: string, items: GalleryItem[], onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<ChannelMaxima[]> {
		await this.ensureLoaded();
		return this.job((api, id, progress) => api.maxima(id, layer, items, progress), { signal, onProgress });
	}

	/** PCA and t-SNE need no classifier: they do not wait for it. */
	pca(data: Float32Array, n: number, d: number): Promise<Float64Array> {
		const copy = Float32Array.from(data);
		return this.owner.call((api) => api.pca(transfer(copy, [copy.buffer]), n, d), { timeoutMs: JOB_TIMEOUT_MS });
	}

	tsne(data: Float32Array, n: number, d: number, options: TsneOptions, onProgress: (p: GalleryTsneProgress) => void, signal?: AbortSignal): Promise<Float64Array> {
		const copy = Float32Array.from(data);
		return this.job((api, id, progress) => api.tsne(id, transfer(copy, [copy.buffer]), n, d, options, progress), { signal, onProgress });
	}
}
