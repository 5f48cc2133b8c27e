import { chromium, type Browser, type Page } from '@playwright/test';
import { BASE_ARGS, CHROMIUM } from '../../playwright.config';
import { browserArgs, expect, fakeCameraArgs, installTestHooks, outputStats, test } from './helpers';

// The kiosk (/kiosk) running unattended through every fault: each is injected for real (a camera track
// ends, a worker is terminated, the WebGL context is lost, a model file is missing or corrupt), and each
// must show up in the event log the staff panel shows, with the loop still drawing frames.

type KioskHook = {
	__kiosk: { events: { kind: string; level: string; message: string }[]; mode: string };
	__studio: {
		mirror: boolean;
		style: { strength: number; weights: number[]; snapshot(): unknown };
		source: { current: { element: HTMLVideoElement } };
		workers: { style: { worker: { terminate(): void } | null; restarts: number } | null };
	};
};

const kiosk = (page: Page) => page.getByTestId('kiosk');
const frame = async (page: Page) => Number(await kiosk(page).getAttribute('data-frame'));

/** Waits until the kiosk has drawn at least `n` more frames. */
async function waitFrames(page: Page, n: number, timeout = 60_000): Promise<number> {
	const start = await frame(page);
	await expect.poll(() => frame(page), { timeout }).toBeGreaterThanOrEqual(start + n);
	return frame(page);
}

/** Messages of one kind in the kiosk's event log. */
const logged = (page: Page, kind: string) =>
	page.evaluate((kind) => (window as unknown as KioskHook).__kiosk.events.filter((e) => e.kind === kind).map((e) => `${e.level}: ${e.message}`), kind);

async function expectLogged(page: Page, kind: string, pattern: RegExp, timeout = 30_000) {
	await expect.poll(() => logged(page, kind), { timeout, message: `a "${kind}" event matching ${pattern}` }).toContainEqual(expect.stringMatching(pattern));
}

/**
 * Another camera means another browser (the fake camera is a launch flag, and Playwright launches one
 * browser per file): this describe launches its own, and `open()` gives a page with the test hooks.
 */
function ownBrowser(args: string[], permissions: string[]) {
	let browser: Browser | null = null;
	test.beforeAll(async () => {
		browser = await chromium.launch({ executablePath: CHROMIUM, args });
	});
	test.afterAll(async () => {
		await browser?.close();
	});
	return async (): Promise<Page> => {
		const context = await browser!.newContext({ permissions, viewport: { width: 1200, height: 900 } });
		await installTestHooks(context);
		return context.newPage();
	};
}

// Most tests: a still photo as the camera, so any change on screen comes from the kiosk.
test.use({ ...browserArgs(fakeCameraArgs('eagle.y4m')), permissions: ['camera'] });

/** The picture on screen is a real one (not blank). */
async function expectPicture(page: Page) {
	expect((await outputStats(page)).std).toBeGreaterThan(8);
}

