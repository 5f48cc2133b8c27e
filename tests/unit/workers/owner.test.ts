/**
 * WorkerOwner's protocol over a real comlink pair: the "worker" is one end of a MessageChannel, the
 * service is exposed on the other end, exactly as a worker script would expose it on `self`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Remote } from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobCancelledError, nextTask, throwIfCancelled } from '../../../src/lib/cancel';
import { JobBoard, newJobId } from '../../../src/lib/workers/jobs';
import { WorkerCrashedError, WorkerOwner, backoffMs } from '../../../src/lib/workers/owner';
import { FakeWorker } from './fake-worker';

interface Shape {
	width: number;
	height: number;
	tags: string[];
}

/** What our fake worker script exposes. */
class Service {
	readonly jobs = new JobBoard();
	calls = 0;
	cancelled: number[] = [];

	add(a: number, b: number): number {
		this.calls++;
		return a + b;
	}

	describe(shape: Shape, scale: number): { area: number; label: string; tags: string[] } {
		this.calls++;
		return { area: shape.width * shape.height * scale, label: `${shape.width}×${shape.height}`, tags: [...shape.tags].reverse() };
	}

	fail(message: string): never {
		throw new Error(message);
	}

	/** Never answers. */
	hang(): Promise<never> {
		return new Promise<never>(() => {});
	}

	/** A long job that checks its signal between steps, as the explain worker does. */
	async long(id: number): Promise<string> {
		return this.jobs.run(id, async (signal) => {
			for (let i = 0; i < 10_000; i++) {
				throwIfCancelled(signal);
				await nextTask();
			}
			return 'finished';
		});
	}

	cancel(id: number): void {
		this.cancelled.push(id);
		this.jobs.cancel(id);
	}
}


// Everything here settles in milliseconds: a hang is a failure, not a slow test.
vi.setConfig({ testTimeout: 5000 });

const workers: FakeWorker<Service>[] = [];
const owners: WorkerOwner<Service>[] = [];

function setup(name = 'test worker') {
	const create = vi.fn(() => {
		const w = new FakeWorker(new Service());
		workers.push(w);
		return w;
	});
	const onCrash = vi.fn<(e: WorkerCrashedError) => void>();
	const owner = new WorkerOwner<Service>({ name, create, onCrash });
	owners.push(owner);
	const current = () => owner.worker as FakeWorker<Service>;
	return { owner, create, onCrash, current };
}

afterEach(() => {
	vi.restoreAllMocks();
	for (const o of owners.splice(0)) o.dispose();
	for (const w of workers.splice(0)) w.closePorts();
});

describe('WorkerOwner: calls', () => {
	it('creates nothing until the first call, then one worker for many calls', async () => {
		const { owner, create } = setup();
		expect(create).not.toHaveBeenCalled();
		expect(owner.started).toBe(false);
		expect(owner.generation).toBe(0);
		expect(await owner.call((api) => api.add(2, 3))).toBe(5);
		expect(await owner.call((api) => api.add(-1, 0.5))).toBe(-0.5);
		expect(create).toHaveBeenCalledTimes(1);
		expect(owner.started).toBe(true);
		expect(owner.generation).toBe(1);
		expect(owner.restarts).toBe(0);
		expect((owner.worker as FakeWorker<Service>).service.calls).toBe(2);
	});

	it('round-trips structured arguments and results', async () => {
		const { owner } = setup();
		const result = await owner.call((api) => api.describe({ width: 4, height: 3, tags: ['a', 'b', 'c'] }, 0.5));
		expect(result).toEqual({ area: 6, label: '4×3', tags: ['c', 'b', 'a'] });
	});

	it('passes an error thrown in the worker on with its message, and keeps the worker', async () => {
		const { owner, create, onCrash } = setup();
		const err = await owner.call((api) => api.fail('no model loaded')).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(Error);
		expect(err).not.toBeInstanceOf(WorkerCrashedError);
		expect((err as Error).message).toBe('no model loaded');
		// Not a crash: same worker answers the next call.
		expect(await owner.call((api) => api.add(1, 1))).toBe(2);
		expect(create).toHaveBeenCalledTimes(1);
		expect(onCrash).not.toHaveBeenCalled();
	});
});

