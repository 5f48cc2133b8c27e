import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { browserArgs, expect, fakeCameraArgs, FIXTURES, recordRequests, sourceKind, test, waitFrames } from './helpers';

/**
 * The Content-Security-Policy (scripts/csp.mjs, docs/hosting.md) is in force — as a header on every
 * response of the preview server and as a <meta> in every page — and the app runs under it without a
 * single violation: the studio with wasm threads and explanations, the lab, the gallery.
 */

// A fake camera, so the studio's camera path runs under the policy too.
test.use({ ...browserArgs(fakeCameraArgs()), permissions: ['camera'] });

/** Policy text → directive → sources. */
function parsePolicy(text: string): Map<string, string[]> {
	return new Map(
		text
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((d) => d[0])
			.map(([name, ...sources]) => [name, sources])
	);
}

/** Sources that name no other origin: keywords, hashes, and blob: (URLs the page makes itself). */
const LOCAL_SOURCE = /^('self'|'none'|'wasm-unsafe-eval'|'unsafe-hashes'|'sha256-[A-Za-z0-9+/=]+'|blob:)$/;

/**
 * Records CSP violations: the documents' securitypolicyviolation events, and CSP messages on the console of
 * the pages and their workers — in every page of the context, so a popup (the projector window) is watched too.
 */
async function watchCsp(page: Page) {
	const events: string[] = [];
	const messages: string[] = [];
	const context = page.context();
	await context.exposeFunction('__cspViolation', (v: string) => events.push(v));
	// On the window, not the document: a popup opened with a same-origin URL keeps the Window of its first
	// (about:blank) document, where the init script ran, but gets a new document.
	await context.addInitScript(() =>
		window.addEventListener('securitypolicyviolation', (e) =>
			(window as unknown as { __cspViolation(v: string): void }).__cspViolation(
				`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} by the ${/frame-ancestors/.test(e.originalPolicy) ? 'header' : 'meta'} policy`
			)
		)
	);
	const onText = (where: string) => (text: string) => {
		if (/Content.Security.Policy|Refused to/i.test(text)) messages.push(`${where}: ${text}`);
	};
	const watch = (p: Page) => {
		p.on('console', (m) => onText(`page ${p.url()}`)(m.text()));
		p.on('pageerror', (e) => onText('page error')(e.message));
		p.on('worker', (w) => w.on('console', (m) => onText(`worker ${w.url()}`)(m.text())));
	};
	watch(page);
	context.on('page', watch);
	return { events, messages };
}

test('the policy is a header on pages, workers, the service worker and files, and a <meta> in every page; strict and local only', async ({ request }) => {
	const worker = readdirSync('build/_app/immutable/workers').find((f) => /^style\.worker-[\w-]+\.js$/.test(f));
	expect(worker, 'the style worker is built').toBeTruthy();
	const headers: string[] = [];
	for (const path of ['/', '/lab', '/gallery', '/kiosk', '/present', `/_app/immutable/workers/${worker}`, '/service-worker.js', '/models/style-net/weights.bin', '/tfjs-wasm/tfjs-backend-wasm-threaded-simd.wasm', '/manifest.webmanifest']) {
		const res = await request.get(path);
		expect(res.ok(), path).toBe(true);
		const csp = res.headers()['content-security-policy'];
		expect(csp, `${path} has the header`).toBeTruthy();
		headers.push(csp);
	}
	expect(new Set(headers).size, 'one policy for every response').toBe(1);
	// The build's header files for other hosts (npm run build writes them) carry the same policy.
	expect(readFileSync('build/_headers', 'utf8')).toContain(`  Content-Security-Policy: ${headers[0]}\n`);
	expect(readFileSync('build/nginx-headers.conf', 'utf8')).toContain(`add_header Content-Security-Policy "${headers[0]}" always;`);

	const header = parsePolicy(headers[0]);
	expect(header.get('default-src')).toEqual(["'self'"]);
	expect(header.get('object-src')).toEqual(["'none'"]);
	expect(header.get('frame-ancestors')).toEqual(["'none'"]);
	expect(header.get('base-uri')).toEqual(["'self'"]);
	expect(header.get('connect-src')).toEqual(["'self'"]);
	const scripts = header.get('script-src')!;
	expect(scripts).not.toContain("'unsafe-eval'");
	expect(scripts).not.toContain("'unsafe-inline'");
	expect(header.get('style-src')).toEqual(["'self'"]);
	for (const [name, sources] of header) for (const s of sources) expect(s, `${name} names no other origin`).toMatch(LOCAL_SOURCE);

	// Each page's <meta> policy (SvelteKit's, with its inline script's hash): the header allows all it allows.
	for (const path of ['/', '/lab', '/gallery', '/kiosk', '/present']) {
		const html = await (await request.get(path)).text();
		const meta = /<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(html);
		expect(meta, `${path} has the <meta>`).not.toBeNull();
		const metaScripts = parsePolicy(meta![1]).get('script-src')!;
		expect(metaScripts.filter((s) => s.startsWith("'sha256-")).length, `${path}: its inline script is allowed by hash`).toBeGreaterThan(0);
		expect(scripts).toEqual(expect.arrayContaining(metaScripts));
	}
});

