/**
 * WorkerClient over a real comlink pair (the "worker" is one end of a MessageChannel, as in
 * owner.test.ts): set-up once per worker generation and again after a crash or a restart, jobs with
 * progress, and cancel reaching the worker.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerClient } from '../../../src/lib/workers/client';
import { JobCancelledError, nextTask, throwIfCancelled } from '../../../src/lib/cancel';
import { JobBoard } from '../../../src/lib/workers/jobs';
import type { WorkerCrashedError } from '../../../src/lib/workers/owner';
import type { JobWorkerApi } from '../../../src/lib/workers/protocol';
import { FakeWorker } from './fake-worker';

interface Loaded {
	/** Which load of this worker answered (1 for the first). */
	load: number;
	model: string;
}

interface ToyWorkerApi extends JobWorkerApi {
	load(model: string): Promise<Loaded>;
	/** Counts to `to`, reporting each step; needs load() first. */
	count(jobId: number, to: number, onProgress: (done: number, total: number) => void): Promise<number>;
	/** Runs until cancelled. */
	forever(jobId: number): Promise<string>;
}

/** What the fake worker script exposes. */
class ToyWorker implements ToyWorkerApi {
	readonly jobs = new JobBoard();
	loads = 0;
	cancelled: number[] = [];
	model: string | null = null;
	/** The next load() throws this (once). */
	failNextLoad: string | null = null;

	async load(model: string): Promise<Loaded> {
		if (this.failNextLoad) {
			const msg = this.failNextLoad;
			this.failNextLoad = null;
			throw new Error(msg);
		}
		await nextTask();
		this.model = model;
		return { load: ++this.loads, model };
	}

	count(jobId: number, to: number, onProgress: (done: number, total: number) => void): Promise<number> {
		return this.jobs.run(jobId, async (signal) => {
			if (!this.model) throw new Error('not loaded');
			for (let i = 1; i <= to; i++) {
				throwIfCancelled(signal);
				onProgress(i, to);
				await nextTask();
			}
			return to;
		});
	}

	forever(jobId: number): Promise<string> {
		return this.jobs.run(jobId, async (signal) => {
			for (;;) {
				throwIfCancelled(signal);
				await nextTask();
			}
		});
	}

	cancel(jobId: number): void {
		this.cancelled.push(jobId);
		this.jobs.cancel(jobId);
	}

	numTensors(): number {
		return this.model ? 42 : 0;
	}
}

class ToyClient extends WorkerClient<ToyWorkerApi, Loaded> {
	setUps = 0;

	protected setUp(): Promise<Loaded> {
		this.setUps++;
		return this.owner.call((api) => api.load('resnet'));
	}

	load(): Promise<Loaded> {
		return this.ensureLoaded();
	}

