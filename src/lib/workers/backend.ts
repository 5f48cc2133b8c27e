/**
 * How the lab and gallery workers start tfjs: WebGL (an OffscreenCanvas in the worker) when asked and
 * it starts, else the CPU path (wasm with the asked threads, or plain JS).
 */
import * as tf from '@tensorflow/tfjs';
import { startCpuBackend } from '../tf/cpu-backend';
import type { LabWorkerInit } from './protocol';

export async function startWorkerBackend(init: Pick<LabWorkerInit, 'backend' | 'threads' | 'wasmPath'>): Promise<{ backend: string; threads: number }> {
	if (init.backend === 'webgl') {
		try {
			await import('@tensorflow/tfjs-backend-webgl');
			if (await tf.setBackend('webgl')) {
				await tf.ready();
				return { backend: 'webgl', threads: 1 };
			}
		} catch {
			/* no WebGL in this worker: the CPU path below */
		}
	}
	const b = await startCpuBackend(init.backend === 'cpu' ? 'cpu' : 'wasm', init.threads, init.wasmPath);
	return { backend: b.name, threads: b.threads };
}
