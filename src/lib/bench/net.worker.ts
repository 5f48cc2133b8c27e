/**
 * The style network alone in a worker, as the style worker runs it (wasm, `threads` threads asked for,
 * the count that runs read back), for the bench (style-bench.ts benchStyleNetInWorker). One run per
 * worker: tfjs starts its backend once per thread.
 */
import * as tf from '@tensorflow/tfjs';
import { load, oneHot, STYLE_NET_URL } from '../models/style-net';
import { startCpuBackend, WASM_PATH } from '../tf/cpu-backend';
import { time } from './timing';

export interface NetWorkerRequest {
	threads: number;
	/** [height, width] */
	size: [number, number];
	runs: number;
}

self.onmessage = async (e: MessageEvent<NetWorkerRequest>) => {
	try {
		const { threads, size, runs } = e.data;
		const backend = await startCpuBackend('wasm', threads, WASM_PATH);
		const net = await load({ url: STYLE_NET_URL });
		const x = tf.randomUniform([size[0], size[1], 3], 0, 1, 'float32', 7) as tf.Tensor3D;
		const ours = await time(() => net.stylize(x, oneHot(0, net.styles.length)), runs);
		x.dispose();
		net.dispose();
		self.postMessage({ ok: true, threads: backend.threads, ours });
	} catch (err) {
		self.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
	}
};
