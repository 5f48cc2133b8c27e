import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { BASE_ARGS, CHROMIUM } from '../../playwright.config';
import { expect, test, waitFrames } from './helpers';
import { openCable, type Cable } from './network';

/**
 * The service worker (src/service-worker.ts, docs/offline.md). The browser talks to the preview server
 * through a cable we can unplug (tests/e2e/network.ts): unplugged, every connection is dropped unanswered,
 * and the cable lists what still tried to go out. Its own origin gives each test a fresh registration.
 */
test.use({ serviceWorkers: 'allow' });

let cable: Cable;
test.beforeEach(async ({ baseURL }) => {
	cable = await openCable(baseURL!);
});
test.afterEach(async () => {
	await cable.close();
});

interface WorkerVersion {
	version: string;
	cache: string;
}

/** What the page's controlling worker says it serves (src/lib/offline/policy.ts: the 'version' message); null without one. */
function controllerVersion(page: Page): Promise<WorkerVersion | null> {
	return page.evaluate(
		() =>
			new Promise<WorkerVersion | null>((resolve) => {
				const c = navigator.serviceWorker.controller;
				if (!c) return resolve(null);
				const ch = new MessageChannel();
				ch.port1.onmessage = (e) => resolve(e.data as WorkerVersion);
				c.postMessage({ type: 'version' }, [ch.port2]);
			})
	);
}

/** The first visit: the studio runs from the network while the worker precaches the build, then takes control of the page. */
async function firstVisit(page: Page): Promise<WorkerVersion> {
	await page.goto(`${cable.origin}/?camera=0`);
	await waitFrames(page, 2);
	await expect.poll(() => controllerVersion(page), { timeout: 120_000, message: 'the service worker controls the page' }).not.toBeNull();
	return (await controllerVersion(page))!;
}

/** The app's own requests that found no network (the browser's update check of the worker script is not the app's). */
const appRequestsOffline = () => cable.dropped.filter((p) => p !== '/service-worker.js');

test('after one visit the studio (style network, wasm threads, classifier), the lab and the gallery run with the network unplugged; installable', async ({ playwright }, info) => {
	test.setTimeout(300_000);
	// A browser with a profile on disk, as people have: Chromium never offers to install from an incognito
	// context (Playwright's usual one), and keeps less there.
	const browser = await playwright.chromium.launchPersistentContext(info.outputPath('profile'), {
		executablePath: CHROMIUM,
		args: BASE_ARGS,
		serviceWorkers: 'allow',
		viewport: { width: 1200, height: 900 }
	});
	try {
		await offlineAfterOneVisit(browser.pages()[0] ?? (await browser.newPage()));
	} finally {
		await browser.close();
	}
});

