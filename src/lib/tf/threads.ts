/**
 * Where the wasm binaries are, and how many threads each thread of the app asks for. Plain (no tfjs):
 * the page's worker clients import it without loading tfjs; cpu-backend.ts starts the backend with it.
 */

/** Where the wasm binaries are served (copied there by scripts/prepare-assets.mjs). */
export const WASM_PATH = '/tfjs-wasm/';

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
