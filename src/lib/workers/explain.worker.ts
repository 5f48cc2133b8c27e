/**
 * The explain worker (CPU path): holds ResNet50 and explains captured frames — labels, heat map,
 * channel maps — returning plain data. One job at a time; a cancelled job's result is dropped.
 */
import * as Comlink from 'comlink';
import { holdLifeline } from './lifeline';
import * as tf from '@tensorflow/tfjs';
import { Explainer, type ExplainRequest, type ExplainResult } from '../explain/explainer';
import type { PixelImage } from '../render/pixels';
import { pixelsToTensor } from '../render/pixel-tensors';
import { startCpuBackend } from '../tf/cpu-backend';
import { throwIfCancelled } from '../cancel';
import { JobBoard } from './jobs';
import type { ExplainLoaded, ExplainWorkerApi, WorkerBackend, WorkerInit } from './protocol';

class ExplainWorker implements ExplainWorkerApi {
	private explainer: Explainer | null = null;
	private loading: Promise<Explainer> | null = null;
	private readonly jobs = new JobBoard();

	init(init: WorkerInit): Promise<WorkerBackend> {
		return startCpuBackend(init.backend, init.threads, init.wasmPath).then((b) => ({ backend: b.name, threads: b.threads }));
	}

	numTensors(): number {
		return tf.memory().numTensors;
	}

	async load(url?: string): Promise<ExplainLoaded> {
		if (!this.explainer) {
			this.loading ??= Explainer.load(url ? { url } : {});
			try {
				this.explainer = await this.loading;
			} finally {
				this.loading = null;
			}
		}
		const filters = await this.explainer.filters();
		return Comlink.transfer({ labels: [...this.explainer.labels], filters }, [filters.data.buffer]);
	}

	explain(jobId: number, frames: { raw: PixelImage | null; shown: PixelImage }, request: ExplainRequest): Promise<ExplainResult> {
		return this.jobs.run(jobId, async (signal) => {
			const ex = this.explainer;
			if (!ex) throw new Error('the classifier is not loaded');
			throwIfCancelled(signal);
			const raw = frames.raw ? pixelsToTensor(frames.raw) : null;
			const shown = pixelsToTensor(frames.shown);
			try {
				const r = await ex.explain({ raw, shown }, request);
				throwIfCancelled(signal);
				const buffers: ArrayBuffer[] = [];
				if (r.cam) buffers.push(r.cam.map.data.buffer as ArrayBuffer);
				if (r.activation) {
					buffers.push(r.activation.image.data.buffer as ArrayBuffer);
					if (r.activation.channelMap) buffers.push(r.activation.channelMap.data.buffer as ArrayBuffer);
				}
				return Comlink.transfer(r, buffers);
			} finally {
				raw?.dispose();
				shown.dispose();
			}
		});
	}

	cancel(jobId: number): void {
		this.jobs.cancel(jobId);
	}

	unload(): void {
		this.explainer?.dispose();
		this.explainer = null;
	}
}

holdLifeline();
Comlink.expose(new ExplainWorker());
