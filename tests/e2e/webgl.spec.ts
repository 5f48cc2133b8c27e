import { expect, test, outputStats, readHud, sourceKind, waitFrames } from './helpers';

// The path real users with a GPU take; here it runs on SwiftShader, slowly, at the demo's size.
test('WebGL draws frames from the GPU, survives a lost context on wasm, and goes back to WebGL when it is restored', async ({ page }) => {
	test.setTimeout(240_000);
	await page.goto('/?backend=webgl&camera=0');
	await expect.poll(() => sourceKind(page)).toBe('demo');
	const hud = await waitFrames(page, 3);
	expect(hud.backend).toBe('webgl');
	expect(hud.gpuBytes).not.toBeNull();
	await expect(page.getByTestId('hud')).toHaveAttribute('data-pipeline', 'main');
	const a = await outputStats(page);
	expect(a.std).toBeGreaterThan(10);
	await waitFrames(page, 3);
	expect((await outputStats(page)).hash).not.toBe(a.hash);

	await page.evaluate(() => {
		const c = document.querySelector<HTMLCanvasElement>('[data-testid=output]')!;
		const ext = c.getContext('webgl2')!.getExtension('WEBGL_lose_context')!;
		(window as unknown as { __lose: WEBGL_lose_context }).__lose = ext;
		ext.loseContext();
	});
	await expect(page.getByTestId('studio-notice')).toContainText('WebGL context lost');
	await expect.poll(async () => (await readHud(page)).backend).toBe('wasm');
	await expect(page.getByTestId('hud')).toHaveAttribute('data-pipeline', 'worker');
	await waitFrames(page, 3);
	expect((await outputStats(page)).std).toBeGreaterThan(10);

	// The card comes back: the studio returns to WebGL by itself.
	await page.evaluate(() => (window as unknown as { __lose: WEBGL_lose_context }).__lose.restoreContext());
	await expect.poll(async () => (await readHud(page)).backend, { timeout: 60_000 }).toBe('webgl');
	await expect(page.getByTestId('studio-notice')).toContainText('WebGL again');
	await waitFrames(page, 3);
	expect((await outputStats(page)).std).toBeGreaterThan(10);
});