	async count(to: number, onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<number> {
		await this.ensureLoaded();
		return this.job((api, id, progress) => api.count(id, to, progress), { signal, onProgress });
	}

	async forever(signal: AbortSignal): Promise<string> {
		await this.ensureLoaded();
		return this.job((api, id) => api.forever(id), { signal });
	}
}

vi.setConfig({ testTimeout: 5000 });

const workers: FakeWorker<ToyWorker>[] = [];
const clients: ToyClient[] = [];

function setup() {
	const create = vi.fn(() => {
		const w = new FakeWorker(new ToyWorker());
		workers.push(w);
		return w;
	});
	const onCrash = vi.fn<(e: WorkerCrashedError) => void>();
	const client = new ToyClient({ name: 'toy worker', create, onCrash });
	clients.push(client);
	const current = () => client.owner.worker as FakeWorker<ToyWorker>;
	return { client, create, onCrash, current };
}

afterEach(() => {
	for (const c of clients.splice(0)) c.dispose();
	for (const w of workers.splice(0)) w.closePorts();
});

describe('WorkerClient: set-up once per worker generation', () => {
	it('starts nothing until asked, then sets the worker up once for many calls, concurrent ones included', async () => {
		const { client, create, current } = setup();
		expect(create).not.toHaveBeenCalled();
		expect(await client.numTensors()).toBe(0);
		expect(create).not.toHaveBeenCalled();
		const [a, b] = await Promise.all([client.load(), client.load()]);
		expect(a).toEqual({ load: 1, model: 'resnet' });
		expect(b).toBe(a);
		expect(await client.count(2, () => {})).toBe(2);
		expect(await client.load()).toBe(a);
		expect(client.setUps).toBe(1);
		expect(current().service.loads).toBe(1);
		expect(create).toHaveBeenCalledTimes(1);
		expect(client.isReady).toBe(true);
		expect(await client.numTensors()).toBe(42);
	});

	it('a crashed worker is replaced on the next call, and the new one is set up again', async () => {
		const { client, create, onCrash, current } = setup();
		await client.load();
		const first = current();
		first.crash('out of memory');
		expect(onCrash).toHaveBeenCalledTimes(1);
		expect(client.isReady).toBe(false);
		// The job needs the model: it only works because the client loaded it into the new worker first.
		expect(await client.count(3, () => {})).toBe(3);
		expect(create).toHaveBeenCalledTimes(2);
		expect(current()).not.toBe(first);
		expect(current().service.loads).toBe(1);
		expect(client.setUps).toBe(2);
		expect(client.owner.generation).toBe(2);
	});

	it('a worker restarted on purpose (kill) is set up again too', async () => {
		const { client, current } = setup();
		await client.load();
		client.owner.kill('restarted');
		expect(await client.load()).toEqual({ load: 1, model: 'resnet' });
		expect(current().service.model).toBe('resnet');
		expect(client.setUps).toBe(2);
		expect(client.owner.restarts).toBe(1);
	});

	it('a set-up that fails is not kept: the next call sets up again, on the same worker', async () => {
		const { client, create, current } = setup();
		create.mockImplementationOnce(() => {
			const w = new FakeWorker(Object.assign(new ToyWorker(), { failNextLoad: 'no model here' }));
			workers.push(w);
			return w;
		});
		await expect(client.load()).rejects.toThrow('no model here');
		expect(client.isReady).toBe(false);
		expect(await client.load()).toEqual({ load: 1, model: 'resnet' });
		expect(current().service.loads).toBe(1);
		expect(client.setUps).toBe(2);
		expect(create).toHaveBeenCalledTimes(1);
	});
});

describe('WorkerClient: jobs', () => {
	it('progress reaches the page in order, and the result after it', async () => {
		const { client } = setup();
		const seen: [number, number][] = [];
		expect(await client.count(5, (done, total) => seen.push([done, total]))).toBe(5);
		await vi.waitFor(() => expect(seen).toHaveLength(5));
		expect(seen).toEqual([
			[1, 5],
			[2, 5],
			[3, 5],
			[4, 5],
			[5, 5]
		]);
	});

	it('aborting rejects at once with AbortError, and the cancel reaches the worker and stops the job there', async () => {
		const { client, current, onCrash } = setup();
		const ac = new AbortController();
		const job = client.forever(ac.signal);
		await vi.waitFor(() => expect(current()?.service.jobs.size).toBe(1));
		const service = current().service;
		ac.abort();
		const err = (await job.catch((e: unknown) => e)) as Error;
		expect(err).toBeInstanceOf(JobCancelledError);
		expect(err.name).toBe('AbortError');
		await vi.waitFor(() => expect(service.cancelled).toHaveLength(1));
		await vi.waitFor(() => expect(service.jobs.size).toBe(0));
		// Cancelling is no crash: the same worker, still set up, runs the next job.
		expect(onCrash).not.toHaveBeenCalled();
		expect(await client.count(1, () => {})).toBe(1);
		expect(client.owner.generation).toBe(1);
		expect(client.setUps).toBe(1);
	});

	it('each job gets its own id: cancelling one leaves the other running', async () => {
		const { client, current } = setup();
		const a = new AbortController();
		const b = new AbortController();
		const jobA = client.forever(a.signal);
		const jobB = client.forever(b.signal);
		await vi.waitFor(() => expect(current()?.service.jobs.size).toBe(2));
		a.abort();
		await expect(jobA).rejects.toBeInstanceOf(JobCancelledError);
		await vi.waitFor(() => expect(current().service.jobs.size).toBe(1));
		b.abort();
		await expect(jobB).rejects.toBeInstanceOf(JobCancelledError);
		await vi.waitFor(() => expect(current().service.jobs.size).toBe(0));
		const [idA, idB] = current().service.cancelled;
		expect(idA).not.toBe(idB);
	});
});
