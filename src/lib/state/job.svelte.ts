/**
 * One long piece of work in a state class (features of a gallery, a t-SNE map, a lab run): its
 * AbortSignal, its progress, whether it runs, and what happens when it fails. Starting a new run
 * supersedes the one in flight (it is aborted, and its late reports and its end are ignored);
 * `abort()` cancels; a failure (not a cancellation) sets `error` and calls `onError`, where the state
 * class turns it into its notice. Plain data only: the work itself runs elsewhere (a worker client).
 *
 *   readonly map = new Job<Progress>({ onError: (err) => (this.notice = `The map failed: ${message(err)}`) });
 *   await this.map.start(async (signal, progress) => { progress({ done: 0, total: 3 }); … });
 */
import { isCancelled } from '../cancel';

export interface Progress {
	done: number;
	total: number;
}

/**
 * The work of one run. `progress(p)` shows `p` while the run is current and answers whether it did:
 * false once the run has ended, been cancelled or been superseded (a report that lands late, e.g.
 * on a worker's own progress channel, is dropped).
 */
export type JobWork<R, P> = (signal: AbortSignal, progress: (p: P) => boolean) => Promise<R>;

export interface JobOptions {
	/** A run failed (not cancelled, not superseded, not after dispose). */
	onError?: (err: unknown) => void;
	/** A run was cancelled by `abort()` (not when a newer run superseded it, not after dispose). */
	onCancel?: () => void;
}

interface Run {
	controller: AbortController;
	done: Promise<unknown>;
}

export class Job<P = Progress> {
	running = $state(false);
	progress = $state.raw<P | null>(null);
	/** The last run's failure, as text (cleared when a run starts). */
	error = $state<string | null>(null);

	private current: Run | null = null;
	private disposed = false;

	constructor(private readonly options: JobOptions = {}) {}

	/** The run in flight (it settles when the run ends and never rejects); null when idle. */
	get pending(): Promise<unknown> | null {
		return this.current?.done ?? null;
	}

	/**
	 * Starts `work`, aborting the run in flight. Resolves with the work's result, or undefined when it
	 * failed or was cancelled (never rejects: failures go to `onError`).
	 */
	start<R>(work: JobWork<R, P>): Promise<R | undefined> {
		this.current?.controller.abort();
		const controller = new AbortController();
		const run: Run = { controller, done: Promise.resolve() };
		this.current = run;
		this.running = true;
		this.progress = null;
		this.error = null;
		const live = () => this.current === run && !controller.signal.aborted;
		const report = (p: P) => {
			if (!live()) return false;
			this.progress = p;
			return true;
		};
		const result = (async () => {
			try {
				return await work(controller.signal, report);
			} catch (err) {
				if (this.disposed || this.current !== run) return undefined; // superseded or gone: nobody to tell
				if (controller.signal.aborted || isCancelled(err)) this.options.onCancel?.();
				else {
					this.error = err instanceof Error ? err.message : String(err);
					this.options.onError?.(err);
				}
				return undefined;
			} finally {
				if (this.current === run) {
					this.current = null;
					this.running = false;
					this.progress = null;
				}
			}
		})();
		run.done = result;
		return result;
	}

	/** Cancels the run in flight (its work sees its signal abort). */
	abort(): void {
		this.current?.controller.abort();
	}

	/** Cancels the run in flight; nothing is reported afterwards. */
	dispose(): void {
		this.disposed = true;
		this.abort();
	}
}