test.describe('a still camera (a photo held up)', () => {
	test('fills the screen with no controls, cross-fades through the styles, and opens the staff panel only by key chord or long press', async ({ page }) => {
		await page.goto('/kiosk?period=2&fade=1&res=96&idle=0');
		await expect(kiosk(page)).toHaveAttribute('data-mode', 'live');
		await expect(page.getByTestId('kiosk-caption')).toBeVisible({ timeout: 60_000 });
		await waitFrames(page, 3);

		// Nothing a visitor could operate, and the picture fills the window.
		await expect(page.locator('button:visible, input:visible, select:visible, textarea:visible, a:visible')).toHaveCount(0);
		const stage = (await page.locator('.stage').boundingBox())!;
		const viewport = page.viewportSize()!;
		expect([stage.x, stage.y, stage.width, stage.height]).toEqual([0, 0, viewport.width, viewport.height]);
		expect(await kiosk(page).evaluate((el) => getComputedStyle(el).cursor)).toBe('none');

		// The camera shows a still photo, so every change on screen comes from the cycle: paintings change,
		// and between two of them the network gets a blend of both (a cross-fade is an animated blend).
		const captions = new Set<string>();
		const hashes = new Set<number>();
		let blended = false;
		await expect
			.poll(
				async () => {
					captions.add((await page.getByTestId('kiosk-caption').textContent()) ?? '');
					hashes.add((await outputStats(page)).hash);
					const weights = await page.evaluate(() => (window as unknown as KioskHook).__studio.style.weights);
					if (weights.filter((w) => w > 0.05).length === 2) blended = true;
					return captions.size >= 3 && hashes.size >= 3 && blended;
				},
				{ timeout: 60_000, intervals: [150] }
			)
			.toBe(true);
		await expectPicture(page);

		// Staff: Ctrl+Alt+K opens the panel (log, backend, numbers, a way out); Esc closes it.
		await page.keyboard.press('Control+Alt+KeyK');
		const panel = page.getByTestId('staff-panel');
		await expect(panel).toBeVisible();
		await expect(page.getByTestId('staff-backend')).toContainText('wasm');
		await expect(page.getByTestId('staff-heap')).toContainText('MB');
		await expect(page.getByTestId('staff-uptime')).toHaveText(/^00:00:\d\d$/);
		await expect(page.getByTestId('staff-exit')).toHaveAttribute('href', '/');
		for (const kind of ['start', 'camera', 'backend', 'staff']) await expect(page.getByTestId('staff-log').locator(`tr[data-kind=${kind}]`).first()).toBeVisible();
		await page.keyboard.press('Escape');
		await expect(panel).toBeHidden();

		// A press held 3 s in the top-left corner opens it too (a touch screen has no keyboard).
		await page.mouse.move(30, 30);
		await page.mouse.down();
		const pressed = Date.now();
		await expect(panel).toBeVisible({ timeout: 10_000 });
		expect(Date.now() - pressed).toBeGreaterThanOrEqual(2900);
		await page.mouse.up();
		await expect(page.getByTestId('staff-log').locator('tr[data-kind=staff]').first()).toContainText('long press');
		await page.getByTestId('staff-close').click();
		await expect(panel).toBeHidden();
	});

	test('heals itself: camera unplugged and back, a worker killed, an exception in a frame, the tab hidden and shown — each in the log', async ({ page }) => {
		test.setTimeout(180_000);
		await page.goto('/kiosk?period=3&fade=1&res=64&idle=0');
		await expect(kiosk(page)).toHaveAttribute('data-pipeline', 'worker', { timeout: 60_000 });
		await expect(kiosk(page)).toHaveAttribute('data-mode', 'live');
		await waitFrames(page, 3);

		// The camera is unplugged (its track ends): the demo scene, then the camera again on devicechange.
		await page.evaluate(() => {
			const v = (window as unknown as KioskHook).__studio.source.current.element;
			(v.srcObject as MediaStream).getVideoTracks()[0].dispatchEvent(new Event('ended'));
		});
		await expect(kiosk(page)).toHaveAttribute('data-mode', 'demo');
		await expect(kiosk(page)).toHaveAttribute('data-source', 'demo');
		await expectLogged(page, 'camera', /^warning: showing the demo scene: The camera was disconnected/);
		await waitFrames(page, 3);
		await page.evaluate(() => navigator.mediaDevices.dispatchEvent(new Event('devicechange')));
		await expect(kiosk(page)).toHaveAttribute('data-mode', 'live');
		await expect(kiosk(page)).toHaveAttribute('data-source', 'camera');
		await expectLogged(page, 'camera', /^info: the camera is back/);
		await waitFrames(page, 3);

		// The style worker is terminated behind the kiosk's back: restarted, frames back within seconds.
		const before = await frame(page);
		const killed = Date.now();
		await page.evaluate(() => (window as unknown as KioskHook).__studio.workers.style!.worker!.terminate());
		await expectLogged(page, 'worker', /^warning: the style worker stopped/);
		await expect.poll(() => frame(page), { timeout: 10_000, intervals: [50] }).toBeGreaterThan(before);
		const back = Date.now() - killed;
		await expectLogged(page, 'worker', /^info: the worker was restarted; frames are back/);
		console.log(`kiosk: style worker killed, frames back after ${back} ms`);
		expect(back).toBeLessThan(5000);

		// An exception thrown while a frame is being made: logged, and the loop goes on.
		await page.evaluate(() => {
			const style = (window as unknown as KioskHook).__studio.style;
			const snapshot = style.snapshot;
			style.snapshot = () => {
				style.snapshot = snapshot;
				throw new Error('injected fault');
			};
		});
		await expectLogged(page, 'frame', /^error: A frame failed: injected fault/);
		await waitFrames(page, 3);
		await expectPicture(page);

		// The tab is hidden: no frames are processed; shown again: they resume. (Headless Chromium never
		// hides a page by itself — a second tab, a minimized window and CDP's lifecycle states leave it
		// 'visible' — so the document's visibility is set and its event sent, as the browser would.)
		const setVisibility = (state: 'hidden' | 'visible') =>
			page.evaluate((state) => {
				Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
				Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
				document.dispatchEvent(new Event('visibilitychange'));
			}, state);
		await setVisibility('hidden');
		await expect(kiosk(page)).toHaveAttribute('data-paused', 'true');
		await expectLogged(page, 'visibility', /hidden: paused/);
		const pausedAt = await frame(page);
		await page.waitForTimeout(1500); // proving that nothing happens takes a while
		expect(await frame(page)).toBeLessThanOrEqual(pausedAt + 1); // a frame already in flight may land
		await setVisibility('visible');
		await expect(kiosk(page)).toHaveAttribute('data-paused', 'false');
		await waitFrames(page, 3);
		await expectLogged(page, 'visibility', /visible again: resumed/);

		// The staff panel shows every one of these.
		await page.keyboard.press('Control+Alt+KeyK');
		const log = page.getByTestId('staff-log');
		for (const kind of ['camera', 'worker', 'frame', 'visibility']) await expect(log.locator(`tr[data-kind=${kind}]`).first()).toBeVisible();
		await expect(log.locator('tr[data-kind=frame]').first()).toContainText('injected fault');
		await expect(log.locator('tr[data-kind=frame]').first()).toHaveAttribute('data-level', 'error');
	});

	test('a missing style network (404), then a corrupt classifier: a clear message, logged, and the rest goes on', async ({ page }) => {
		await page.route('**/models/style-net/weights.bin', (route) => route.fulfill({ status: 404, body: 'not found' }));
		await page.goto('/kiosk?camera=0&res=64&idle=0');
		await expect(page.getByTestId('kiosk-problem')).toContainText(/style network could not be loaded.*HTTP 404/, { timeout: 60_000 });
		await expectLogged(page, 'model', /^error: The style network could not be loaded.*weights\.bin failed with HTTP 404/);
		await waitFrames(page, 5); // the demo scene, unstyled
		await expectPicture(page);
		await expect(page.getByTestId('kiosk-caption')).toHaveCount(0);

		await page.unroute('**/models/style-net/weights.bin');
		await page.route('**/models/resnet50/model.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"modelTopology": ' }));
		await page.goto('/kiosk?camera=0&res=64&idle=0&labels=1');
		await expect(page.getByTestId('kiosk-problem')).toContainText(/classifier could not be loaded/, { timeout: 60_000 });
		await expectLogged(page, 'model', /^error: The classifier could not be loaded/);
		await expect(page.getByTestId('kiosk-caption')).toBeVisible({ timeout: 60_000 }); // styles still cycle
		await waitFrames(page, 5);
		await expectPicture(page);
		await expect(page.getByTestId('kiosk-labels')).toHaveCount(0);
	});
});

