/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Offline: precaches one build (pages, JS/CSS, workers, models, wasm binaries, paintings, icons) in a cache
 * of its own and answers the app's requests from it, so after one visit the app runs with the network
 * unplugged. Updates: a new build's worker installs in the background and waits; it takes over when no
 * page of the old build is open, or at once for a page that is the only one open and has just loaded
 * (src/lib/offline/page.ts). Policy and reasons: docs/offline.md; the pure parts: src/lib/offline/policy.ts.
 */
import { base, build, files, prerendered, version } from '$service-worker';
import { buildFiles, cacheName, mayTakeOver, PRECACHE_LIST, precacheList, route, staleCaches, type BuildList, type TakeOverAnswer, type VersionAnswer, type WorkerRequest } from '$lib/offline/policy';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = cacheName(version);
const PAGES = new Set(prerendered);

sw.addEventListener('install', (event) => {
	event.waitUntil(precache());
});

async function precache(): Promise<void> {
	// 'no-cache': revalidate with the server, so a file that did not change costs a 304 and a changed one
	// (models and wasm binaries keep their names across builds) is fetched anew, not taken from the HTTP cache.
	const res = await fetch(`${base}/${PRECACHE_LIST}`, { cache: 'no-cache' });
	if (!res.ok) throw new Error(`${PRECACHE_LIST}: HTTP ${res.status}`);
	const urls = precacheList(buildFiles(base, (await res.json()) as BuildList, build), files, prerendered);
	const cache = await caches.open(CACHE);
	await cache.addAll(urls.map((u) => new Request(u, { cache: 'no-cache' })));
}

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of staleCaches(await caches.keys(), version)) await caches.delete(key);
			// The first visit's page (loaded from the network, same build) is served from the cache from now on.
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('fetch', (event) => {
	const r = route(event.request, sw.location.origin, PAGES);
	if (r.kind === 'network') return;
	event.respondWith(
		(async () => {
			const cache = await caches.open(CACHE);
			// The cached response keeps its headers: COOP/COEP (threads), CORP and the Content-Security-Policy.
			const hit = await cache.match(r.kind === 'page' ? r.key : event.request, { ignoreVary: true });
			return hit ?? fetch(event.request);
		})()
	);
});

sw.addEventListener('message', (event) => {
	const msg = event.data as WorkerRequest;
	const port = event.ports[0];
	if (msg?.type === 'version') port?.postMessage({ version, cache: CACHE } satisfies VersionAnswer);
	else if (msg?.type === 'take-over') event.waitUntil(takeOver(event.source, msg.deadline, port));
});

async function takeOver(asker: ExtendableMessageEvent['source'], deadline: number, port: MessagePort | undefined): Promise<void> {
	let ok = false;
	try {
		// This worker must be the waiting one (older browsers lack `self.serviceWorker`: the page wrote to `waiting`).
		const me = (sw as { serviceWorker?: ServiceWorker }).serviceWorker;
		const waiting = me ? me.state === 'installed' : sw.registration.waiting !== null;
		const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
		ok = waiting && asker instanceof Client && mayTakeOver(windows.map((w) => w.id), asker.id, Date.now(), deadline);
	} finally {
		port?.postMessage({ ok } satisfies TakeOverAnswer); // always an answer: the page waits for it before starting
	}
	if (ok) await sw.skipWaiting();
}
