import { BASE_ARGS } from '../../playwright.config';
import { browserArgs, expect, test, outputStats, readHud, sourceKind, waitFrames } from './helpers';

// No fake device: this machine has no camera at all.
test.use({ ...browserArgs(BASE_ARGS) });

test('with no camera the demo scene runs and the message says why', async ({ page }) => {
	await page.goto('/');
	await expect.poll(() => sourceKind(page)).toBe('demo');
	await expect(page.getByTestId('notice')).toContainText(/demo scene/);
	await waitFrames(page, 3);
	const a = await outputStats(page);
	expect(a.std).toBeGreaterThan(10);
	await waitFrames(page, 10);
	const b = await outputStats(page);
	expect(b.hash).not.toBe(a.hash); // the scene is animated
	expect((await readHud(page)).backend).toBe('wasm');
});

test('?camera=0 starts on the demo without asking', async ({ page }) => {
	await page.goto('/?camera=0');
	await expect.poll(() => sourceKind(page)).toBe('demo');
	await expect(page.getByTestId('notice')).toHaveCount(0);
});
