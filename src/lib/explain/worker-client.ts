/**
 * Explanations on the CPU path: the explain worker holds ResNet50, so a Score-CAM of several seconds
 * never blocks the page. Captured frames travel as transferred pixel buffers; results come back as
 * plain data. A crashed worker is replaced on the next call, and the classifier loaded again.
 */
import { transfer } from 'comlink';
import type { ExplainClient, ExplainLoadResult } from './client';
import type { ExplainRequest, ExplainResult } from './explainer';
import type { FrameCapture } from '../live/pipeline';
import { WASM_PATH, threadsFor, type CpuBackendName } from '../tf/cpu-backend';
import { WorkerClient } from '../workers/client';
import type { WorkerCrashedError } from '../workers/owner';
import type { ExplainWorkerApi } from '../workers/protocol';

/** Generous: Score-CAM takes seconds on wasm; the limit is for a worker that is gone. */
const EXPLAIN_TIMEOUT_MS = 60_000;
const LOAD_TIMEOUT_MS = 120_000;

export class WorkerExplainClient extends WorkerClient<ExplainWorkerApi> implements ExplainClient {
	readonly kind = 'worker' as const;
	threads?: number;
	private url: string | undefined;
	/** The page asked for the classifier (and has not unloaded it): a fresh worker loads it again. */
	private classifierWanted = false;

	constructor(
		private readonly backend: CpuBackendName,
		onCrash?: (err: WorkerCrashedError) => void
	) {
		super({
			name: 'explain worker',
			create: () => new Worker(new URL('../workers/explain.worker.ts', import.meta.url), { type: 'module', name: 'explain' }),
			onCrash,
			callTimeoutMs: EXPLAIN_TIMEOUT_MS,
			jobTimeoutMs: EXPLAIN_TIMEOUT_MS
		});
	}

	protected async setUp(): Promise<void> {
		const b = await this.owner.call(
			(api) => api.init({ backend: this.backend, threads: threadsFor('explain', navigator.hardwareConcurrency), wasmPath: WASM_PATH }),
			{ timeoutMs: LOAD_TIMEOUT_MS }
		);
		this.threads = b.threads;
		// After a restart, the classifier the page had asked for is loaded again.
		if (this.classifierWanted) await this.owner.call((api) => api.load(this.url), { timeoutMs: LOAD_TIMEOUT_MS });
	}

	async load(url?: string): Promise<ExplainLoadResult> {
		await this.ensureLoaded();
		const r = await this.owner.call((api) => api.load(url), { timeoutMs: LOAD_TIMEOUT_MS });
		this.url = url;
		this.classifierWanted = true;
		return r;
	}

	async explain(capture: FrameCapture, request: ExplainRequest, signal?: AbortSignal): Promise<ExplainResult> {
		if (capture.kind !== 'pixels') throw new Error('the explain worker takes pixel captures');
		await this.ensureLoaded();
		const frames = { raw: capture.raw, shown: capture.shown };
		const buffers = [capture.shown.data.buffer, ...(capture.raw ? [capture.raw.data.buffer] : [])] as ArrayBuffer[];
		return this.job((api, id) => api.explain(id, transfer(frames, buffers), request), { signal });
	}

	unload(): void {
		this.classifierWanted = false;
		if (this.owner.started) this.owner.call((api) => api.unload()).catch(() => {});
	}
}
