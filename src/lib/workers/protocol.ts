/**
 * The typed protocol between the page and its workers (over comlink). Everything that crosses is
 * plain data: settings snapshots, transferred ImageBitmaps and pixel buffers, results. Errors thrown
 * in a worker reach the page as errors with their message (comlink carries them).
 */
import type { FrameSettings, StepTimings } from '../live/settings';
import type { ExtraStyle, StyleInfo } from '../models/style-net';
import type { PixelImage } from '../render/pixels';
import type { CpuBackendName } from '../tf/cpu-backend';
import type { ExplainRequest, ExplainResult } from '../explain/explainer';
import type { LabModeId, LabParams, LabProgress, LabResult } from '../optvis/catalogue/types';

/** How a worker starts tfjs. */
export interface WorkerInit {
	backend: CpuBackendName;
	/** Threads to ask the wasm backend for (it may run fewer: the count it really runs comes back). */
	threads: number;
	wasmPath: string;
}

export interface WorkerBackend {
	backend: CpuBackendName;
	/** Read back from the wasm backend after it started. */
	threads: number;
}

/** Every worker answers these (the base protocol: WorkerClient relies on it). */
export interface BaseWorkerApi {
	/** Live tensors in the worker. */
	numTensors(): number;
}

/**
 * A worker with cancellable jobs: each job takes an id from the page (WorkerClient.job) and runs under
 * a JobBoard signal there; `cancel(id)` stops it within a step.
 */
export interface JobWorkerApi extends BaseWorkerApi {
	cancel(jobId: number): void;
}

/** A worker that starts the CPU backend it is told to (the style and explain workers). */
export interface CpuWorkerApi extends BaseWorkerApi {
	init(init: WorkerInit): Promise<WorkerBackend>;
}

export interface StyleFrameDone {
	/** The picture, to show on the stage (transferred; the page closes it when a newer one is shown first). */
	bitmap: ImageBitmap;
	width: number;
	height: number;
	numTensors: number;
	timings: StepTimings;
	/** With settings.capture: the camera frame (null when style is off) and the frame shown, as pixels. */
	capture: { raw: PixelImage | null; shown: PixelImage } | null;
}

/** A live style worker processes the frames it is sent and answers with each picture as an ImageBitmap. */
export interface StyleWorkerApi extends CpuWorkerApi {
	loadStyle(url: string): Promise<StyleInfo[]>;
	/** The learned styles after the built-in ones (kept for a network loaded later); returns the styles now. */
	setExtraStyles(extra: ExtraStyle[]): StyleInfo[];
	unloadStyle(): void;
	/** Processes one frame (the bitmaps are transferred and closed here) into a picture. */
	frame(bitmap: ImageBitmap, settings: FrameSettings, guide?: ImageBitmap): Promise<StyleFrameDone>;
	/**
	 * A full-resolution still (stylize/tiles.ts) with the network at `url` (loaded once per worker, apart
	 * from the live one). Run in a worker of its own (stylize/still-job.ts): cancelling terminates it.
	 */
	still(url: string, image: PixelImage, weights: number[], extra: ExtraStyle[], strength: number, onProgress: (p: import('../stylize/tiles').StillProgress) => void): Promise<import('../stylize/tiles').StillResult>;
}

export interface ExplainLoaded {
	labels: string[];
	/** conv1's filters as a picture. */
	filters: PixelImage;
}

/** The explain worker holds the classifier; one job at a time, cancellable by id. */
export interface ExplainWorkerApi extends CpuWorkerApi, JobWorkerApi {
	load(url?: string): Promise<ExplainLoaded>;
	explain(jobId: number, frames: { raw: PixelImage | null; shown: PixelImage }, request: ExplainRequest): Promise<ExplainResult>;
	unload(): void;
}

/** How the lab worker starts tfjs: WebGL (an OffscreenCanvas in the worker) where the GPU is real, else the CPU path. */
export interface LabWorkerInit extends Omit<WorkerInit, 'backend'> {
	backend: 'webgl' | CpuBackendName;
	/** The classifier's folder (default /models/resnet50/). */
	modelUrl?: string;
}

export interface LabLoaded {
	backend: string;
	threads: number;
	labels: string[];
	/** Residual block names, for the layer pickers. */
	blocks: string[];
}

/** Measured on a short warm-up: how long one work unit of a mode takes at these settings. */
/** The warm-up of each phase of a run (optvis/catalogue's expectedRunMs turns it into a whole run's time). */
export interface LabEstimate {
	phases: import('../optvis/catalogue').PhaseTiming[];
}

/** The lab worker holds ResNet50 and runs one mode at a time; cancellable by id. */
export interface LabWorkerApi extends JobWorkerApi {
	load(init: LabWorkerInit): Promise<LabLoaded>;
	estimate<K extends LabModeId>(jobId: number, mode: K, params: Partial<LabParams[K]>, image: PixelImage): Promise<LabEstimate>;
	run<K extends LabModeId>(jobId: number, mode: K, params: Partial<LabParams[K]>, image: PixelImage, onProgress: (p: LabProgress) => void): Promise<LabResult>;
}

/** The gallery worker (issue 15): features, channel maxima, PCA and t-SNE, off the page. */
export interface GalleryItem {
	id: string;
	/** The snapshot's picture (Blobs cross threads without copying the bytes). */
	blob: Blob;
}

export interface GalleryFeatures {
	id: string;
	pooled: Float32Array;
	tiny: Float32Array;
	top1: { index: number; label: string; prob: number };
}

/** A picture whose features could not be computed (it does not decode); the others go on. */
export interface GalleryPictureFailed {
	id: string;
	error: string;
}

export interface GalleryLoaded {
	backend: string;
	threads: number;
	inputSize: number;
	/** Layers the patches view offers: the stages, then the residual blocks. */
	layers: { name: string; channels: number; geometry: import('../gallery/receptive-field').Geometry }[];
}

export interface GalleryTsneProgress {
	iteration: number;
	total: number;
	method: import('../gallery/tsne').TsneMethod;
	/** The layout so far [x0, y0, …]. */
	positions: Float64Array;
}

export interface GalleryWorkerApi extends JobWorkerApi {
	load(init: LabWorkerInit): Promise<GalleryLoaded>;
	/** Features of each picture, reported one by one (so a cancelled run keeps what it did); a picture that does not decode is reported failed, alone. */
	features(jobId: number, items: GalleryItem[], onItem: (f: GalleryFeatures | GalleryPictureFailed, done: number, total: number) => void): Promise<void>;
	/** Every channel's strongest response at `layer`, per picture. */
	maxima(jobId: number, layer: string, items: GalleryItem[], onProgress: (done: number, total: number) => void): Promise<import('../gallery/patches').ChannelMaxima[]>;
	pca(data: Float32Array, n: number, d: number): Promise<Float64Array>;
	tsne(jobId: number, data: Float32Array, n: number, d: number, options: import('../gallery/tsne').TsneOptions, onProgress: (p: GalleryTsneProgress) => void): Promise<Float64Array>;
}
