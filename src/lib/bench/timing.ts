import type * as tf from '@tensorflow/tfjs';
import { median } from '../live/stats';

export interface Timing {
	medianMs: number;
	minMs: number;
	runs: number;
}

/** Times `fn` (which returns a tensor) `runs` times after `warmup` runs, waiting for the data each time. */
export async function time(fn: () => tf.Tensor, runs: number, warmup = 1): Promise<Timing> {
	for (let i = 0; i < warmup; i++) {
		const y = fn();
		await y.data();
		y.dispose();
	}
	const ms: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		const y = fn();
		await y.data();
		y.dispose();
		ms.push(performance.now() - t0);
	}
	return { medianMs: median(ms), minMs: Math.min(...ms), runs };
}
