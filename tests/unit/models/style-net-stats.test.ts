/**
 * The fixed-statistics forward (models/style-net/forward-stats.ts) on the real network, cpu backend:
 * with the statistics of the same picture it equals the normal forward; statistics of another picture
 * change the result; no tensors leak.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, type StyleNet, type StyleNetStats } from '../../../src/lib/models/style-net';
import { diskFetch, MODEL_URL } from './style-net-helpers';

let net: StyleNet & StyleNetStats;

beforeAll(async () => {
	await tf.setBackend('cpu');
	await tf.ready();
	net = await load({ url: MODEL_URL, fetch: diskFetch(), warmupSize: [16, 16] });
});
afterAll(() => net?.dispose());

const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('style-net with fixed instance-norm statistics', () => {
	it('equals the normal forward with the statistics of the same picture (≤ 1e-4), a blend and a strength', () => {
		const x = tf.randomUniform([37, 51, 3], 0, 1, 'float32', 11) as tf.Tensor3D; // not a multiple of 8
		const blend = net.styles.map((_, i) => (i === 2 ? 0.7 : i === 5 ? 0.3 : 0));
		const stats = net.statistics(x, blend);
		expect(Object.keys(stats).length).toBe(net.manifest.ops.filter((o) => o.op === 'cin').length);
		for (const strength of [1, 0.6]) {
			const a = net.stylize(x, blend, { strength });
			const b = net.stylizeWithStats(x, blend, stats, { strength });
			expect(b.shape).toEqual([37, 51, 3]);
			expect(maxAbs(a, b)).toBeLessThanOrEqual(1e-4);
			tf.dispose([a, b]);
		}
		tf.dispose([x, stats as unknown as tf.TensorContainer]);
	});

	it('uses the statistics it is given: those of another picture change the output', () => {
		const x = tf.randomUniform([32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor3D;
		const dark = tf.mul(tf.randomUniform([32, 32, 3], 0, 1, 'float32', 2), 0.2) as tf.Tensor3D;
		const blend = net.styles.map((_, i) => (i === 0 ? 1 : 0));
		const own = net.statistics(x, blend);
		const other = net.statistics(dark, blend);
		const a = net.stylizeWithStats(x, blend, own);
		const b = net.stylizeWithStats(x, blend, other);
		expect(maxAbs(a, b)).toBeGreaterThan(0.05);
		tf.dispose([x, dark, a, b, own as unknown as tf.TensorContainer, other as unknown as tf.TensorContainer]);
	});

	it('leaks no tensors', () => {
		const x = tf.randomUniform([24, 24, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
		const blend = net.styles.map((_, i) => (i === 1 ? 1 : 0));
		const before = tf.memory().numTensors;
		for (let i = 0; i < 2; i++) {
			const s = net.statistics(x, blend);
			net.stylizeWithStats(x, blend, s).dispose();
			tf.dispose(s as unknown as tf.TensorContainer);
		}
		expect(tf.memory().numTensors).toBe(before);
		x.dispose();
	});
});