async function offlineAfterOneVisit(page: Page) {
	const { cache } = await firstVisit(page);
	// The studio says so: this version works offline.
	await expect(page.getByTestId('offline-status')).toHaveAttribute('data-state', 'ready');
	await expect(page.getByTestId('offline-status')).toContainText('Works offline');

	// The build's every file (pages, JS/CSS, the workers' chunks), the models and the wasm binaries are cached.
	const { files } = JSON.parse(readFileSync('build/_app/precache.json', 'utf8')) as { files: string[] };
	const cached = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname), cache);
	const shards = readFileSync('build/models/resnet50/model.json', 'utf8').match(/group1-shard\d+of\d+\.bin/g)!;
	expect(cached).toEqual(
		expect.arrayContaining([
			'/',
			'/lab',
			'/gallery',
			...files.map((f) => `/${f}`),
			'/models/style-net/manifest.json',
			'/models/style-net/weights.bin',
			'/models/resnet50/model.json',
			...shards.map((s) => `/models/resnet50/${s}`),
			'/tfjs-wasm/tfjs-backend-wasm-threaded-simd.wasm',
			'/manifest.webmanifest',
			'/icons/icon-512.png'
		])
	);
	expect(files.some((f) => f.startsWith('_app/immutable/workers/chunks/')), 'the workers import chunks of their own').toBe(true);

	// Chromium considers it installable: a valid manifest with icons, and a service worker with a fetch handler.
	const cdp = await page.context().newCDPSession(page);
	const manifest = await cdp.send('Page.getAppManifest');
	expect(manifest.errors).toEqual([]);
	expect(manifest.url).toBe(`${cable.origin}/manifest.webmanifest`);
	expect((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);

	cable.unplug();
	// The studio with 2 wasm threads in its style worker and explanations on: pages, chunks, both workers,
	// the style network, the wasm binaries and ResNet50 all come from the cache.
	await page.goto(`${cable.origin}/?camera=0&threads=2&styleWorkers=1&explain=1`);
	expect(await page.evaluate(() => crossOriginIsolated), 'the cached page keeps its isolation headers').toBe(true);
	await expect(page.getByTestId('style-panel')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
	await expect.poll(async () => Number(await page.getByTestId('hud').getAttribute('data-threads')), { timeout: 60_000 }).toBe(2);
	await waitFrames(page, 3);
	await expect(page.getByTestId('top-raw').locator('li').first()).toBeVisible({ timeout: 120_000 });
	expect(await controllerVersion(page)).toEqual({ version: expect.any(String), cache });

	await page.goto(`${cable.origin}/lab`);
	await expect(page.getByTestId('lab-input')).toHaveAttribute('data-width', '640');
	await expect(page.getByTestId('lab-backend')).toContainText('wasm', { timeout: 120_000 });
	await page.goto(`${cable.origin}/gallery`);
	await expect(page.getByTestId('gallery-backend')).toContainText('wasm', { timeout: 120_000 });

	expect(appRequestsOffline(), 'requests the cache did not answer').toEqual([]);
	// The cable really is unplugged: what is not cached does not load.
	expect(await page.evaluate(() => fetch('/not-cached.txt').then(() => 'loaded', () => 'failed'))).toBe('failed');
	expect(cable.dropped).toContain('/not-cached.txt');
}

// One retry for this test only: in one of the four full runs of 2026-12-06 (a fresh-clone CI run, load ~2) the reload
// after the new build installed neither took over nor drew a frame for 120 s (version still the old one, HUD frame
// < 3); alone it passed at once (20 s). Suspected: the new worker's activation waits on a fetch the old page's
// workers still hold, so the reload's navigation hangs. Not yet understood; see docs/offline.md.
test.describe(() => {
	test.describe.configure({ retries: 1 });
	test('a new build installs while the old one runs, waits while a second window is open, and takes over at the next load', async ({ page, context }) => {
		test.setTimeout(240_000);
		await context.addInitScript(() => ((window as unknown as { __STUDIO_TEST_HOOK__: boolean }).__STUDIO_TEST_HOOK__ = true));
		const old = await firstVisit(page);

		// "A new build": the server now sends a worker script with another version (so another cache);
		// the files it precaches are the same build's, which is all this lifecycle needs.
		const next = `${old.version}n`;
		const script = await (await fetch(`${cable.origin}/service-worker.js`)).text();
		expect(script, 'the worker script names its version').toContain(old.version);
		cable.rewrite('/service-worker.js', (s) => s.replaceAll(old.version, next));
		await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
		const waiting = () => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null);
		await expect.poll(waiting, { timeout: 120_000, message: 'the new build installed in the background' }).toBe('installed');

		// The running page says a new version starts next time.
		await expect(page.getByTestId('offline-status')).toHaveAttribute('data-update', 'waiting');
		await expect(page.getByTestId('offline-status')).toContainText('new version next time');

		// The running page keeps its build and its cache, and keeps drawing.
		expect(await controllerVersion(page)).toEqual(old);
		expect(await page.evaluate(() => caches.keys())).toEqual(expect.arrayContaining([old.cache, `nss-offline-${next}`]));
		await waitFrames(page, 3);

		// A second window (a new visit while a kiosk runs): the new build may not take over under the first one.
		const second = await context.newPage();
		await second.goto(`${cable.origin}/?camera=0`);
		await waitFrames(second, 2);
		expect(await controllerVersion(second)).toEqual(old);
		expect(await controllerVersion(page), 'the first window (the kiosk) still runs the old build').toEqual(old);
		expect(await waiting()).toBe('installed');
		await second.close();

		// Reloading the only window: the page asks, the new build takes over, the page reloads into it.
		let loads = 0;
		page.on('load', () => loads++);
		await page.reload();
		const final = () =>
			page
				.evaluate(async () => {
					const frame = Number(document.querySelector('[data-testid=hud]')?.getAttribute('data-frame') ?? 0);
					const c = navigator.serviceWorker.controller;
					const version = c && (await new Promise<{ version: string }>((resolve) => {
						const ch = new MessageChannel();
						ch.port1.onmessage = (e) => resolve(e.data);
						c.postMessage({ type: 'version' }, [ch.port2]);
					})).version;
					return { version, running: frame >= 3 };
				})
				.catch(() => null); // the page is between its two loads
		await expect.poll(final, { timeout: 120_000 }).toEqual({ version: next, running: true });
		expect(loads, 'the reload, then the reload into the new build').toBe(2);
		expect(await page.evaluate(() => caches.keys())).toEqual([`nss-offline-${next}`]);
		expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	});
});