test('the studio on the camera, with wasm threads and explanations, runs without a violation, asks nothing of another origin, and eval is refused', async ({ page, baseURL }) => {
	test.setTimeout(180_000);
	const csp = await watchCsp(page);
	const requests = recordRequests(page, baseURL!);
	await page.goto('/?backend=wasm&threads=2&styleWorkers=1&explain=1');
	await expect.poll(() => sourceKind(page)).toBe('camera');
	// The wasm threads are workers made from blobs that load a blob (script-src and worker-src blob:).
	await expect.poll(async () => Number(await page.getByTestId('hud').getAttribute('data-threads')), { timeout: 60_000 }).toBe(2);
	await waitFrames(page, 5, 90_000);
	await expect(page.getByTestId('top-raw').locator('li').first()).toBeVisible({ timeout: 120_000 });
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	expect(csp.events).toEqual([]);
	expect(csp.messages).toEqual([]);
	expect(requests.foreign()).toEqual([]);

	// eval from the page's own code (a timer, not Playwright's evaluation, which DevTools exempts) is refused,
	// and reported once by each policy, the header's and the meta's — so the watch above would have seen any
	// other violation too.
	await page.evaluate(() =>
		setTimeout(() => {
			try {
				eval('1');
				document.body.dataset.eval = 'ran';
			} catch (e) {
				document.body.dataset.eval = (e as Error).name;
			}
		})
	);
	await expect(page.locator('body')).toHaveAttribute('data-eval', 'EvalError');
	await expect.poll(() => [...csp.events].sort()).toEqual([
		expect.stringMatching(/^script-src blocked eval .* by the header policy$/),
		expect.stringMatching(/^script-src blocked eval .* by the meta policy$/)
	]);
});


test('the lab (a saliency run) and the gallery (an upload) run without a violation and ask nothing of another origin', async ({ page, baseURL }) => {
	test.setTimeout(180_000);
	const csp = await watchCsp(page);
	const requests = recordRequests(page, baseURL!);
	await page.goto('/lab');
	await expect(page.getByTestId('lab-backend')).toContainText('wasm', { timeout: 120_000 });
	await page.getByTestId('mode-saliency').click();
	await page.getByTestId('lab-run').click();
	await expect(page.getByTestId('lab-result')).toBeVisible({ timeout: 120_000 });
	await page.goto('/gallery');
	await expect(page.getByTestId('gallery-backend')).toContainText('wasm', { timeout: 120_000 });
	// An uploaded picture is shown from a blob URL (img-src blob:).
	await page.getByTestId('gallery-upload').setInputFiles(resolve(FIXTURES, 'upload.png'));
	await expect(page.getByTestId('gallery-item').locator('img')).toHaveJSProperty('complete', true);
	expect(await page.getByTestId('gallery-item').locator('img').evaluate((img: HTMLImageElement) => [img.src.slice(0, 5), img.naturalWidth > 0])).toEqual(['blob:', true]);
	expect(csp.events).toEqual([]);
	expect(csp.messages).toEqual([]);
	expect(requests.foreign()).toEqual([]);
});

test('the kiosk, and the projector window following the studio, run without a violation and ask nothing of another origin', async ({ page, context, baseURL }) => {
	test.setTimeout(180_000);
	const csp = await watchCsp(page);
	const requests = recordRequests(context, baseURL!);

	// The kiosk on the camera, cycling with quick cross-fades.
	await page.goto('/kiosk?period=3&fade=1&res=96');
	const frame = async () => Number(await page.getByTestId('kiosk').getAttribute('data-frame'));
	await expect.poll(frame, { timeout: 90_000 }).toBeGreaterThanOrEqual(10);

	// The studio, and its projector window (a popup fed over a BroadcastChannel with bitmaps).
	await page.goto('/?camera=0');
	await expect(page.getByTestId('style-panel')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
	const popup = page.waitForEvent('popup');
	await page.keyboard.press('o');
	const projector = await popup;
	await expect(projector.getByTestId('present')).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
	await expect.poll(async () => Number(await projector.getByTestId('present').getAttribute('data-frames'))).toBeGreaterThanOrEqual(3);
	expect(requests.urls.some((u) => u.endsWith('/present'))).toBe(true);
	expect(csp.events).toEqual([]);
	expect(csp.messages).toEqual([]);
	expect(requests.foreign()).toEqual([]);

	// The watch reaches the popup: an eval there is refused and reported by both policies.
	await projector.evaluate(() => setTimeout(() => eval('1')));
	await expect.poll(() => csp.events.length).toBe(2);
});
