/**
 * One owner per worker: creates it lazily on the first call, notices when it crashes or stops
 * answering, starts a fresh one on the next call, and terminates it on teardown. Calls go through
 * comlink; errors thrown in the worker come back as errors with their message, and a crash rejects
 * every pending call with a WorkerCrashedError that says which worker and why.
 *
 *   const owner = new WorkerOwner<StyleWorkerApi>({ name: 'style worker', create: () => new Worker(url, { type: 'module' }) });
 *   const done = await owner.call((api) => api.frame(transfer(bitmap, [bitmap]), settings), { timeoutMs: 2000 });
 *   owner.dispose();
 *
 * Nothing starts at import or construction: the worker is created by the first call.
 */
import * as Comlink from 'comlink';
import type { Remote } from 'comlink';
import { JobCancelledError } from '../cancel';
import { watchLifeline } from './lifeline';

/** The worker died (uncaught error, terminated, or no answer in time). The next call restarts it. */
export class WorkerCrashedError extends Error {
	override readonly name = 'WorkerCrashedError';
}

/** What the owner needs from a Worker (a fake in unit tests). */
export interface WorkerLike extends Comlink.Endpoint {
	terminate(): void;
	addEventListener(type: 'error' | 'messageerror' | 'message', listener: (ev: Event) => void): void;
}

export interface WorkerOwnerOptions {
	/** In messages: "the style worker crashed: …". */
	name: string;
	create: () => WorkerLike;
	/** After a crash (the owner has already terminated the worker). */
	onCrash?: (error: WorkerCrashedError) => void;
}

export interface CallOptions<T> {
	signal?: AbortSignal;
	/** No answer in this time: the worker is declared dead (a terminated or hung worker never answers). */
	timeoutMs?: number;
	/** Called when `signal` aborts, with the worker's remote (e.g. to tell the worker to stop the job). */
	onCancel?: (api: Remote<T>) => void;
}

interface Live<T> {
	worker: WorkerLike;
	remote: Remote<T>;
	/**
	 * The pending calls' rejecters, told when this worker crashes. Each call adds its own and removes it
	 * when it settles: racing every call against one long-lived "crashed" promise would leave a reaction
	 * on it per call, keeping every result alive for as long as the worker lives.
	 */
	pending: Set<(e: WorkerCrashedError) => void>;
	/** Set once the worker crashed (a call that starts after that fails at once). */
	dead: WorkerCrashedError | null;
	/** Stops watching the worker's lifeline (before we terminate it ourselves). */
	unwatch: () => void;
}

export class WorkerOwner<T> {
	private live: Live<T> | null = null;
	private disposed = false;
	/** Incremented for each worker started: a caller that set the worker up remembers it, and sets up a new one again. */
	generation = 0;
	restarts = 0;
	lastCrash: string | null = null;
	/** Crashes since the last call that succeeded: restarts back off (0, 1, 2, 4 … 30 s) so a worker that dies at start does not spin. */
	private consecutiveCrashes = 0;
	private notBefore = 0;

	constructor(private readonly options: WorkerOwnerOptions) {}

	get name(): string {
		return this.options.name;
	}

	/** True while a worker is running. */
	get started(): boolean {
		return this.live !== null;
	}

	/** The running worker, if any (for diagnostics: a test terminates it behind the owner's back). */
	get worker(): WorkerLike | null {
		return this.live?.worker ?? null;
	}

	private ensure(): Live<T> {
		if (this.disposed) throw new Error(`the ${this.options.name} was shut down`);
		if (this.live) return this.live;
		const wait = this.notBefore - now();
		if (wait > 0) throw new WorkerCrashedError(`${this.lastCrash ?? `the ${this.options.name} crashed`}; restarting in ${Math.ceil(wait / 1000)} s`);
		const worker = this.options.create();
		const live: Live<T> = { worker, remote: Comlink.wrap<T>(worker), pending: new Set(), dead: null, unwatch: () => {} };
		// A worker terminated behind our back (or killed by the browser) is noticed at once.
		live.unwatch = watchLifeline(worker, () => this.crash(live, `the ${this.options.name} stopped (terminated or killed)`));
		worker.addEventListener('error', (ev) => {
			const msg = (ev as ErrorEvent).message || 'an uncaught error (no message)';
			this.crash(live, `the ${this.options.name} crashed: ${msg}`);
			ev.preventDefault?.();
		});
		worker.addEventListener('messageerror', () => this.crash(live, `the ${this.options.name} sent a message that could not be read`));
		if (this.generation > 0) this.restarts++;
		this.generation++;
		this.live = live;
		return live;
	}

