import { browserArgs, expect, test, fakeCameraArgs, outputStats, readHud, recordRequests, sourceKind, waitFrames } from './helpers';

test.use({ ...browserArgs(fakeCameraArgs('camera.y4m')), permissions: ['camera'] });

test('camera frames reach the output canvas, on wasm under SwiftShader, all requests same-origin', async ({ page, baseURL }) => {
	const requests = recordRequests(page, baseURL!);
	await page.goto('/');
	await expect.poll(() => sourceKind(page)).toBe('camera');
	await page.getByTestId('style-on').uncheck(); // the plain camera pipeline
	await waitFrames(page, 5);

	const hud = await readHud(page);
	expect(hud.backend).toBe('wasm');
	await expect(page.getByTestId('backend-reason')).toContainText(/software-rendered \(.*SwiftShader/);

	const a = await outputStats(page);
	expect(a.width).toBe(640);
	expect(a.height).toBe(480);
	expect(a.std).toBeGreaterThan(20); // a real picture, not a blank canvas
	await waitFrames(page, 10);
	const b = await outputStats(page);
	expect(b.hash).not.toBe(a.hash); // the moving test pattern moves

	await page.waitForLoadState('networkidle');
	expect(requests.urls.length).toBeGreaterThan(3);
	expect(requests.foreign()).toEqual([]);
});

test('numTensors stays flat while the loop runs', async ({ page }) => {
	await page.goto('/');
	await expect.poll(() => sourceKind(page)).toBe('camera');
	const first = await waitFrames(page, 5);
	const samples: number[] = [];
	for (let i = 0; i < 5; i++) samples.push((await waitFrames(page, 10)).tensors);
	expect(new Set([first.tensors, ...samples]).size).toBe(1);
});

test('the page is cross-origin isolated, so wasm may use threads', async ({ page }) => {
	await page.goto('/');
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
});

test('a camera that goes away falls back to the demo, and comes back on devicechange', async ({ page }) => {
	await page.goto('/');
	await expect.poll(() => sourceKind(page)).toBe('camera');
	await page.evaluate(() => {
		const v = (window as any).__studio.source.current.element as HTMLVideoElement;
		const track = (v.srcObject as MediaStream).getVideoTracks()[0];
		track.dispatchEvent(new Event('ended'));
	});
	await expect.poll(() => sourceKind(page)).toBe('demo');
	await expect(page.getByTestId('notice')).toContainText('disconnected');
	await waitFrames(page, 3);
	await page.evaluate(() => navigator.mediaDevices.dispatchEvent(new Event('devicechange')));
	await expect.poll(() => sourceKind(page)).toBe('camera');
	await expect(page.getByTestId('notice')).toHaveCount(0);
});

test('switching away from the camera stops its track', async ({ page }) => {
	await page.goto('/');
	await expect.poll(() => sourceKind(page)).toBe('camera');
	await page.evaluate(() => {
		const v = (window as any).__studio.source.current.element as HTMLVideoElement;
		(window as any).__track = (v.srcObject as MediaStream).getVideoTracks()[0];
	});
	expect(await page.evaluate(() => (window as any).__track.readyState)).toBe('live');
	await page.getByTestId('use-demo').click();
	await expect.poll(() => sourceKind(page)).toBe('demo');
	expect(await page.evaluate(() => (window as any).__track.readyState)).toBe('ended');
	await page.getByTestId('use-camera').click();
	await expect.poll(() => sourceKind(page)).toBe('camera');
});
