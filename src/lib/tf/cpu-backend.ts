/**
 * Starts tfjs on the CPU path (wasm with SIMD and threads, or plain JS) in whatever thread calls it:
 * the page, the style worker or the explain worker. The thread count is read back from the wasm
 * backend after it started (getThreadsCount), not derived from the core count.
 */
import * as tf from '@tensorflow/tfjs';

export type CpuBackendName = 'wasm' | 'cpu';

/** Where the wasm binaries are served (copied there by scripts/prepare-assets.mjs). */
export const WASM_PATH = '/tfjs-wasm/';

export interface CpuBackendInfo {
	name: CpuBackendName;
	/** Threads the wasm backend really runs (1 without cross-origin isolation); 1 for cpu. */
	threads: number;
}

/** How the wasm threads are spread over the cores: the style worker's, the explain worker's and the page's. */
export interface ThreadPlan {
	styleThreads: number;
	explainThreads: number;
	pageThreads: number;
}

/**
 * The thread arrangement for `cores` cores, so the workers share them without oversubscribing them
 * (XNNPACK's threads spin while they wait for each other, so one thread too many costs far more than
 * it gains — measured in `npm run bench`): the explain worker a quarter of the cores (it runs at most
 * 30 % of the time), at least one; the style worker the rest, at least one; together never more than
 * the cores (from 2 cores up). The page's own wasm (the in-page pipeline, no workers) may use all.
 * 2 cores: 1 + 1, each worker on its own core; 4: 3 + 1; 8: 6 + 2; 16: 12 + 4.
 */
export function threadPlan(cores: number): ThreadPlan {
	const c = Math.max(1, Math.floor(cores || 1));
	const explainThreads = Math.max(1, Math.floor(c / 4));
	return { styleThreads: Math.max(1, c - explainThreads), explainThreads, pageThreads: c };
}

/** The threads `role` asks for on `cores` cores (threadPlan). */
export function threadsFor(role: 'style' | 'explain' | 'page', cores: number): number {
	const plan = threadPlan(cores);
	return role === 'style' ? plan.styleThreads : role === 'explain' ? plan.explainThreads : plan.pageThreads;
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
