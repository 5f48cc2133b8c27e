/**
 * Worker side of cancellation: each cancellable job gets an id from the caller and an AbortSignal
 * here; `cancel(id)` (a call from the page) aborts it. A long job checks its signal between steps
 * and yields to the event loop (`nextTask`) so the cancel message can arrive (both in `$lib/cancel`).
 */
export class JobBoard {
	private readonly jobs = new Map<number, AbortController>();

	begin(id: number): AbortSignal {
		const c = new AbortController();
		this.jobs.set(id, c);
		return c.signal;
	}

	cancel(id: number): void {
		this.jobs.get(id)?.abort();
	}

	end(id: number): void {
		this.jobs.delete(id);
	}

	/** Runs `job` under a fresh signal for `id`, and forgets the id afterwards. */
	async run<R>(id: number, job: (signal: AbortSignal) => Promise<R>): Promise<R> {
		const signal = this.begin(id);
		try {
			return await job(signal);
		} finally {
			this.end(id);
		}
	}

	get size(): number {
		return this.jobs.size;
	}
}

let nextId = 1;
/** Page side: a fresh job id. */
export const newJobId = () => nextId++;