describe('WorkerOwner: memory', () => {
	it('keeps nothing of a finished call: its result can be collected (a kiosk makes millions of calls)', async () => {
		setFlagsFromString('--expose_gc');
		const gc = runInNewContext('gc') as () => void;
		const { owner } = setup();
		const results: WeakRef<object>[] = [];
		for (let i = 0; i < 20; i++) results.push(new WeakRef(await owner.call((api) => api.describe({ width: i, height: 2, tags: ['x'] }, 1))));
		for (let round = 0; round < 3; round++) {
			await new Promise((r) => setTimeout(r, 0)); // WeakRefs hold their target until the job ends
			gc();
		}
		expect(results.filter((r) => r.deref() !== undefined)).toHaveLength(0);
		expect(await owner.call((api) => api.add(1, 2))).toBe(3);
	});
});

describe('WorkerOwner: crashes', () => {
	it("an 'error' event rejects every pending call with WorkerCrashedError and calls onCrash", async () => {
		const { owner, onCrash, current } = setup('style worker');
		await owner.call((api) => api.add(0, 0)); // started
		const first = current();
		const a = owner.call((api) => api.hang());
		const b = owner.call((api) => api.hang());
		const ev = first.crash('out of memory');
		await expect(a).rejects.toBeInstanceOf(WorkerCrashedError);
		const err = await b.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(WorkerCrashedError);
		expect((err as Error).name).toBe('WorkerCrashedError');
		expect((err as Error).message).toContain('style worker');
		expect((err as Error).message).toContain('out of memory');
		expect(onCrash).toHaveBeenCalledTimes(1);
		expect(onCrash.mock.calls[0][0]).toBeInstanceOf(WorkerCrashedError);
		expect(onCrash.mock.calls[0][0].message).toBe((err as Error).message);
		expect(owner.lastCrash).toBe((err as Error).message);
		expect(first.terminated).toBe(true);
		expect(owner.started).toBe(false);
		expect(ev.defaultPrevented).toBe(true);
	});

	it('an error event without a message still names the worker', async () => {
		const { owner, current } = setup('explain worker');
		const p = owner.call((api) => api.hang());
		current().crash('');
		const err = (await p.catch((e: unknown) => e)) as Error;
		expect(err).toBeInstanceOf(WorkerCrashedError);
		expect(err.message).toMatch(/explain worker/);
		expect(err.message).toMatch(/no message/);
	});

	it("a 'messageerror' is a crash too", async () => {
		const { owner, onCrash, current } = setup('style worker');
		const p = owner.call((api) => api.hang());
		current().messageError();
		await expect(p).rejects.toThrow(/style worker.*could not be read/);
		expect(onCrash).toHaveBeenCalledTimes(1);
	});

	it('the next call after a crash starts a new worker', async () => {
		const { owner, create, current } = setup();
		await owner.call((api) => api.add(1, 2));
		const first = current();
		first.crash('boom');
		expect(owner.started).toBe(false);
		expect(await owner.call((api) => api.add(3, 4))).toBe(7);
		expect(create).toHaveBeenCalledTimes(2);
		expect(current()).not.toBe(first);
		expect(owner.generation).toBe(2);
		expect(owner.restarts).toBe(1);
	});

	it('a late error event from a replaced worker is ignored', async () => {
		const { owner, onCrash, current } = setup();
		await owner.call((api) => api.add(1, 2));
		const first = current();
		first.crash('boom');
		await owner.call((api) => api.add(1, 2));
		first.crash('again'); // its listener is still attached, but it is not the live worker
		expect(onCrash).toHaveBeenCalledTimes(1);
		expect(owner.started).toBe(true);
		expect(await owner.call((api) => api.add(2, 2))).toBe(4);
	});

	it('a worker that stops answering is declared dead after timeoutMs, and the next call restarts it', async () => {
		const { owner, create, onCrash, current } = setup('style worker');
		expect(await owner.call((api) => api.add(1, 1), { timeoutMs: 1000 })).toBe(2);
		const first = current();
		first.closePorts(); // gone without an event
		const t0 = Date.now();
		const err = (await owner.call((api) => api.add(1, 1), { timeoutMs: 80 }).catch((e: unknown) => e)) as Error;
		expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
		expect(err).toBeInstanceOf(WorkerCrashedError);
		expect(err.message).toMatch(/style worker did not answer within 0\.1 s/);
		expect(onCrash).toHaveBeenCalledTimes(1);
		expect(first.terminated).toBe(true);
		expect(owner.started).toBe(false);
		expect(await owner.call((api) => api.add(5, 5), { timeoutMs: 1000 })).toBe(10);
		expect(create).toHaveBeenCalledTimes(2);
		expect(owner.restarts).toBe(1);
	});

	it('a hung call times out while other pending calls on the same worker fail with it', async () => {
		const { owner } = setup();
		const slow = owner.call((api) => api.hang());
		const timed = owner.call((api) => api.hang(), { timeoutMs: 30 });
		await expect(timed).rejects.toBeInstanceOf(WorkerCrashedError);
		await expect(slow).rejects.toBeInstanceOf(WorkerCrashedError);
	});

	it('an answer in time clears the timer (no crash later)', async () => {
		const { owner, onCrash } = setup();
		// Generous limit: a loaded CI machine can take a while to answer even a trivial call.
		expect(await owner.call((api) => api.add(1, 1), { timeoutMs: 1500 })).toBe(2);
		await new Promise((r) => setTimeout(r, 1600));
		expect(onCrash).not.toHaveBeenCalled();
		expect(owner.started).toBe(true);
	});

	it('kill() terminates the worker; the next call starts a fresh one', async () => {
		const { owner, onCrash, current, create } = setup('style worker');
		await owner.call((api) => api.add(1, 1));
		const first = current();
		const pending = owner.call((api) => api.hang());
		owner.kill('stuck');
		await expect(pending).rejects.toThrow('the style worker was stuck');
		expect(first.terminated).toBe(true);
		expect(onCrash).toHaveBeenCalledTimes(1);
		expect(await owner.call((api) => api.add(1, 1))).toBe(2);
		expect(create).toHaveBeenCalledTimes(2);
	});
});

