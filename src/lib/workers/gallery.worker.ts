/**
 * The gallery worker: holds ResNet50 (loaded once) and does the gallery's slow work off the page —
 * features of each snapshot, every channel's strongest response at a layer, PCA and t-SNE of the
 * features — one job at a time per kind, with progress callbacks and cancel between steps. Pictures
 * arrive as Blobs and are decoded here; only plain data goes back.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { findBlockLayers, load as loadClassifier, STAGES, type Classifier } from '../models/classifier';
import { layerMaxima, pictureFeatures } from '../gallery/features';
import type { ChannelMaxima } from '../gallery/patches';
import { pca2 } from '../gallery/pca';
import { describeLayers, receptiveFields } from '../gallery/receptive-field';
import { Tsne, type TsneOptions } from '../gallery/tsne';
import { pixelsToTensor } from '../render/pixel-tensors';
import { startWorkerBackend } from './backend';
import { holdLifeline } from './lifeline';
import { nextTask, throwIfCancelled } from '../cancel';
import { JobBoard } from './jobs';
import type { GalleryFeatures, GalleryItem, GalleryPictureFailed, GalleryLoaded, GalleryTsneProgress, GalleryWorkerApi, LabWorkerInit } from './protocol';

/** t-SNE steps between progress reports (and cancel checks). */
const TSNE_REPORT_EVERY = 10;

/** A picture squashed to size² as a float [size, size, 3] tensor in [0, 1]; caller disposes. */
async function decode(blob: Blob, size: number): Promise<tf.Tensor3D> {
	const bitmap = await createImageBitmap(blob, { resizeWidth: size, resizeHeight: size, resizeQuality: 'high' });
	try {
		const canvas = new OffscreenCanvas(size, size);
		const ctx = canvas.getContext('2d', { willReadFrequently: true });
		if (!ctx) throw new Error('2D canvas is not available in the gallery worker');
		ctx.drawImage(bitmap, 0, 0, size, size);
		return pixelsToTensor({ width: size, height: size, data: ctx.getImageData(0, 0, size, size).data });
	} finally {
		bitmap.close();
	}
}

/** decode, or why the picture could not be decoded (the browser's message). */
async function decodeOrNull(blob: Blob, size: number): Promise<tf.Tensor3D | string> {
	try {
		return await decode(blob, size);
	} catch (err) {
		return `the picture could not be decoded (${err instanceof Error ? err.message : String(err)})`;
	}
}

class GalleryWorker implements GalleryWorkerApi {
	private clf: Classifier | null = null;
	private loading: Promise<GalleryLoaded> | null = null;
	private readonly jobs = new JobBoard();

	/** Starts the backend and loads the classifier once (calls while it loads share the one load). */
	load(init: LabWorkerInit): Promise<GalleryLoaded> {
		this.loading ??= this.loadOnce(init).catch((err) => {
			this.loading = null;
			throw err;
		});
		return this.loading;
	}

	private async loadOnce(init: LabWorkerInit): Promise<GalleryLoaded> {
		const info = await startWorkerBackend(init);
		const clf = (this.clf ??= await loadClassifier({ url: init.modelUrl, taps: ['conv5'] }));
		const geometry = receptiveFields(describeLayers(clf.model), clf.inputSize);
		const names: [string, string][] = [...STAGES.map((s) => [s, clf.stageLayers[s]] as [string, string]), ...findBlockLayers(clf.model)];
		const layers = names.map(([name, keras]) => ({
			name,
			channels: clf.model.getLayer(keras).outputShape[3] as number,
			geometry: geometry.get(keras)!
		}));
		return { ...info, inputSize: clf.inputSize, layers };
	}

	private classifier(): Classifier {
		if (!this.clf) throw new Error('the gallery worker has no classifier loaded');
		return this.clf;
	}

	numTensors(): number {
		return tf.memory().numTensors;
	}

	cancel(jobId: number): void {
		this.jobs.cancel(jobId);
	}

	features(jobId: number, items: GalleryItem[], onItem: (f: GalleryFeatures | GalleryPictureFailed, done: number, total: number) => void): Promise<void> {
		return this.jobs.run(jobId, async (signal) => {
			const clf = this.classifier();
			for (let i = 0; i < items.length; i++) {
				throwIfCancelled(signal);
				// A picture that does not decode fails alone: it is reported, and the rest go on.
				const frame = await decodeOrNull(items[i].blob, clf.inputSize);
				if (typeof frame === 'string') {
					onItem({ id: items[i].id, error: frame }, i + 1, items.length);
					continue;
				}
				try {
					const f = await pictureFeatures(clf, frame);
					const out: GalleryFeatures = { id: items[i].id, ...f };
					onItem(Comlink.transfer(out, [out.pooled.buffer as ArrayBuffer, out.tiny.buffer as ArrayBuffer]), i + 1, items.length);
				} finally {
					frame.dispose();
				}
				await nextTask();
			}
		});
	}

	maxima(jobId: number, layer: string, items: GalleryItem[], onProgress: (done: number, total: number) => void): Promise<ChannelMaxima[]> {
		return this.jobs.run(jobId, async (signal) => {
			const clf = this.classifier();
			const out: ChannelMaxima[] = [];
			for (let i = 0; i < items.length; i++) {
				throwIfCancelled(signal);
				const frame = await decodeOrNull(items[i].blob, clf.inputSize);
				// A picture that no longer decodes (storage damage) is left out of the patches, not the others.
				if (typeof frame === 'string') {
					onProgress(i + 1, items.length);
					continue;
				}
				try {
					out.push(await layerMaxima(clf, layer, frame, items[i].id));
				} finally {
					frame.dispose();
				}
				onProgress(i + 1, items.length);
				await nextTask();
			}
			return Comlink.transfer(out, out.flatMap((m) => [m.max.buffer as ArrayBuffer, m.arg.buffer as ArrayBuffer]));
		});
	}

	async pca(data: Float32Array, n: number, d: number): Promise<Float64Array> {
		const { positions } = pca2(data, n, d);
		return Comlink.transfer(positions, [positions.buffer as ArrayBuffer]);
	}

	tsne(jobId: number, data: Float32Array, n: number, d: number, options: TsneOptions, onProgress: (p: GalleryTsneProgress) => void): Promise<Float64Array> {
		return this.jobs.run(jobId, async (signal) => {
			const t = new Tsne(data, n, d, options);
			while (!t.done) {
				throwIfCancelled(signal);
				t.run(TSNE_REPORT_EVERY);
				const positions = Float64Array.from(t.positions);
				onProgress(Comlink.transfer({ iteration: t.iteration, total: t.iterations, method: t.method, positions }, [positions.buffer as ArrayBuffer]));
				await nextTask();
			}
			const out = Float64Array.from(t.positions);
			return Comlink.transfer(out, [out.buffer as ArrayBuffer]);
		});
	}
}

holdLifeline();
Comlink.expose(new GalleryWorker());
