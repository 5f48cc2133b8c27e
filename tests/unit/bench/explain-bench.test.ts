/**
 * BENCH=1 npx vitest run tests/unit/bench/explain-bench.test.ts — prints timings (skipped otherwise).
 * `-t 'live score'` only the live score with the real Explainer (BENCH_CYCLES live cycles, default 2).
 */
import type { CamMethodName } from '../../../src/lib/explain/cam';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { benchClassifier, benchLiveScore } from '../../../src/lib/bench/explain-bench';
import { Explainer } from '../../../src/lib/explain/explainer';
import { LIVE_SCORE } from '../../../src/lib/explain/faithfulness';
import { loadClassifier, photo, readPhoto, useWasm } from '../models/classifier-helpers';

describe.runIf(process.env.BENCH)('bench', () => {
	it('benchClassifier on wasm', { timeout: 600_000 }, async () => {
		const clf = await loadClassifier();
		const before = tf.memory().numTensors;
		// BENCH_METHODS=hirescam,eigencam (or empty) picks the other methods timed; BENCH_RUNS the runs.
		const methods = (process.env.BENCH_METHODS ?? 'gradcam++,hirescam,eigencam,layercam,scorecam').split(',').filter(Boolean) as CamMethodName[];
		const r = await benchClassifier(clf, { runs: Number(process.env.BENCH_RUNS ?? 5), methods, score: LIVE_SCORE });
		console.log(JSON.stringify(r, null, 2));
		expect(tf.memory().numTensors).toBe(before);
		clf.dispose();
	});

	it('the live score with the real Explainer: ms per explanation and the explanation period, score on and off', { timeout: 1_200_000 }, async () => {
		await useWasm();
		const before = tf.memory().numTensors;
		const ex = new Explainer(await loadClassifier());
		// The studio's demo size; a photo with a clear top class (the bald eagle).
		const frame = readPhoto(photo('darknet__eagle.jpg'), 340, 256);
		const r = await benchLiveScore(ex, frame, { runs: Number(process.env.BENCH_RUNS ?? 5), cycles: Number(process.env.BENCH_CYCLES ?? 2), score: LIVE_SCORE });
		console.log(JSON.stringify(r, null, 2));
		ex.dispose();
		frame.dispose();
		expect(tf.memory().numTensors).toBe(before);
	});
});
