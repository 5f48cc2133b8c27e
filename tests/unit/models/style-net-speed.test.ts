/**
 * Speed comparison (skipped unless STYLE_NET_BENCH=1): our exported net vs a random-weight Johnson et
 * al. 2016 transformer (32/64/128, 9x9 in/out, 5 residual blocks, 2 transposed up-convs), same
 * backend, same input. Run: STYLE_NET_BENCH=1 npx vitest run tests/unit/models/style-net-speed.test.ts
 * Backend: STYLE_NET_BENCH_BACKEND=wasm|cpu (default wasm).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../../../src/lib/models/style-net';
import { diskFetch, MODEL_URL } from './style-net-helpers';

function johnson(): { run: (x: tf.Tensor4D) => tf.Tensor4D; dispose: () => void } {
	const ws: tf.Tensor[] = [];
	const w = (shape: number[]) => {
		const t = tf.randomNormal(shape, 0, 0.05);
		ws.push(t);
		return t as tf.Tensor4D;
	};
	const inorm = (x: tf.Tensor4D) => {
		const { mean, variance } = tf.moments(x, [1, 2], true);
		return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))) as tf.Tensor4D;
	};
	const conv = (x: tf.Tensor4D, k: tf.Tensor4D, s: number) => {
		const p = (k.shape[0] - 1) / 2;
		return tf.conv2d(tf.mirrorPad(x, [[0, 0], [p, p], [p, p], [0, 0]], 'reflect'), k, s, 'valid');
	};
	const k1 = w([9, 9, 3, 32]);
	const k2 = w([3, 3, 32, 64]);
	const k3 = w([3, 3, 64, 128]);
	const res = Array.from({ length: 10 }, () => w([3, 3, 128, 128]));
	const t1 = w([3, 3, 64, 128]); // conv2dTranspose filter [h, w, outC, inC]
	const t2 = w([3, 3, 32, 64]);
	const k4 = w([9, 9, 32, 3]);
	return {
		run: (x) =>
			tf.tidy(() => {
				let h = tf.relu(inorm(conv(x, k1, 1)));
				h = tf.relu(inorm(conv(h, k2, 2)));
				h = tf.relu(inorm(conv(h, k3, 2)));
				for (let i = 0; i < 5; i++) {
					const r = tf.relu(inorm(conv(h, res[2 * i], 1)));
					h = tf.add(h, inorm(conv(r, res[2 * i + 1], 1)));
				}
				const [b, hh, ww] = h.shape;
				h = tf.relu(inorm(tf.conv2dTranspose(h, t1, [b, hh * 2, ww * 2, 64], 2, 'same')));
				h = tf.relu(inorm(tf.conv2dTranspose(h, t2, [b, hh * 4, ww * 4, 32], 2, 'same')));
				return tf.sigmoid(conv(h, k4, 1)) as tf.Tensor4D;
			}),
		dispose: () => tf.dispose(ws)
	};
}

async function median(fn: () => tf.Tensor, reps: number): Promise<number> {
	const t: number[] = [];
	for (let i = 0; i < reps; i++) {
		const t0 = performance.now();
		const y = fn();
		await y.data();
		y.dispose();
		t.push(performance.now() - t0);
	}
	t.sort((a, b) => a - b);
	return t[Math.floor(t.length / 2)];
}

describe.skipIf(!process.env.STYLE_NET_BENCH)('style-net speed vs Johnson 2016', () => {
	it('is at least 5x faster on the same backend', async () => {
		const backend = process.env.STYLE_NET_BENCH_BACKEND ?? 'wasm';
		if (backend === 'wasm') {
			setWasmPaths(path.resolve(__dirname, '../../../node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
		}
		await tf.setBackend(backend);
		await tf.ready();
		const net = await load({ url: MODEL_URL, fetch: diskFetch(), warmupSize: [16, 16] });
		const j = johnson();
		const reps = Number(process.env.STYLE_NET_BENCH_REPS ?? 3);
		const rows: string[] = [];
		for (const [h, w] of [
			[256, 256],
			[360, 480]
		]) {
			const x3 = tf.randomUniform([h, w, 3]) as tf.Tensor3D;
			const x4 = tf.expandDims(x3, 0) as tf.Tensor4D;
			const blend = net.styles.map((_, i) => (i === 0 ? 1 : 0));
			tf.dispose([net.stylize(x3, blend), j.run(x4)]); // warm-up at this size
			const ours = await median(() => net.stylize(x3, blend), reps);
			const theirs = await median(() => j.run(x4), reps);
			rows.push(`${backend} ${w}x${h}: ours ${ours.toFixed(0)} ms, Johnson ${theirs.toFixed(0)} ms, ${(theirs / ours).toFixed(1)}x`);
			tf.dispose([x3, x4]);
			expect(theirs / ours).toBeGreaterThanOrEqual(5);
		}
		console.log(rows.join('\n'));
		j.dispose();
		net.dispose();
	});
});
