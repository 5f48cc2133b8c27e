import { browser, dev } from '$app/environment';
import { base } from '$app/paths';
import { adoptWaitingUpdate, registerServiceWorker } from '$lib/offline/page';

// The whole app runs in the browser: prerender an empty shell, render on the client.
export const prerender = true;
export const ssr = false;

/**
 * Before any page starts: a new build waiting in the service worker takes over if this is the only page
 * open (it reloads into it), and the worker is registered (docs/offline.md).
 */
export async function load(): Promise<void> {
	if (!browser || dev) return;
	await adoptWaitingUpdate();
	registerServiceWorker(`${base}/service-worker.js`);
}