test('a long attract text is broken into lines and sized to fit the screen', async ({ page }) => {
	const text = `Welcome to the museum of light: step in front of the camera and see yourself painted. ${'Supercalifragilistic'.repeat(6)}`;
	await page.goto(`/kiosk?res=64&idle=1&text=${encodeURIComponent(text)}`);
	await expect(kiosk(page)).toHaveAttribute('data-mode', 'attract', { timeout: 60_000 });
	const attract = page.getByTestId('attract').locator('p');
	await expect(attract).toBeVisible();
	const view = page.viewportSize()!;
	const box = (await attract.boundingBox())!;
	expect(box.x).toBeGreaterThanOrEqual(0);
	expect(box.y).toBeGreaterThanOrEqual(0);
	expect(box.x + box.width).toBeLessThanOrEqual(view.width);
	expect(box.y + box.height).toBeLessThanOrEqual(view.height);
	// Every line within the screen, none clipped (the 120-letter word is broken too).
	const lines = await attract.locator('span').evaluateAll((spans) => spans.map((s) => { const r = s.getBoundingClientRect(); return { left: r.left, right: r.right, scroll: s.scrollWidth, client: s.clientWidth }; }));
	expect(lines.length).toBeGreaterThan(2);
	for (const l of lines) {
		expect(l.left).toBeGreaterThanOrEqual(0);
		expect(l.right).toBeLessThanOrEqual(view.width);
		expect(l.scroll).toBeLessThanOrEqual(l.client + 1);
	}
	await expectLogged(page, 'config', /text is 206 characters long; showing the first 200/);
});

test('an option the machine cannot honour is clamped and named in the log; an unknown one is refused and named', async ({ page }) => {
	await page.goto('/kiosk?camera=0&res=64&idle=0&threads=64&backend=nonsense');
	await waitFrames(page, 3); // and the kiosk runs
	const cores = await page.evaluate(() => navigator.hardwareConcurrency);
	await expectLogged(page, 'config', new RegExp(`^warning: threads=64 is more than this machine's ${cores} cores?; using ${cores}$`));
	await expectLogged(page, 'config', /^warning: backend=nonsense should be webgl, wasm or cpu; choosing the backend by this machine$/);
	await expectPicture(page);
});

