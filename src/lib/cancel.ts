/**
 * Cancellation, the same on every thread (page, workers, tests): the error a cancelled job ends with,
 * how to tell it from a failure, and the two checks a long job makes between its steps. Pure: it
 * imports nothing, so any layer may use it.
 */

/** The job was cancelled by its AbortSignal; its result, if any, is dropped. */
export class JobCancelledError extends Error {
	override readonly name = 'AbortError';
	constructor(message = 'cancelled') {
		super(message);
	}
}

/** True for a cancellation: ours, or any AbortError (comlink carries a worker's error by name and message). */
export function isCancelled(err: unknown): boolean {
	return err instanceof JobCancelledError || (err as Error | null)?.name === 'AbortError';
}

/** Throws a JobCancelledError (an AbortError) when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new JobCancelledError();
}

/** Lets queued messages (a cancel) in before the next step of a long job. */
export const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