describe('WorkerOwner: back-off', () => {
	it('backoffMs: none for the first crash, then 1, 2, 4 … s, capped at 30 s', () => {
		expect(backoffMs(0)).toBe(0);
		expect(backoffMs(1)).toBe(0);
		expect(backoffMs(2)).toBe(1000);
		expect(backoffMs(3)).toBe(2000);
		expect(backoffMs(4)).toBe(4000);
		expect(backoffMs(5)).toBe(8000);
		expect(backoffMs(6)).toBe(16_000);
		expect(backoffMs(7)).toBe(30_000);
		expect(backoffMs(50)).toBe(30_000);
	});

	it('the second consecutive crash delays the restart; calls in between reject with "restarting in N s"', async () => {
		let clock = 10_000;
		vi.spyOn(performance, 'now').mockImplementation(() => clock);
		const { owner, create, current } = setup('style worker');

		const a = owner.call((api) => api.hang());
		current().crash('first');
		await expect(a).rejects.toBeInstanceOf(WorkerCrashedError);
		// First crash: restart at once.
		const b = owner.call((api) => api.hang());
		expect(create).toHaveBeenCalledTimes(2);
		current().crash('second');
		await expect(b).rejects.toBeInstanceOf(WorkerCrashedError);

		// Second consecutive crash: 1 s before the next worker.
		const err = (await owner.call((api) => api.add(1, 1)).catch((e: unknown) => e)) as Error;
		expect(err).toBeInstanceOf(WorkerCrashedError);
		expect(err.message).toContain('the style worker crashed: second');
		expect(err.message).toMatch(/restarting in 1 s$/);
		expect(create).toHaveBeenCalledTimes(2);
		clock += 999;
		await expect(owner.call((api) => api.add(1, 1))).rejects.toThrow(/restarting in 1 s/);
		expect(create).toHaveBeenCalledTimes(2);

		clock += 1;
		const c = owner.call((api) => api.hang());
		expect(create).toHaveBeenCalledTimes(3);
		current().crash('third');
		await expect(c).rejects.toBeInstanceOf(WorkerCrashedError);
		// Third: 2 s.
		await expect(owner.call((api) => api.add(1, 1))).rejects.toThrow(/restarting in 2 s/);
		clock += 1500;
		await expect(owner.call((api) => api.add(1, 1))).rejects.toThrow(/restarting in 1 s/);
		clock += 500;
		expect(await owner.call((api) => api.add(1, 1))).toBe(2);
		expect(create).toHaveBeenCalledTimes(4);
		expect(owner.restarts).toBe(3);

		// A success resets the count: the next crash restarts at once again.
		current().crash('fourth');
		expect(await owner.call((api) => api.add(2, 2))).toBe(4);
		expect(create).toHaveBeenCalledTimes(5);
	});
});

