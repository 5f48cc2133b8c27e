/**
 * The page's side of a worker, once for all of them: a WorkerOwner (start, crash, restart, teardown)
 * plus what every client did by hand before — set the worker up once per worker generation (again after
 * a crash or a restart), run cancellable jobs with progress, count the worker's tensors, dispose.
 *
 *   class LabClient extends WorkerClient<LabWorkerApi, LabLoaded> {
 *     protected setUp() { return this.owner.call((api) => api.load(init), { timeoutMs: LOAD_TIMEOUT_MS }); }
 *     async run(…, onProgress, signal) {
 *       await this.ensureLoaded();
 *       return this.job((api, id, progress) => api.run(id, …, progress), { signal, onProgress });
 *     }
 *   }
 *
 * A feature's client lives with the feature (live/worker-pipeline.ts, explain/worker-client.ts,
 * optvis/worker-client.ts, gallery/worker-client.ts); its worker's API extends the base protocol in
 * protocol.ts.
 */
import { proxy, type ProxyMarked, type Remote } from 'comlink';
import { newJobId } from './jobs';
import { WorkerOwner, type WorkerOwnerOptions } from './owner';
import type { BaseWorkerApi, JobWorkerApi } from './protocol';

export interface WorkerClientOptions extends WorkerOwnerOptions {
	/** The limit of short calls (numTensors); a worker busy with a long step answers after it. Default 10 s. */
	callTimeoutMs?: number;
	/** The limit of a whole job (a hung worker never answers). Default none. */
	jobTimeoutMs?: number;
}

export interface JobOptions {
	signal?: AbortSignal;
	/** Instead of the client's jobTimeoutMs. */
	timeoutMs?: number;
}

type Callback = (...args: never[]) => void;

export abstract class WorkerClient<Api extends BaseWorkerApi, Ready = void> {
	readonly owner: WorkerOwner<Api>;
	/** What setUp() gave, and for which worker. */
	private setUpFor: { generation: number; value: Ready } | null = null;
	/** The set-up in progress: concurrent callers wait for the same one. */
	private settingUp: Promise<Ready> | null = null;

	constructor(private readonly clientOptions: WorkerClientOptions) {
		this.owner = new WorkerOwner<Api>(clientOptions);
	}

	/**
	 * Sets a fresh worker up (its backend, its model, what the page had asked of the last one) through
	 * `this.owner.call`; ensureLoaded() runs it once per worker generation.
	 */
	protected abstract setUp(): Promise<Ready>;

	/** True when the running worker has been set up. */
	get isReady(): boolean {
		return this.setUpFor !== null && this.owner.started && this.setUpFor.generation === this.owner.generation;
	}

	/** The running worker, set up: the first call, and the first after a crash or restart, set it up. */
	protected ensureLoaded(): Promise<Ready> {
		if (this.isReady) return Promise.resolve(this.setUpFor!.value);
		this.settingUp ??= this.setUp().then(
			(value) => {
				this.setUpFor = { generation: this.owner.generation, value };
				this.settingUp = null;
				return value;
			},
			(err: unknown) => {
				this.settingUp = null;
				throw err;
			}
		);
		return this.settingUp;
	}

	/**
	 * One cancellable job: a fresh id for the worker's JobBoard; when `signal` aborts, the call rejects
	 * with a JobCancelledError at once and `cancel(id)` goes to the worker, which stops within a step.
	 * With `onProgress`, `run` gets it as a comlink proxy (the worker calls it across the thread).
	 */
	protected job<R, F extends Callback>(
		this: WorkerClient<Api & JobWorkerApi, Ready>,
		run: (api: Remote<Api & JobWorkerApi>, id: number, onProgress: F & ProxyMarked) => Promise<R>,
		options: JobOptions & { onProgress: F }
	): Promise<R>;
	protected job<R>(this: WorkerClient<Api & JobWorkerApi, Ready>, run: (api: Remote<Api & JobWorkerApi>, id: number) => Promise<R>, options?: JobOptions): Promise<R>;
	protected job<R>(
		this: WorkerClient<Api & JobWorkerApi, Ready>,
		run: (api: Remote<Api & JobWorkerApi>, id: number, onProgress?: Callback & ProxyMarked) => Promise<R>,
		options: JobOptions & { onProgress?: Callback } = {}
	): Promise<R> {
		const id = newJobId();
		const onProgress = options.onProgress ? proxy(options.onProgress) : undefined;
		return this.owner.call((api) => run(api, id, onProgress), {
			signal: options.signal,
			timeoutMs: options.timeoutMs ?? this.clientOptions.jobTimeoutMs,
			onCancel: (api) => void api.cancel(id)
		});
	}

	/** Live tensors in the worker (0 when none is running). */
	async numTensors(): Promise<number> {
		if (!this.owner.started) return 0;
		return this.owner.call((api) => api.numTensors(), { timeoutMs: this.clientOptions.callTimeoutMs ?? 10_000 });
	}

	/** Terminates the worker; further calls are refused. */
	dispose(): void {
		this.owner.dispose();
	}
}
