import { expect, test } from '@playwright/test';
import { outputStats, readHud, sourceKind, waitFrames } from './helpers';

// The path real users with a GPU take; here it runs on SwiftShader, slowly, at the demo's size.
test('WebGL draws frames from the GPU and survives a lost context by moving to wasm', async ({ page }) => {
	await page.goto('/?backend=webgl&camera=0');
	await expect.poll(() => sourceKind(page)).toBe('demo');
	const hud = await waitFrames(page, 3);
	expect(hud.backend).toBe('webgl');
	expect(hud.gpuBytes).not.toBeNull();
	const a = await outputStats(page);
	expect(a.std).toBeGreaterThan(10);
	await waitFrames(page, 3);
	expect((await outputStats(page)).hash).not.toBe(a.hash);

	await page.evaluate(() => {
		const c = document.querySelector<HTMLCanvasElement>('[data-testid=output]')!;
		c.getContext('webgl2')!.getExtension('WEBGL_lose_context')!.loseContext();
	});
	await expect(page.getByTestId('notice')).toContainText('WebGL context lost');
	await expect.poll(async () => (await readHud(page)).backend).toBe('wasm');
	await waitFrames(page, 3);
	expect((await outputStats(page)).std).toBeGreaterThan(10);
});
