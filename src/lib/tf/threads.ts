/**
 * Where the wasm binaries are, and how many threads each thread of the app asks for. Plain (no tfjs):
 * the page's worker clients import it without loading tfjs; cpu-backend.ts starts the backend with it.
 */

/** Where the wasm binaries are served (copied there by scripts/prepare-assets.mjs). */
export const WASM_PATH = '/tfjs-wasm/';

/** How the wasm threads are spread over the cores: the style work's, the explain worker's and the page's. */
export interface ThreadPlan {
	/** The cores the style work gets (the live style workers together; the lab, learner and stills take this many). */
	styleThreads: number;
	explainThreads: number;
	pageThreads: number;
	/** Live style workers, each on its own frames (the live loop keeps one frame in each). */
	styleWorkers: number;
	/** Threads of each live style worker. */
	liveThreads: number;
}

/** The most live style workers: beyond three, a 30 fps camera has no frames for them. */
export const MAX_STYLE_WORKERS = 3;

/**
 * The thread arrangement for `cores` cores, so the workers share them without oversubscribing them
 * (XNNPACK's threads spin while they wait for each other, so one thread too many costs far more than
 * it gains — measured in `npm run bench`): the explain worker a quarter of the cores (it runs at most
 * 30 % of the time), at least one; the style worker the rest, at least one; together never more than
 * the cores (from 2 cores up). The page's own wasm (the in-page pipeline, no workers) may use all.
 * 2 cores: 1 + 1; 4: 3 + 1; 8: 6 + 2; 16: 12 + 4.
 *
 * The live style work is split over **several style workers, each processing its own frames** (the
 * live loop keeps a frame in each; the newest result is shown): a network whose instance norms,
 * pads and adds run on one thread gains far more from a second frame in flight than from a second
 * thread in the same frame (bench: 2 cores, 340×256, 7.4 fps with one worker of one thread, +8 % with
 * two threads; bench/README.md has two workers). From 2 cores on there are at least two, at
 * most MAX_STYLE_WORKERS, one per style core where there are enough; the style cores are shared out
 * evenly among them, at least one thread each. On 2 cores that is one thread more than the cores while
 * the explain worker runs (30 % of the time at most): single-thread workers do not spin against each
 * other, they take turns. 2 cores: 2 workers × 1 thread; 4: 3 × 1; 8: 3 × 2; 16: 3 × 4.
 */
export function threadPlan(cores: number): ThreadPlan {
	const c = Math.max(1, Math.floor(cores || 1));
	const explainThreads = Math.max(1, Math.floor(c / 4));
	const styleThreads = Math.max(1, c - explainThreads);
	const styleWorkers = c < 2 ? 1 : Math.min(MAX_STYLE_WORKERS, Math.max(2, styleThreads));
	const liveThreads = Math.max(1, Math.floor(styleThreads / styleWorkers));
	return { styleThreads, explainThreads, pageThreads: c, styleWorkers, liveThreads };
}

/** The threads `role` asks for on `cores` cores (threadPlan; each live style worker's: its liveThreads). */
export function threadsFor(role: 'style' | 'explain' | 'page', cores: number): number {
	const plan = threadPlan(cores);
	return role === 'style' ? plan.styleThreads : role === 'explain' ? plan.explainThreads : plan.pageThreads;
}
