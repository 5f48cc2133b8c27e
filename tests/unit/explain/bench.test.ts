/** BENCH=1 npx vitest run tests/unit/explain/bench.test.ts — prints timings (skipped otherwise). */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { benchClassifier } from '../../../src/lib/explain/bench';
import { LIVE_SCORE } from '../../../src/lib/explain/faithfulness';
import { loadClassifier } from '../models/classifier-helpers';

describe.runIf(process.env.BENCH)('bench', () => {
	it('benchClassifier on wasm', { timeout: 600_000 }, async () => {
		const clf = await loadClassifier();
		const before = tf.memory().numTensors;
		const r = await benchClassifier(clf, { runs: 5, methods: ['gradcam++', 'hirescam', 'eigencam', 'layercam', 'scorecam'], score: LIVE_SCORE });
		console.log(JSON.stringify(r, null, 2));
		expect(tf.memory().numTensors).toBe(before);
		clf.dispose();
	});
});
