/**
 * The page's side of the service worker (the worker: src/service-worker.ts; the policy: docs/offline.md):
 * registering it, and updates. A new build's worker installs in the background while the old build serves;
 * it waits as long as a page of the old build is open. A reload of the only open page would not let it in
 * (the reloading page is still open while the new one is fetched), so a page that has just loaded asks the
 * waiting worker to take over before anything starts — it agrees only when this page is the only window of
 * the app — and reloads into the new build.
 */
import type { OfflineEnv } from './status.svelte';
import { TAKE_OVER_DEADLINE_MS, TAKE_OVER_WAIT_MS, type TakeOverAnswer, type WorkerRequest } from './policy';

/** Sends a message to a service worker and waits for its answer (null after `timeoutMs`). */
function ask<T>(worker: ServiceWorker, msg: WorkerRequest, timeoutMs = 5000): Promise<T | null> {
	return new Promise((resolve) => {
		const channel = new MessageChannel();
		const timer = setTimeout(() => {
			channel.port1.close();
			resolve(null);
		}, timeoutMs);
		channel.port1.onmessage = (e) => {
			clearTimeout(timer);
			channel.port1.close();
			resolve(e.data as T);
		};
		worker.postMessage(msg, [channel.port2]);
	});
}

/** How long a page waits for the new build to take over before it reloads anyway (a fresh load gets one build either way). */
const TAKE_OVER_MS = 10_000;
/** How long a page waits for its registration before it starts on the build it has. */
const REGISTRATION_WAIT_MS = 5000;
/** Set in this tab when it reloads for a take-over: a second attempt within a minute means something is wrong; then it just runs. */
const ATTEMPT_KEY = 'nss-offline-take-over';

/**
 * Lets a waiting new build take over if this page is the only one open; then reloads into it and never
 * resolves. Resolves false at once when there is nothing to do (no service worker, no update waiting,
 * another window open).
 */
export async function adoptWaitingUpdate(container = globalThis.navigator?.serviceWorker): Promise<false> {
	if (!container?.controller) return false;
	// Bounded: in one full test run of ten a reload stood still, the old build in control and no frame drawn,
	// for two minutes — a lookup that never answers must not keep the page from starting.
	const registration = await Promise.race([container.getRegistration(), new Promise<undefined>((resolve) => setTimeout(resolve, REGISTRATION_WAIT_MS))]);
	const waiting = registration?.waiting;
	if (!waiting) return false;
	if (Date.now() - Number(sessionStorage.getItem(ATTEMPT_KEY) ?? 0) < 60_000) return false;
	// A worker that has to be started first may answer slowly on a busy machine; past the deadline it says no,
	// so an answer that comes after this page gave up and started can never have let it take over.
	const answer = await ask<TakeOverAnswer>(waiting, { type: 'take-over', deadline: Date.now() + TAKE_OVER_DEADLINE_MS }, TAKE_OVER_WAIT_MS);
	if (!answer?.ok) return false;
	await new Promise<void>((resolve) => {
		container.addEventListener('controllerchange', () => resolve(), { once: true });
		// Replaced by an even newer build meanwhile: reloading gets whichever is active.
		waiting.addEventListener('statechange', () => waiting.state === 'redundant' && resolve());
		setTimeout(resolve, TAKE_OVER_MS);
	});
	sessionStorage.setItem(ATTEMPT_KEY, String(Date.now()));
	location.reload();
	return new Promise<false>(() => {});
}

let registration: Promise<ServiceWorkerRegistration | null> | undefined;
let unavailableReason = 'The development server (npm run dev) does not save the app for offline use; a build (npm start) does.';

/**
 * Registers the service worker once the page has loaded (its precaching then does not compete with the
 * page's own start). Builds only: `npm run dev` serves sources that change under a cache.
 */
export function registerServiceWorker(url: string, container = globalThis.navigator?.serviceWorker): void {
	if (registration) return;
	if (!container) {
		unavailableReason = globalThis.isSecureContext === false
			? 'Browsers save apps for offline use only from HTTPS or localhost; this page came over plain HTTP.'
			: 'This browser does not let pages work offline (no service workers: a private window, or turned off).';
		return;
	}
	registration = new Promise((resolve) => {
		const register = () =>
			container.register(url).then(resolve, (err: unknown) => {
				console.warn(`The app will not work offline: its service worker could not be registered (${err}).`);
				resolve(null);
			});
		if (document.readyState === 'complete') void register();
		else addEventListener('load', () => void register(), { once: true });
	});
}

/** What `OfflineStatus` (./status.svelte.ts) follows: this page's registration, or why there is none. */
export function offlineEnv(): OfflineEnv {
	return { registration, unavailableReason, storage: globalThis.navigator?.storage };
}
