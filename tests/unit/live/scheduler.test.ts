/**
 * LiveScheduler with a fake clock, fake animation frames and an async pipeline step whose promises
 * the test resolves by hand: latest frame wins, busy frames are dropped (never queued), statistics.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FrameSource } from '../../../src/lib/camera/types';
import type { FrameSettings } from '../../../src/lib/live/settings';
import type { FrameResult, Pipeline } from '../../../src/lib/live/pipeline';
import { LiveScheduler, type FrameReport } from '../../../src/lib/live/scheduler';

/** A source whose picture the test changes; `advance` reports whether a new one is there. */
class FakeSource implements FrameSource {
	readonly kind = 'demo' as const;
	readonly element = null as unknown as HTMLCanvasElement;
	readonly label = 'fake';
	width = 8;
	height = 6;
	/** The frame the "camera" shows now. */
	current = 0;
	/** The frame last taken by advance(). */
	taken = -1;
	readonly advanceCalls: number[] = [];
	advance(now: number): boolean {
		this.advanceCalls.push(now);
		if (this.current === this.taken) return false;
		this.taken = this.current;
		return true;
	}
	stop(): void {}
}

interface Pending {
	frame: number;
	settings: FrameSettings;
	resolve: (r: FrameResult) => void;
	reject: (e: unknown) => void;
}

/** A pipeline whose process() waits until the test resolves it. */
class FakePipeline {
	/** Frames it takes at once (the worker pipeline: one per style worker). */
	capacity = 1;
	readonly pending: Pending[] = [];
	readonly processed: number[] = [];
	process = vi.fn((source: FrameSource, settings: FrameSettings) => {
		const frame = (source as FakeSource).current;
		this.processed.push(frame);
		return new Promise<FrameResult>((resolve, reject) => this.pending.push({ frame, settings, resolve, reject }));
	});
	/** Resolves the oldest pending call. */
	finish(width = 8, height = 6): void {
		this.finishAt(0, true, width, height);
	}
	/** Resolves the pending call at `index`; `shown: false` as when a newer frame reached the screen first. */
	finishAt(index: number, shown = true, width = 8, height = 6): void {
		const [p] = this.pending.splice(index, 1);
		if (!p) throw new Error('nothing pending');
		p.resolve({ width, height, numTensors: 0, timings: { input: 0, style: 0, colour: 0, stabilize: 0, detail: 0, overlay: 0, draw: 0, total: 0 }, capture: null, shown });
	}
	fail(err: unknown): void {
		const p = this.pending.shift();
		if (!p) throw new Error('nothing pending');
		p.reject(err);
	}
}

const baseSettings = (source: FrameSource): FrameSettings => ({
	width: source.width,
	height: source.height,
	guide: null,
	mirror: false,
	sideBySide: false,
	style: null,
	overlay: null,
	capture: false,
	debugDelayMs: 0
});

/** Lets the pipeline's settled promise reach the scheduler (await + finally). */
const flush = async () => {
	for (let i = 0; i < 10; i++) await Promise.resolve();
};

function setup(opts: { source?: FakeSource | null; pipeline?: FakePipeline | null; inFlightLimit?: () => number } = {}) {
	let clock = 0;
	let nextId = 1;
	const queue = new Map<number, (t: number) => void>();
	const source = opts.source === undefined ? new FakeSource() : opts.source;
	const pipeline = opts.pipeline === undefined ? new FakePipeline() : opts.pipeline;
	const reports: FrameReport[] = [];
	const results: FrameResult[] = [];
	const errors: unknown[] = [];
	const settings = vi.fn(baseSettings);
	const cancelFrame = vi.fn((id: number) => void queue.delete(id));
	const requestFrame = vi.fn((cb: (t: number) => void) => {
		const id = nextId++;
		queue.set(id, cb);
		return id;
	});
	const scheduler = new LiveScheduler({
		source: () => source,
		pipeline: () => pipeline as unknown as Pipeline | null,
		settings,
		inFlightLimit: opts.inFlightLimit,
		onFrame: (r, res) => {
			reports.push(r);
			results.push(res);
		},
		onError: (e) => errors.push(e),
		now: () => clock,
		requestFrame,
		cancelFrame
	});
	/** Runs the pending animation frame(s) at the current clock. */
	const animationFrame = () => {
		const cbs = [...queue.values()];
		queue.clear();
		for (const cb of cbs) cb(clock);
		return cbs.length;
	};
	const advanceClock = (ms: number) => (clock += ms);
	return { scheduler, source: source!, pipeline: pipeline!, reports, results, errors, settings, requestFrame, cancelFrame, animationFrame, advanceClock, queue };
}