describe('WorkerOwner: cancellation', () => {
	it('an already aborted signal rejects without starting a worker', async () => {
		const { owner, create } = setup();
		const ac = new AbortController();
		ac.abort();
		const err = (await owner.call((api) => api.add(1, 1), { signal: ac.signal }).catch((e: unknown) => e)) as Error;
		expect(err).toBeInstanceOf(JobCancelledError);
		expect(err.name).toBe('AbortError');
		expect(create).not.toHaveBeenCalled();
	});

	it('aborting rejects at once with AbortError, and onCancel reaches the worker with the job id', async () => {
		const { owner, current, onCrash } = setup('explain worker');
		const ac = new AbortController();
		const id = newJobId();
		const onCancel = vi.fn((api: Remote<Service>) => void api.cancel(id));
		const job = owner.call((api) => api.long(id), { signal: ac.signal, onCancel });
		// Let the job start in the worker.
		const service = current().service;
		await vi.waitFor(() => expect(service.jobs.size).toBe(1));
		ac.abort();
		const err = (await job.catch((e: unknown) => e)) as Error;
		expect(err).toBeInstanceOf(JobCancelledError);
		expect(err.name).toBe('AbortError');
		expect(onCancel).toHaveBeenCalledTimes(1);
		// The cancel call travelled to the worker and stopped the job there.
		await vi.waitFor(() => expect(service.cancelled).toEqual([id]));
		await vi.waitFor(() => expect(service.jobs.size).toBe(0));
		// Cancelling is no crash: the same worker serves the next call.
		expect(onCrash).not.toHaveBeenCalled();
		expect(await owner.call((api) => api.add(1, 2))).toBe(3);
		expect(owner.generation).toBe(1);
	});

	it('a signal that never fires changes nothing, and onCancel is not called', async () => {
		const { owner } = setup();
		const ac = new AbortController();
		const onCancel = vi.fn();
		expect(await owner.call((api) => api.add(1, 2), { signal: ac.signal, onCancel })).toBe(3);
		ac.abort(); // after the call: ignored
		expect(onCancel).not.toHaveBeenCalled();
	});

	it('an onCancel that throws still rejects with AbortError', async () => {
		const { owner } = setup();
		const ac = new AbortController();
		const job = owner.call((api) => api.hang(), {
			signal: ac.signal,
			onCancel: () => {
				throw new Error('worker gone');
			}
		});
		ac.abort();
		await expect(job).rejects.toMatchObject({ name: 'AbortError' });
	});
});

describe('JobBoard', () => {
	it('run() hands out a signal that cancel(id) aborts, and forgets the id afterwards', async () => {
		const board = new JobBoard();
		let seen: AbortSignal | null = null;
		const job = board.run(7, async (signal) => {
			seen = signal;
			while (!signal.aborted) await nextTask();
			throwIfCancelled(signal);
			return 'not reached';
		});
		expect(board.size).toBe(1);
		expect(seen!.aborted).toBe(false);
		board.cancel(99); // unknown id: nothing happens
		expect(seen!.aborted).toBe(false);
		board.cancel(7);
		expect(seen!.aborted).toBe(true);
		await expect(job).rejects.toMatchObject({ name: 'AbortError', message: 'cancelled' });
		expect(board.size).toBe(0);
		board.cancel(7); // forgotten: harmless
	});

	it('forgets the id after a job that succeeds or fails', async () => {
		const board = new JobBoard();
		expect(await board.run(1, async () => 42)).toBe(42);
		await expect(
			board.run(2, async () => {
				throw new Error('bad');
			})
		).rejects.toThrow('bad');
		expect(board.size).toBe(0);
	});

	it('throwIfCancelled only throws for an aborted signal; newJobId gives fresh ids', () => {
		const ac = new AbortController();
		expect(() => throwIfCancelled(undefined)).not.toThrow();
		expect(() => throwIfCancelled(ac.signal)).not.toThrow();
		ac.abort();
		expect(() => throwIfCancelled(ac.signal)).toThrow(expect.objectContaining({ name: 'AbortError' }));
		const a = newJobId();
		const b = newJobId();
		expect(b).not.toBe(a);
	});
});

describe('WorkerOwner: dispose', () => {
	it('terminates the worker, rejects pending calls, and refuses later calls', async () => {
		const { owner, create, onCrash, current } = setup('style worker');
		await owner.call((api) => api.add(1, 1));
		const w = current();
		const pending = owner.call((api) => api.hang());
		owner.dispose();
		await expect(pending).rejects.toThrow(/style worker was shut down/);
		expect(w.terminated).toBe(true);
		expect(owner.started).toBe(false);
		await expect(owner.call((api) => api.add(1, 1))).rejects.toThrow(/style worker was shut down/);
		expect(create).toHaveBeenCalledTimes(1);
		expect(onCrash).not.toHaveBeenCalled();
		owner.dispose(); // twice: fine
	});

	it('dispose before any call creates nothing', async () => {
		const { owner, create } = setup();
		owner.dispose();
		await expect(owner.call((api) => api.add(1, 1))).rejects.toThrow(/shut down/);
		expect(create).not.toHaveBeenCalled();
	});
});
