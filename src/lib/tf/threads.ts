/**
 * Where the wasm binaries are, and how many threads each thread of the app asks for. Plain (no tfjs):
 * the page's worker clients import it without loading tfjs; cpu-backend.ts starts the backend with it.
 */

/** Where the wasm binaries are served (copied there by scripts/prepare-assets.mjs). */
export const WASM_PATH = '/tfjs-wasm/';

/**
 * Threads to ask for, so the workers share the cores without oversubscribing them (XNNPACK's threads
 * spin while they wait for each other, so one thread too many costs far more than it gains — measured
 * in `npm run bench`): the style worker takes all cores but one (the page and the explain worker need
 * one), the explain worker a quarter (it runs at most 30 % of the time). On 2 cores: 1 and 1, each
 * worker on its own core; on 8: 7 and 2.
 */
export function threadsFor(role: 'style' | 'explain' | 'page', cores: number): number {
	const c = Math.max(1, Math.floor(cores || 1));
	if (role === 'explain') return Math.max(1, Math.floor(c / 4));
	if (role === 'style') return Math.max(1, c - 1);
	return c;
}
