/** BENCH=1 npx vitest run tests/unit/bench/explain-bench.test.ts — prints timings (skipped otherwise). */
import type { CamMethodName } from '../../../src/lib/explain/cam';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { benchClassifier } from '../../../src/lib/bench/explain-bench';
import { LIVE_SCORE } from '../../../src/lib/explain/faithfulness';
import { loadClassifier } from '../models/classifier-helpers';

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
});