afterEach(() => vi.restoreAllMocks());

describe('LiveScheduler', () => {
	it('does nothing before start(), and one loop however often start() is called', () => {
		const s = setup();
		expect(s.requestFrame).not.toHaveBeenCalled();
		expect(s.scheduler.isRunning).toBe(false);
		s.scheduler.start();
		s.scheduler.start();
		expect(s.scheduler.isRunning).toBe(true);
		expect(s.requestFrame).toHaveBeenCalledTimes(1);
		expect(s.animationFrame()).toBe(1);
		expect(s.requestFrame).toHaveBeenCalledTimes(2); // re-armed by the tick
		expect(s.queue.size).toBe(1);
		s.scheduler.stop();
	});

	it('skips animation frames while the pipeline is busy, without touching the source, then takes the newest frame', async () => {
		const s = setup();
		s.scheduler.start();
		s.animationFrame();
		expect(s.pipeline.process).toHaveBeenCalledTimes(1);
		expect(s.pipeline.processed).toEqual([0]);
		expect(s.scheduler.isBusy).toBe(true);
		const advancesWhileIdle = s.source.advanceCalls.length;
		expect(advancesWhileIdle).toBe(1);

		// The camera moves on by four frames while frame 0 is being processed.
		for (let i = 1; i <= 4; i++) {
			s.source.current = i;
			s.advanceClock(16);
			s.animationFrame();
		}
		expect(s.pipeline.process).toHaveBeenCalledTimes(1); // nothing queued
		expect(s.source.advanceCalls.length).toBe(advancesWhileIdle); // not advanced while busy
		expect(s.settings).toHaveBeenCalledTimes(1);

		s.pipeline.finish();
		await flush();
		expect(s.scheduler.isBusy).toBe(false);
		expect(s.reports).toHaveLength(1);
		expect(s.reports[0].dropped).toBe(4);

		// Latest frame wins: 4, not 1.
		s.advanceClock(16);
		s.animationFrame();
		expect(s.pipeline.processed).toEqual([0, 4]);
		expect(s.pipeline.pending).toHaveLength(1);
		expect(s.pipeline.pending[0].frame).toBe(4);
		s.pipeline.finish();
		await flush();
		expect(s.reports.map((r) => r.frame)).toEqual([1, 2]);
		expect(s.reports[1].dropped).toBe(4); // cumulative; none dropped since
		s.scheduler.stop();
	});

	it('keeps as many frames in flight as the pipeline takes, each the newest; one overtaken counts as skipped, the cost is shared', async () => {
		const s = setup();
		s.pipeline.capacity = 2;
		s.scheduler.start();
		s.animationFrame();
		s.source.current = 1;
		s.advanceClock(16);
		s.animationFrame();
		expect(s.pipeline.processed).toEqual([0, 1]); // two at once
		s.source.current = 2;
		s.advanceClock(16);
		s.animationFrame();
		expect(s.pipeline.processed).toEqual([0, 1]); // full: skipped, the source not even asked
		expect(s.source.advanceCalls).toHaveLength(2);

		// Frame 1 is done first; frame 0 arrives after it and is not shown.
		s.advanceClock(68); // frame 1 took 84 ms, frame 0 100 ms
		s.pipeline.finishAt(1);
		await flush();
		expect(s.reports).toHaveLength(1);
		expect(s.reports[0]).toMatchObject({ frame: 1, medianMs: 84, costMs: 42, dropped: 1 });
		// A slot is free: the newest frame goes in at once, beside frame 0.
		s.animationFrame();
		expect(s.pipeline.processed).toEqual([0, 1, 2]);
		s.pipeline.finishAt(0, false);
		await flush();
		expect(s.reports).toHaveLength(1); // overtaken: no report, no statistics
		expect(s.scheduler.stats.medianMs(100)).toBe(84);
		s.source.current = 3;
		s.animationFrame();
		expect(s.pipeline.processed).toEqual([0, 1, 2, 3]);
		s.advanceClock(50);
		s.pipeline.finish();
		await flush();
		expect(s.reports.at(-1)).toMatchObject({ frame: 2, dropped: 2 });
		s.scheduler.stop();
	});

	it('keeps below the pipeline\'s capacity while the studio asks for fewer frames in flight (an explanation running)', async () => {
		let limit = 1;
		const s = setup({ inFlightLimit: () => limit });
		s.pipeline.capacity = 2;
		s.scheduler.start();
		s.animationFrame();
		s.source.current = 1;
		s.animationFrame();
		expect(s.pipeline.processed).toEqual([0]); // one at a time
		limit = Infinity; // the explanation is done: the second goes in
		s.animationFrame();
		expect(s.pipeline.processed).toEqual([0, 1]);
		s.source.current = 2;
		s.animationFrame();
		expect(s.pipeline.processed).toEqual([0, 1]); // full at two
		s.scheduler.stop();
	});

	it('does not process when the source has no new frame, no size, or is missing', async () => {
		const s = setup();
		s.scheduler.start();
		s.animationFrame();
		s.pipeline.finish();
		await flush();
		// Same camera frame: advance() says no.
		s.animationFrame();
		s.animationFrame();
		expect(s.pipeline.process).toHaveBeenCalledTimes(1);
		// A source with no size yet is not even advanced.
		s.source.current = 1;
		s.source.width = 0;
		const calls = s.source.advanceCalls.length;
		s.animationFrame();
		expect(s.source.advanceCalls.length).toBe(calls);
		expect(s.pipeline.process).toHaveBeenCalledTimes(1);
		s.source.width = 8;
		s.animationFrame();
		expect(s.pipeline.process).toHaveBeenCalledTimes(2);
		expect(s.reports[0].dropped).toBe(0);
		s.scheduler.stop();

		const none = setup({ source: null });
		none.scheduler.start();
		none.animationFrame();
		expect(none.scheduler.isBusy).toBe(false);
		expect(none.requestFrame).toHaveBeenCalledTimes(2); // keeps looping
		none.scheduler.stop();

		const noPipe = setup({ pipeline: null });
		noPipe.scheduler.start();
		noPipe.animationFrame();
		expect(noPipe.scheduler.isBusy).toBe(false);
		expect(noPipe.source.advanceCalls).toHaveLength(0);
		noPipe.scheduler.stop();
	});

	it('calls settings once per processed frame, with the source, and hands its snapshot to the pipeline', async () => {
		const s = setup();
		let n = 0;
		s.settings.mockImplementation((source) => ({ ...baseSettings(source), debugDelayMs: ++n }));
		s.scheduler.start();
		for (let i = 0; i < 3; i++) {
			s.source.current = i;
			s.animationFrame(); // processed
			s.animationFrame(); // dropped
			s.animationFrame(); // dropped
			s.pipeline.finish();
			await flush();
		}
		expect(s.settings).toHaveBeenCalledTimes(3);
		for (const call of s.settings.mock.calls) expect(call[0]).toBe(s.source);
		expect(s.pipeline.process.mock.calls.map((c) => c[1].debugDelayMs)).toEqual([1, 2, 3]);
		expect(s.pipeline.process.mock.calls.every((c) => c[0] === s.source)).toBe(true);
		expect(s.reports.at(-1)!.dropped).toBe(6);
		s.scheduler.stop();
	});

	it('reports frame count, size, fps and median time from its clock', async () => {
		const s = setup();
		s.scheduler.start();
		const durations = [10, 30, 20, 50];
		for (let i = 0; i < durations.length; i++) {
			s.source.current = i;
			s.animationFrame();
			s.advanceClock(durations[i]);
			s.pipeline.finish(16 + i, 12);
			await flush();
			s.advanceClock(100 - durations[i]);
		}
		expect(s.reports.map((r) => r.frame)).toEqual([1, 2, 3, 4]);
		expect(s.reports.map((r) => r.width)).toEqual([16, 17, 18, 19]);
		expect(s.reports.every((r) => r.height === 12)).toBe(true);
		expect(s.reports.map((r) => r.fps)).toEqual([1, 2, 3, 4]);
		expect(s.reports.map((r) => r.medianMs)).toEqual([10, 20, 20, 25]);
		expect(s.results).toHaveLength(4);
		expect(s.results[3].width).toBe(19);

		// After a long pause the one-second window holds only the newest frame.
		s.advanceClock(5000);
		s.source.current = 99;
		s.animationFrame();
		s.advanceClock(40);
		s.pipeline.finish();
		await flush();
		expect(s.reports.at(-1)).toMatchObject({ frame: 5, fps: 1, medianMs: 40 });
		s.scheduler.stop();
	});

	it('sends a rejected frame to onError and keeps going', async () => {
		const s = setup();
		s.scheduler.start();
		s.animationFrame();
		const boom = new Error('worker crashed');
		s.pipeline.fail(boom);
		await flush();
		expect(s.errors).toEqual([boom]);
		expect(s.reports).toHaveLength(0);
		expect(s.scheduler.isBusy).toBe(false);
		expect(s.scheduler.isRunning).toBe(true);

		s.source.current = 1;
		s.animationFrame();
		expect(s.pipeline.process).toHaveBeenCalledTimes(2);
		s.pipeline.finish();
		await flush();
		expect(s.reports).toHaveLength(1);
		expect(s.reports[0].frame).toBe(1); // failed frames are not counted
		s.scheduler.stop();
	});

	it('a source that throws in advance() goes to onError; the loop keeps going', async () => {
		const s = setup();
		const advance = vi.spyOn(s.source, 'advance').mockImplementationOnce(() => {
			throw new Error('camera gone mid-read');
		});
		s.scheduler.start();
		expect(() => s.animationFrame()).not.toThrow();
		expect((s.errors[0] as Error).message).toBe('camera gone mid-read');
		expect(s.scheduler.isBusy).toBe(false);
		expect(s.queue.size).toBe(1); // the next animation frame is armed
		s.animationFrame();
		expect(advance).toHaveBeenCalledTimes(2);
		expect(s.pipeline.process).toHaveBeenCalledTimes(1);
		s.pipeline.finish();
		await flush();
		expect(s.reports).toHaveLength(1);
		s.scheduler.stop();
	});

	it('a throwing settings function goes to onError too, without calling the pipeline', async () => {
		const s = setup();
		s.settings.mockImplementationOnce(() => {
			throw new Error('bad settings');
		});
		s.scheduler.start();
		s.animationFrame();
		await flush();
		expect(s.errors).toHaveLength(1);
		expect((s.errors[0] as Error).message).toBe('bad settings');
		expect(s.pipeline.process).not.toHaveBeenCalled();
		s.source.current = 1;
		s.animationFrame();
		expect(s.pipeline.process).toHaveBeenCalledTimes(1);
		s.scheduler.stop();
	});

	it('stop() cancels the animation frame and a stray callback does nothing', async () => {
		const s = setup();
		s.scheduler.start();
		s.animationFrame();
		s.pipeline.finish();
		await flush();
		const queued = [...s.queue.entries()];
		expect(queued).toHaveLength(1);
		s.scheduler.stop();
		expect(s.scheduler.isRunning).toBe(false);
		expect(s.cancelFrame).toHaveBeenCalledWith(queued[0][0]);
		expect(s.queue.size).toBe(0);
		// A callback the browser had already queued arrives anyway.
		s.source.current = 1;
		queued[0][1](0);
		expect(s.pipeline.process).toHaveBeenCalledTimes(1);
		expect(s.queue.size).toBe(0); // not re-armed
		expect(s.requestFrame).toHaveBeenCalledTimes(2);

		// A frame in flight at stop() still reports, but nothing new starts.
		const t = setup();
		t.scheduler.start();
		t.animationFrame();
		t.scheduler.stop();
		t.pipeline.finish();
		await flush();
		expect(t.reports).toHaveLength(1);
		expect(t.animationFrame()).toBe(0);

		// And start() again resumes.
		t.scheduler.start();
		t.source.current = 5;
		t.animationFrame();
		expect(t.pipeline.processed).toEqual([0, 5]);
		t.scheduler.stop();
	});
});
