/**
 * Starts tfjs on the CPU path (wasm with SIMD and threads, or plain JS) in whatever thread calls it:
 * the page, the style worker or the explain worker. The thread count is read back from the wasm
 * backend after it started (getThreadsCount), not derived from the core count.
 */
import * as tf from '@tensorflow/tfjs';
import { WASM_PATH } from './threads';

// Plain (tf/threads.ts), re-exported for the threads that start a backend.
export { WASM_PATH, MAX_STYLE_WORKERS, threadPlan, threadsFor, type ThreadPlan } from './threads';

export type CpuBackendName = 'wasm' | 'cpu';


export interface CpuBackendInfo {
	name: CpuBackendName;
	/** Threads the wasm backend really runs (1 without cross-origin isolation); 1 for cpu. */
	threads: number;
}


/**
 * tfjs-wasm caps its XNNPACK thread pool at navigator.hardwareConcurrency / 2 (it assumes two
 * hyper-threads per core), so a 2-core machine gets 1 thread whatever setThreadsCount asks. Inside a
 * worker — never in the page — we let that worker's navigator report twice the threads we want, so
 * the cap allows them. The count that really runs is read back afterwards.
 */
function allowThreadsInWorker(threads: number): void {
	const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
	if (!inWorker || typeof navigator === 'undefined') return;
	const reported = navigator.hardwareConcurrency || 1;
	if (Math.floor(reported / 2) >= threads) return;
	try {
		Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, get: () => threads * 2 });
	} catch {
		/* then the cap stays; the HUD shows the count that runs */
	}
}

export async function startCpuBackend(name: CpuBackendName, threads: number, wasmPath = WASM_PATH): Promise<CpuBackendInfo> {
	if (name === 'wasm') {
		const wasm = await import('@tensorflow/tfjs-backend-wasm');
		wasm.setWasmPaths(wasmPath);
		if (globalThis.crossOriginIsolated === true) {
			allowThreadsInWorker(threads);
			wasm.setThreadsCount(Math.max(1, threads));
		} else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
		if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start WebAssembly');
		await tf.ready();
		return { name, threads: wasm.getThreadsCount() };
	}
	if (!(await tf.setBackend('cpu'))) throw new Error('tfjs could not start the cpu backend');
	await tf.ready();
	return { name, threads: 1 };
}
