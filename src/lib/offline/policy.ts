/**
 * What the service worker (src/service-worker.ts) keeps and how it answers: pure, so it is unit-tested in
 * Node. The policy and why: docs/offline.md.
 */

/** Our caches' names start with this; other caches on the origin are never touched. */
export const CACHE_PREFIX = 'nss-offline-';

/** One cache per build: a build's pages, chunks, models and wasm binaries stay together. */
export const cacheName = (version: string): string => `${CACHE_PREFIX}${version}`;

/**
 * Every file of the client build, written by vite.config.ts (`precacheList()`) next to the build: SvelteKit's
 * `build` list (from Vite's manifest) names each worker's entry but not the chunks the worker imports.
 */
export const PRECACHE_LIST = '_app/precache.json';
export interface BuildList {
	/** Paths relative to the app's base, e.g. `_app/immutable/workers/chunks/x.js`. */
	files: string[];
}

/**
 * The build's files as URLs: the listed ones, checked to be this build's — the list must name every file
 * of SvelteKit's `build` (content-hashed names), else it came from another build (the server was updated
 * between fetching the worker and the list) and installing must fail, to be tried again later.
 */
export function buildFiles(base: string, listed: BuildList, build: readonly string[]): string[] {
	const urls = listed.files.map((f) => `${base}/${f}`);
	const have = new Set(urls);
	const missing = build.filter((u) => !have.has(u));
	if (missing.length) throw new Error(`${PRECACHE_LIST} is from another build: it lacks ${missing.length} of this build's files (${missing[0]} …)`);
	return urls;
}

/** Everything one build needs, each URL once: its pages, its JS/CSS (and the workers'), and static/ (models, wasm, paintings, icons). */
export function precacheList(buildFiles: readonly string[], files: readonly string[], prerendered: readonly string[]): string[] {
	return [...new Set([...prerendered, ...buildFiles, ...files])];
}

/** Our caches of other builds: deleted when this build's worker takes over (no page uses them any more). */
export function staleCaches(keys: readonly string[], version: string): string[] {
	return keys.filter((k) => k.startsWith(CACHE_PREFIX) && k !== cacheName(version));
}

export interface RequestLike {
	url: string;
	method: string;
	mode: string;
	headers: { has(name: string): boolean };
}

/**
 * How a request is answered: `page` — a navigation to one of the app's pages, from the cache under the
 * page's path (the address's ?options do not change the page's HTML); `asset` — from the cache when it is
 * there, else the network; `network` — left alone (other origins, non-GET, byte ranges, unknown pages).
 */
export type Route = { kind: 'page'; key: string } | { kind: 'asset' } | { kind: 'network' };

export function route(request: RequestLike, origin: string, pages: ReadonlySet<string>): Route {
	if (request.method !== 'GET' || request.headers.has('range')) return { kind: 'network' };
	const url = new URL(request.url);
	if (url.origin !== origin) return { kind: 'network' };
	if (request.mode === 'navigate') {
		const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
		return pages.has(path) ? { kind: 'page', key: path } : { kind: 'network' };
	}
	return { kind: 'asset' };
}

/**
 * A waiting build's worker takes over at once only for a page that is the only window of the app open:
 * that page has just loaded (it asks before it starts anything) and reloads into the new build. With any
 * other window open — a kiosk running for days, the lab in a second tab — it keeps waiting, so no running
 * page ever gets a mix of two builds' files. Nor when the question comes too late (`deadline`): the page
 * stops waiting for an answer after a while and starts, and a worker that took over then would take over
 * a running page.
 */
export function mayTakeOver(windowIds: readonly string[], askerId: string, now: number, deadline: number): boolean {
	return now < deadline && windowIds.length === 1 && windowIds[0] === askerId;
}

/** How long a page waits for the answer to 'take-over', and the deadline it gives the worker (well before it gives up). */
export const TAKE_OVER_WAIT_MS = 30_000;
export const TAKE_OVER_DEADLINE_MS = 20_000;

/** Messages a page sends to a service worker (each with a MessagePort for the answer); 'version' is for tests and debugging. */
export type WorkerRequest = { type: 'version' } | { type: 'take-over'; deadline: number };
export type VersionAnswer = { version: string; cache: string };
export type TakeOverAnswer = { ok: boolean };
