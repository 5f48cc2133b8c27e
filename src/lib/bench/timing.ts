import type * as tf from '@tensorflow/tfjs';
import { median } from '../live/stats';

/**
 * Timing loops for the benchmarks (src/lib/bench). The statistics come from
 * src/lib/live/stats.ts, the same `median` the live HUD shows, so app and bench numbers mean the same thing.
 */
export interface Timing {
	medianMs: number;
	minMs: number;
	runs: number;
}

/** A clock in milliseconds: wall time by default; `node bench/profile-net.mjs` passes the process's
 * CPU time, which other processes on a loaded machine do not inflate (one thread only). */
export type Clock = () => number;
const wall: Clock = () => performance.now();

/** Times `fn` `runs` times after `warmup` untimed runs, awaiting each run to its end. */
export async function timeAsync(fn: () => Promise<unknown>, runs: number, warmup = 1, clock: Clock = wall): Promise<Timing> {
	for (let i = 0; i < warmup; i++) await fn();
	const ms: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = clock();
		await fn();
		ms.push(clock() - t0);
	}
	return { medianMs: median(ms), minMs: Math.min(...ms), runs };
}

/** Times `fn` (which returns a tensor) `runs` times after `warmup` runs, waiting for the data each time. */
export function time(fn: () => tf.Tensor, runs: number, warmup = 1, clock: Clock = wall): Promise<Timing> {
	return timeAsync(
		async () => {
			const y = fn();
			try {
				await y.data();
			} finally {
				y.dispose();
			}
		},
		runs,
		warmup,
		clock
	);
}
