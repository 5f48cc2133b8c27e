import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { BASE_ARGS, CHROMIUM } from '../../playwright.config';

/**
 * Playwright's test with the studio's test hook asked for: the page exposes `window.__studio` only
 * when this flag is set before it loads (src/routes/+page.svelte).
 */
export const test = base.extend({
	page: async ({ page }, use) => {
		await installTestHooks(page);
		await use(page);
	}
});

/** What the `test` fixture does to its page, for pages of a browser a test launches itself (another fake camera). */
export async function installTestHooks(target: Page | BrowserContext): Promise<void> {
	await target.addInitScript(() => {
		(window as unknown as { __STUDIO_TEST_HOOK__: boolean }).__STUDIO_TEST_HOOK__ = true;
	});
	// The one in-page reader of the output canvas (queryOutput and in-page loops call it).
	await target.addInitScript(`window.__readOutput = ${readOutput.toString()};`);
}
export { expect };

/** Launch options with extra Chromium flags (the browser's path stays in playwright.config.ts). */
export function browserArgs(args: string[] = BASE_ARGS) {
	return { launchOptions: { executablePath: CHROMIUM, args } };
}

export const FIXTURES = resolve('tests/fixtures/generated');

/** Chromium flags for a fake camera that plays `clip` (a y4m in tests/fixtures/generated). */
export function fakeCameraArgs(clip = 'camera.y4m', autoAllow = true): string[] {
	return [
		...BASE_ARGS,
		...(autoAllow ? ['--use-fake-ui-for-media-stream'] : []),
		'--use-fake-device-for-media-stream',
		`--use-file-for-fake-video-capture=${resolve(FIXTURES, clip)}`
	];
}

export interface PixelStats {
	width: number;
	height: number;
	mean: number;
	std: number;
	/** Mean brightness of the left and right thirds. */
	left: number;
	right: number;
	/** Cheap fingerprint of the pixels, to tell frames apart. */
	hash: number;
}

type OutputQuery = 'stats' | 'halves' | 'pixels';

/** Reads the output canvas (2D, WebGL or a worker's placeholder; or another canvas by test id) through a 2D copy and sums it up. Runs in the page. */
export function readOutput(what: OutputQuery, testid = 'output'): unknown {
	const src = document.querySelector<HTMLCanvasElement>(`[data-testid=${testid}]`);
	if (!src || src.width === 0) throw new Error('no output canvas yet');
	const c = document.createElement('canvas');
	c.width = src.width;
	c.height = src.height;
	const ctx = c.getContext('2d')!;
	ctx.drawImage(src, 0, 0);
	if (what === 'pixels') return Array.from(ctx.getImageData(0, 0, c.width, c.height).data);
	if (what === 'halves') {
		// Side by side: mean |original − processed| over the two halves (0..255).
		const half = c.width / 2;
		const a = ctx.getImageData(0, 0, half, c.height).data;
		const b = ctx.getImageData(half, 0, half, c.height).data;
		let sum = 0;
		for (let i = 0; i < a.length; i += 4) sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
		return sum / ((a.length / 4) * 3);
	}
	const d = ctx.getImageData(0, 0, c.width, c.height).data;
	let sum = 0;
	let sq = 0;
	let left = 0;
	let right = 0;
	let nl = 0;
	let nr = 0;
	let hash = 0;
	const third = c.width / 3;
	for (let i = 0, p = 0; i < d.length; i += 4, p++) {
		const v = (d[i] + d[i + 1] + d[i + 2]) / 3;
		sum += v;
		sq += v * v;
		const x = p % c.width;
		if (x < third) {
			left += v;
			nl++;
		} else if (x >= 2 * third) {
			right += v;
			nr++;
		}
		if (p % 97 === 0) hash = (hash * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) % 1_000_000_007;
	}
	const n = d.length / 4;
	const mean = sum / n;
	return { width: c.width, height: c.height, mean, std: Math.sqrt(sq / n - mean * mean), left: left / nl, right: right / nr, hash };
}

/** Sums up the output canvas in the page (readOutput, installed by the `test` fixture). */
function queryOutput(page: Page, what: 'stats', testid?: string): Promise<PixelStats>;
function queryOutput(page: Page, what: 'halves'): Promise<number>;
function queryOutput(page: Page, what: 'pixels', testid?: string): Promise<number[]>;
function queryOutput(page: Page, what: OutputQuery, testid = 'output'): Promise<unknown> {
	return page.evaluate(([what, testid]) => (window as unknown as { __readOutput(w: string, t: string): unknown }).__readOutput(what, testid), [what, testid]);
}

/** Sums up the output canvas (or the canvas with test id `testid`, e.g. the projector's picture). */
export const outputStats = (page: Page, testid?: string) => queryOutput(page, 'stats', testid);
/** Side by side: mean |original − processed| over the two halves of the output canvas (0..255). */
export const halvesDiff = (page: Page) => queryOutput(page, 'halves');
/** Raw RGBA bytes of the output canvas (or of the canvas with test id `testid`). */
export const outputPixels = (page: Page, testid?: string) => queryOutput(page, 'pixels', testid);

export interface Hud {
	backend: string;
	fps: number;
	ms: number;
	tensors: number;
	gpuBytes: number | null;
	frame: number;
}

export async function readHud(page: Page): Promise<Hud> {
	const hud = page.getByTestId('hud');
	const get = async (k: string) => (await hud.getAttribute(`data-${k}`)) ?? '';
	const gpu = await get('gpu-bytes');
	return {
		backend: await get('backend'),
		fps: Number(await get('fps')),
		ms: Number(await get('ms')),
		tensors: Number(await get('tensors')),
		gpuBytes: gpu === '' ? null : Number(gpu),
		frame: Number(await get('frame'))
	};
}

/** Waits until the live loop has drawn at least `n` more frames. */
export async function waitFrames(page: Page, n: number, timeout = 60_000): Promise<Hud> {
	const start = (await readHud(page)).frame;
	await expect.poll(async () => (await readHud(page)).frame, { timeout }).toBeGreaterThanOrEqual(start + n);
	return readHud(page);
}

export async function sourceKind(page: Page): Promise<string> {
	return (await page.getByTestId('source-kind').getAttribute('data-kind')) ?? '';
}

/**
 * Records every request the page makes (or, given a context, every page of it: popups too); `foreign()`
 * lists those that left the app's origin.
 */
export function recordRequests(target: Page | BrowserContext, origin: string) {
	const urls: string[] = [];
	const watch = (page: Page) => page.on('websocket', (ws) => urls.push(ws.url()));
	target.on('request', (r) => urls.push(r.url()));
	if ('pages' in target) {
		target.pages().forEach(watch);
		target.on('page', watch);
	} else watch(target);
	return {
		urls,
		foreign: () => urls.filter((u) => !(u.startsWith(origin + '/') || u === origin || u.startsWith('data:') || u.startsWith('blob:' + origin)))
	};
}

export function meanAbsDiff(a: number[], b: number[]): number {
	if (a.length !== b.length) return Infinity;
	let s = 0;
	for (let i = 0; i < a.length; i++) if (i % 4 !== 3) s += Math.abs(a[i] - b[i]);
	return s / ((a.length / 4) * 3);
}