	private crash(live: Live<T>, message: string): void {
		if (this.live !== live) return; // already replaced
		this.live = null;
		this.lastCrash = message;
		this.consecutiveCrashes++;
		this.notBefore = now() + backoffMs(this.consecutiveCrashes);
		const err = new WorkerCrashedError(message);
		fail(live, err);
		release(live);
		this.options.onCrash?.(err);
	}

	/**
	 * Runs `fn` against the worker's remote. Rejects with the worker's own error (message kept), a
	 * WorkerCrashedError when the worker dies or does not answer within `timeoutMs`, or a
	 * JobCancelledError when `signal` aborts.
	 */
	async call<R>(fn: (api: Remote<T>) => Promise<R>, options: CallOptions<T> = {}): Promise<R> {
		const { signal, timeoutMs, onCancel } = options;
		if (signal?.aborted) throw new JobCancelledError();
		const live = this.ensure();
		const cleanups: (() => void)[] = [];
		const racers: Promise<R>[] = [
			fn(live.remote) as Promise<R>,
			new Promise<never>((_, reject) => {
				if (live.dead) return reject(live.dead);
				live.pending.add(reject);
				cleanups.push(() => live.pending.delete(reject));
			})
		];
		if (signal) {
			racers.push(
				new Promise<never>((_, reject) => {
					const onAbort = () => {
						try {
							onCancel?.(live.remote);
						} catch {
							/* the worker may be gone; the job is dropped either way */
						}
						reject(new JobCancelledError());
					};
					signal.addEventListener('abort', onAbort, { once: true });
					cleanups.push(() => signal.removeEventListener('abort', onAbort));
				})
			);
		}
		if (timeoutMs != null && Number.isFinite(timeoutMs)) {
			racers.push(
				new Promise<never>((_, reject) => {
					const t = setTimeout(() => {
						this.crash(live, `the ${this.options.name} did not answer within ${(timeoutMs / 1000).toFixed(1)} s and was restarted`);
						reject(new WorkerCrashedError(this.lastCrash ?? 'no answer'));
					}, timeoutMs);
					cleanups.push(() => clearTimeout(t));
				})
			);
		}
		try {
			const result = await Promise.race(racers);
			this.consecutiveCrashes = 0;
			return result;
		} finally {
			for (const c of cleanups) c();
		}
	}

	/** Terminates the worker now (tests, or a caller that knows it is stuck); the next call starts a fresh one. */
	kill(reason = 'terminated'): void {
		if (this.live) this.crash(this.live, `the ${this.options.name} was ${reason}`);
	}

	/** Teardown: terminates the worker and refuses further calls. Safe to call twice. */
	dispose(): void {
		this.disposed = true;
		const live = this.live;
		this.live = null;
		if (live) {
			fail(live, new WorkerCrashedError(`the ${this.options.name} was shut down`));
			release(live);
		}
	}
}

/** Delay before the n-th consecutive restart: none for the first, then 1, 2, 4 … 30 s. */
export function backoffMs(crashes: number): number {
	return crashes <= 1 ? 0 : Math.min(30_000, 1000 * 2 ** (crashes - 2));
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Rejects every pending call on this worker, and any that starts later. */
function fail<T>(live: Live<T>, err: WorkerCrashedError): void {
	live.dead = err;
	for (const reject of live.pending) reject(err);
	live.pending.clear();
}

function release<T>(live: Live<T>): void {
	live.unwatch();
	try {
		live.remote[Comlink.releaseProxy]();
	} catch {
		/* the port may already be closed */
	}
	live.worker.terminate();
}
