/**
 * The page's side of the gallery worker: starts it lazily, loads the classifier once per worker (again
 * after a crash), runs features / maxima / t-SNE jobs with progress and cancel.
 */
import { proxy, transfer } from 'comlink';
import type { ChannelMaxima } from '../gallery/patches';
import type { TsneOptions } from '../gallery/tsne';
import { WASM_PATH, threadsFor } from '../tf/cpu-backend';
import { newJobId } from './jobs';
import { WorkerOwner, type WorkerCrashedError } from './owner';
import type { GalleryFeatures, GalleryItem, GalleryPictureFailed, GalleryLoaded, GalleryTsneProgress, GalleryWorkerApi, LabWorkerInit } from './protocol';

const LOAD_TIMEOUT_MS = 180_000;
/** A whole job's limit (a hung worker never answers); jobs report progress long before. */
const JOB_TIMEOUT_MS = 30 * 60_000;

export class GalleryClient {
	private readonly owner: WorkerOwner<GalleryWorkerApi>;
	private loadedGeneration = 0;
	private loaded: GalleryLoaded | null = null;

	constructor(
		private readonly backend: LabWorkerInit['backend'],
		onCrash?: (err: WorkerCrashedError) => void,
		/** wasm threads to ask for (default: every core). */
		private readonly threads?: number
	) {
		this.owner = new WorkerOwner<GalleryWorkerApi>({
			name: 'gallery worker',
			create: () => new Worker(new URL('./gallery.worker.ts', import.meta.url), { type: 'module', name: 'gallery' }),
			onCrash
		});
	}

	get workerOwner(): WorkerOwner<GalleryWorkerApi> {
		return this.owner;
	}

	/**
	 * Starts the worker and loads ResNet50 there (once per worker). It takes every core: the gallery is
	 * a page of its own, with no live loop beside it (the studio's workers split the cores instead).
	 */
	async load(): Promise<GalleryLoaded> {
		if (this.loaded && this.loadedGeneration === this.owner.generation && this.owner.started) return this.loaded;
		const init: LabWorkerInit = { backend: this.backend, threads: this.threads ?? threadsFor('page', navigator.hardwareConcurrency), wasmPath: WASM_PATH };
		this.loaded = await this.owner.call((api) => api.load(init), { timeoutMs: LOAD_TIMEOUT_MS });
		this.loadedGeneration = this.owner.generation;
		return this.loaded;
	}

	private job<R>(run: (api: import('comlink').Remote<GalleryWorkerApi>, id: number) => Promise<R>, signal?: AbortSignal): Promise<R> {
		const id = newJobId();
		return this.owner.call((api) => run(api, id), {
			signal,
			timeoutMs: JOB_TIMEOUT_MS,
			onCancel: (api) => void (api as unknown as GalleryWorkerApi).cancel(id)
		});
	}

	async features(items: GalleryItem[], onItem: (f: GalleryFeatures | GalleryPictureFailed, done: number, total: number) => void, signal?: AbortSignal): Promise<void> {
		await this.load();
		return this.job((api, id) => api.features(id, items, proxy(onItem)), signal);
	}

	async maxima(layer: string, items: GalleryItem[], onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<ChannelMaxima[]> {
		await this.load();
		return this.job((api, id) => api.maxima(id, layer, items, proxy(onProgress)), signal);
	}

	/** PCA and t-SNE need no classifier: they do not wait for it. */
	pca(data: Float32Array, n: number, d: number): Promise<Float64Array> {
		const copy = Float32Array.from(data);
		return this.owner.call((api) => api.pca(transfer(copy, [copy.buffer]), n, d), { timeoutMs: JOB_TIMEOUT_MS });
	}

	tsne(data: Float32Array, n: number, d: number, options: TsneOptions, onProgress: (p: GalleryTsneProgress) => void, signal?: AbortSignal): Promise<Float64Array> {
		const copy = Float32Array.from(data);
		return this.job((api, id) => api.tsne(id, transfer(copy, [copy.buffer]), n, d, options, proxy(onProgress)), signal);
	}

	async numTensors(): Promise<number> {
		if (!this.owner.started) return 0;
		return this.owner.call((api) => api.numTensors(), { timeoutMs: 10_000 });
	}

	dispose(): void {
		this.owner.dispose();
	}
}
