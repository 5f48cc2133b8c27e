import { type Page } from '@playwright/test';
import { browserArgs, expect, test, fakeCameraArgs, meanAbsDiff, outputPixels, readHud, sourceKind, waitFrames } from './helpers';

// The camera shows a still photo of a bald eagle (darknet's sample image from ../shared/data).
test.use({ ...browserArgs(fakeCameraArgs('eagle.y4m')), permissions: ['camera'] });

async function explaining(page: Page) {
	await page.goto('/?explain=1');
	await expect.poll(() => sourceKind(page)).toBe('camera');
	await expect(page.getByTestId('explain-panel')).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
	await expect(page.getByTestId('top-raw').locator('li').first()).toBeVisible({ timeout: 60_000 });
}

/** The live faithfulness score off: these tests are about the maps, and the score delays each change's first map. */
async function scoreOff(page: Page) {
	await page.getByTestId('cam-score-on').uncheck();
}

const updates = (page: Page) => page.getByTestId('explain-rate').getAttribute('data-hz').then(Number);

test('live labels for the camera and the stylized frame; the eagle is a bald eagle', async ({ page }) => {
	await explaining(page);
	await expect(page.getByTestId('top-raw').locator('li').first()).toHaveAttribute('data-label', 'bald eagle', { timeout: 60_000 });
	await expect(page.getByTestId('top-styled').locator('li')).toHaveCount(5, { timeout: 60_000 });
	await expect.poll(() => updates(page), { timeout: 60_000 }).toBeGreaterThan(0);
	await expect(page.getByTestId('hud-explain')).toContainText('/s'); // the HUD shows the explanation rate too
});

test('the Grad-CAM overlay changes the picture, follows the chosen class, and opacity 0 removes it', async ({ page }) => {
	await explaining(page);
	await scoreOff(page);
	await page.getByTestId('style-on').uncheck();
	await page.getByTestId('explain-target').waitFor({ state: 'detached' });
	await expect(page.getByTestId('cam-label')).toContainText('bald eagle', { timeout: 60_000 });
	await waitFrames(page, 2);
	const withCam = await outputPixels(page);
	await page.getByTestId('cam-opacity').fill('0');
	await waitFrames(page, 3);
	const without = await outputPixels(page);
	expect(meanAbsDiff(withCam, without)).toBeGreaterThan(10);

	await page.getByTestId('cam-class').fill('goldfish');
	await page.getByTestId('cam-class').press('Enter');
	await page.getByTestId('cam-class').blur();
	await expect(page.getByTestId('cam-label')).toContainText('goldfish', { timeout: 60_000 });
});

test('the faithfulness score appears beside the heat map and changes when the class changes', async ({ page }) => {
	// Two scores of 30 ResNet50 passes each, 8 with each explanation, at the explain duty cycle: minutes on a busy CPU.
	test.setTimeout(1_000_000);
	await explaining(page);
	await page.getByTestId('style-on').uncheck();
	const score = page.getByTestId('cam-score');
	await expect(score).toContainText(/removing the top 12\.5 % of this map (drops|raises) 'bald eagle' from \d+(\.\d)? % to \d+(\.\d)? %; a random 12\.5 %/, { timeout: 450_000 });
	const eagle = { text: await score.textContent(), auc: Number(await score.getAttribute('data-deletion-auc')) };
	expect(eagle.auc).toBeGreaterThanOrEqual(0);
	await page.locator('summary', { hasText: 'curves' }).click();
	await expect(page.getByTestId('cam-score-chart').locator('path')).toHaveCount(4);

	await page.getByTestId('cam-class').fill('goldfish');
	await page.getByTestId('cam-class').press('Enter');
	await page.getByTestId('cam-class').blur();
	await expect(score).toContainText("'goldfish'", { timeout: 450_000 });
	await expect(score).toHaveAttribute('data-class', '1');
	expect(await score.textContent()).not.toBe(eagle.text);
	expect(Number(await score.getAttribute('data-deletion-auc'))).not.toBe(eagle.auc);
});

for (const method of ['gradcam++', 'hirescam', 'eigencam', 'layercam', 'scorecam']) {
	test(`${method} produces a heat map`, async ({ page }) => {
		await explaining(page);
		await scoreOff(page);
		await page.getByTestId('style-on').uncheck();
		await page.getByTestId('cam-method').selectOption(method);
		await page.getByTestId('cam-opacity').fill('0');
		// The map on screen is this method's, not the first explanation's Grad-CAM.
		await expect(page.getByTestId('cam-label')).toHaveAttribute('data-method', method, { timeout: 90_000 });
		await waitFrames(page, 3);
		const plain = await outputPixels(page);
		await page.getByTestId('cam-opacity').fill('0.6');
		await expect.poll(async () => meanAbsDiff(plain, await outputPixels(page)), { timeout: 90_000 }).toBeGreaterThan(10);
	});
}

test('activation maps: a grid of channels, a click enlarges one over the frame; conv1 filters drawn', async ({ page }) => {
	await explaining(page);
	await page.getByTestId('act-on').check();
	await page.getByTestId('act-stage').selectOption('conv2');
	const grid = page.getByTestId('act-grid');
	// The first grid has arrived (the page count comes with it; a fresh canvas is 300 wide before it).
	await expect(page.getByText(/page 1\/\d+/)).toBeVisible({ timeout: 90_000 });
	expect(await grid.evaluate((c: HTMLCanvasElement) => c.width)).toBeGreaterThan(100);
	const filters = page.getByTestId('filters');
	expect(await filters.evaluate((c: HTMLCanvasElement) => c.width)).toBeGreaterThan(100);
	await grid.click({ position: { x: 5, y: 5 } });
	await expect(page.getByText(/enlarged over the frame/)).toBeVisible();
});

test('numTensors stays flat while explaining', async ({ page }) => {
	await explaining(page);
	await page.getByTestId('act-on').check();
	await expect.poll(() => updates(page), { timeout: 60_000 }).toBeGreaterThan(0);
	await waitFrames(page, 10);
	const counts: number[] = [];
	for (let i = 0; i < 6; i++) counts.push((await waitFrames(page, 8)).tensors);
	// Between explanations the kept maps are replaced one for one.
	expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(4);
	const first = counts[0];
	for (let i = 0; i < 4; i++) counts.push((await waitFrames(page, 8)).tensors);
	expect(Math.max(...counts.slice(6))).toBeLessThanOrEqual(first + 4);
	expect((await readHud(page)).backend).toBe('wasm');
});