test.describe('a camera that sees nobody, then someone', () => {
	// 6 s of a still picture, then 3 s of a moving one, looped (scripts/make-fake-camera.mjs).
	const open = ownBrowser(fakeCameraArgs('still-then-move.y4m'), ['camera']);

	test('nobody moving: the attract loop with its text; motion: back to the camera; each change puts the settings from the address back', async () => {
		const page = await open();
		await page.goto('/kiosk?idle=2&res=64&period=4&strength=0.9');
		await expect(kiosk(page)).toHaveAttribute('data-source', 'camera', { timeout: 60_000 });
		await expect(kiosk(page)).toHaveAttribute('data-mode', 'attract', { timeout: 30_000 });
		await expect(page.getByTestId('attract')).toHaveText('Step in front of the camera…');
		await expect(kiosk(page)).toHaveAttribute('data-source', 'demo'); // the demo scene is shown; the camera stays open
		await expectLogged(page, 'attract', /^info: nobody in front of the camera for 2 s: attract loop/);
		await waitFrames(page, 2);
		await expectPicture(page);

		await expect(kiosk(page)).toHaveAttribute('data-mode', 'live', { timeout: 30_000 });
		await expect(kiosk(page)).toHaveAttribute('data-source', 'camera');
		await expect(page.getByTestId('attract')).toHaveCount(0);
		await expectLogged(page, 'attract', /^info: someone is there \(\d+\.\d % of the picture moved\): back to the camera/);
		await waitFrames(page, 2);

		// Someone changed settings (the console, a test): the next change of mode puts the address's back.
		const changes = async () => (await logged(page, 'attract')).length;
		const before = await changes();
		await page.evaluate(() => {
			const s = (window as unknown as KioskHook).__studio;
			s.mirror = false;
			s.style.strength = 0.3;
		});
		await expect.poll(changes, { timeout: 30_000 }).toBeGreaterThan(before);
		expect(await page.evaluate(() => [(window as unknown as KioskHook).__studio.mirror, (window as unknown as KioskHook).__studio.style.strength])).toEqual([true, 0.9]);
	});
});

test.describe('no camera at all', () => {
	const open = ownBrowser(BASE_ARGS, []);

	test('the demo scene cycles, and the log says why', async () => {
		const page = await open();
		await page.goto('/kiosk?res=64');
		await expect(kiosk(page)).toHaveAttribute('data-mode', 'demo');
		await expectLogged(page, 'camera', /^warning: showing the demo scene: No camera was found/);
		await waitFrames(page, 3);
		await expectPicture(page);
	});
});

test.describe('a camera the browser denies', () => {
	const open = ownBrowser(fakeCameraArgs('camera.y4m', false), []);

	test('the demo scene cycles, and the log says the camera was denied', async () => {
		const page = await open();
		await page.goto('/kiosk?res=64');
		await expect(kiosk(page)).toHaveAttribute('data-mode', 'demo');
		await expectLogged(page, 'camera', /^warning: showing the demo scene: Camera access was denied/);
		await waitFrames(page, 3);
	});
});

test('WebGL: a lost context goes on with wasm, a restored one goes back to WebGL, the models rebuilt each time; both logged', async ({ page }) => {
	test.setTimeout(240_000);
	await page.goto('/kiosk?backend=webgl&camera=0&res=64&idle=0');
	await expect(kiosk(page)).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
	await expect(page.getByTestId('kiosk-caption')).toBeVisible({ timeout: 120_000 });
	await waitFrames(page, 3, 120_000);

	await page.evaluate(() => {
		const c = document.querySelector<HTMLCanvasElement>('[data-testid=output]')!;
		const ext = c.getContext('webgl2')!.getExtension('WEBGL_lose_context')!;
		(window as unknown as { __lose: WEBGL_lose_context }).__lose = ext;
		ext.loseContext();
	});
	const lost = Date.now();
	await expect(kiosk(page)).toHaveAttribute('data-backend', 'wasm');
	const onWasm = await frame(page);
	await expect.poll(() => frame(page), { timeout: 30_000 }).toBeGreaterThan(onWasm);
	const wasmAfter = Date.now() - lost;
	await expectLogged(page, 'webgl', /^warning: WebGL context lost/);
	await expectLogged(page, 'backend', /^info: running on wasm/);
	await expect(page.getByTestId('kiosk-caption')).toBeVisible(); // the style network again, in the style worker

	await page.evaluate(() => (window as unknown as { __lose: WEBGL_lose_context }).__lose.restoreContext());
	const restored = Date.now();
	await expect(kiosk(page)).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
	const onGl = await frame(page);
	await expect.poll(() => frame(page), { timeout: 120_000 }).toBeGreaterThan(onGl);
	const glAfter = Date.now() - restored;
	await expectLogged(page, 'webgl', /^info: WebGL context restored/);
	await expectLogged(page, 'backend', /^info: running on webgl/);
	console.log(`kiosk WebGL: frames on wasm ${wasmAfter} ms after the loss, on WebGL again ${glAfter} ms after the restore (SwiftShader)`);
	await expectPicture(page);
});
