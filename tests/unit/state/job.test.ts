import { describe, expect, it } from 'vitest';
import { JobCancelledError, throwIfCancelled } from '../../../src/lib/cancel';
import { Job, type Progress } from '../../../src/lib/state/job.svelte';

/** A promise and its resolvers, to step a run by hand. */
function gate<T = void>() {
	let resolve!: (v: T) => void;
	let reject!: (e: unknown) => void;
	const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
	return { promise, resolve, reject };
}

/** Work that waits for `g`, rejecting with a cancellation as soon as its signal aborts (as WorkerOwner.call does). */
function waitFor<T>(g: { promise: Promise<T> }, signal: AbortSignal): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		signal.addEventListener('abort', () => reject(new JobCancelledError()), { once: true });
		g.promise.then(resolve, reject);
	});
}

function recorder() {
	const errors: unknown[] = [];
	let cancels = 0;
	return { errors, cancels: () => cancels, options: { onError: (e: unknown) => errors.push(e), onCancel: () => void cancels++ } };
}

describe('Job', () => {
	it('runs, shows its progress while running, and ends idle with the result', async () => {
		const job = new Job<Progress>();
		const g = gate<number>();
		let report!: (p: Progress) => boolean;
		expect(job.running).toBe(false);
		expect(job.pending).toBeNull();
		const done = job.start(async (signal, progress) => {
			report = progress;
			progress({ done: 0, total: 2 });
			return waitFor(g, signal);
		});
		expect(job.running).toBe(true);
		expect(job.pending).not.toBeNull();
		expect(job.progress).toEqual({ done: 0, total: 2 });
		expect(report({ done: 1, total: 2 })).toBe(true);
		expect(job.progress).toEqual({ done: 1, total: 2 });
		g.resolve(42);
		expect(await done).toBe(42);
		expect(job.running).toBe(false);
		expect(job.progress).toBeNull();
		expect(job.pending).toBeNull();
		// A report that lands after the run answered is dropped.
		expect(report({ done: 2, total: 2 })).toBe(false);
		expect(job.progress).toBeNull();
	});

	it('a new run supersedes the one in flight: aborted, its late reports and its end ignored, nobody told', async () => {
		const r = recorder();
		const job = new Job<Progress>(r.options);
		const first = gate();
		const second = gate<string>();
		let firstSignal!: AbortSignal;
		let firstReport!: (p: Progress) => boolean;
		const a = job.start(async (signal, progress) => {
			firstSignal = signal;
			firstReport = progress;
			await waitFor(first, signal);
			return 'first';
		});
		const b = job.start(async (signal, progress) => {
			progress({ done: 0, total: 5 });
			return waitFor(second, signal);
		});
		expect(firstSignal.aborted).toBe(true);
		expect(firstReport({ done: 9, total: 9 })).toBe(false);
		expect(job.progress).toEqual({ done: 0, total: 5 });
		expect(await a).toBeUndefined();
		// The first run's end leaves the second one running.
		expect(job.running).toBe(true);
		expect(job.progress).toEqual({ done: 0, total: 5 });
		second.resolve('second');
		expect(await b).toBe('second');
		expect(job.running).toBe(false);
		expect(r.errors).toEqual([]);
		expect(r.cancels()).toBe(0);
	});

	it('abort() cancels: onCancel, no error, idle', async () => {
		const r = recorder();
		const job = new Job(r.options);
		const g = gate();
		const done = job.start((signal) => waitFor(g, signal));
		job.abort();
		expect(await done).toBeUndefined();
		expect(r.cancels()).toBe(1);
		expect(r.errors).toEqual([]);
		expect(job.error).toBeNull();
		expect(job.running).toBe(false);
	});

	it('work that checks its own signal between steps ends as a cancellation too', async () => {
		const r = recorder();
		const job = new Job(r.options);
		const done = job.start(async (signal) => {
			for (;;) {
				throwIfCancelled(signal);
				await new Promise((res) => setTimeout(res, 0));
			}
		});
		job.abort();
		await done;
		expect(r.cancels()).toBe(1);
		expect(r.errors).toEqual([]);
	});

	it('a failure sets error and calls onError once; the next run clears it', async () => {
		const r = recorder();
		const job = new Job(r.options);
		const boom = new Error('out of memory');
		expect(await job.start(async () => Promise.reject(boom))).toBeUndefined();
		expect(r.errors).toEqual([boom]);
		expect(job.error).toBe('out of memory');
		expect(job.running).toBe(false);
		const g = gate<number>();
		const next = job.start((signal) => waitFor(g, signal));
		expect(job.error).toBeNull();
		g.resolve(1);
		expect(await next).toBe(1);
		expect(r.errors).toHaveLength(1);
		expect(r.cancels()).toBe(0);
	});

	it('after dispose a run in flight is aborted and nothing is reported', async () => {
		const r = recorder();
		const job = new Job(r.options);
		const g = gate();
		let seen!: AbortSignal;
		const done = job.start((signal) => {
			seen = signal;
			return waitFor(g, signal);
		});
		job.dispose();
		expect(seen.aborted).toBe(true);
		await done;
		expect(r.cancels()).toBe(0);
		expect(r.errors).toEqual([]);
		expect(job.running).toBe(false);
	});
});
