import { type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { browserArgs, expect, test, fakeCameraArgs, halvesDiff, meanAbsDiff, outputPixels, outputStats, sourceKind, waitFrames } from './helpers';

// A still photo as the camera: any change in the output comes from our settings.
test.use({ ...browserArgs(fakeCameraArgs('eagle.y4m')), permissions: ['camera'] });

async function ready(page: Page, query = '') {
	await page.goto('/' + query);
	await expect.poll(() => sourceKind(page)).toBe('camera');
	await expect(page.getByTestId('style-panel')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
	await page.getByTestId('resolution').selectOption('256');
	await page.getByTestId('stabilize').uncheck(); // frames are then a pure function of the settings
	await waitFrames(page, 3);
}

/** Output after the settings settle (a couple of frames, so the last change has been drawn). */
async function settled(page: Page) {
	await waitFrames(page, 3);
	return outputPixels(page);
}

test('style changes the picture; strength 0 gives the camera image back', async ({ page }) => {
	await ready(page);
	await page.getByTestId('side-by-side').check();
	await waitFrames(page, 3);
	const s = await outputStats(page);
	expect([s.width, s.height]).toEqual([2 * 340, 256]); // original | stylized; 640×480 at short side 256, even width
	expect(await halvesDiff(page)).toBeGreaterThan(8);
	await page.getByTestId('strength').fill('0');
	await waitFrames(page, 3);
	expect(await halvesDiff(page)).toBeLessThan(1); // rounding only
});

test('a one-hot blend on the pad equals selecting that style; moving the point changes the output', async ({ page }) => {
	await ready(page);
	const first = page.getByTestId('style-picker').locator('button').first();
	await first.click();
	const selected = await settled(page);

	await page.getByTestId('mode-pad').click();
	const pad = page.getByTestId('blend-pad');
	const box = (await pad.boundingBox())!;
	await page.mouse.click(box.x + 1, box.y + 1); // top-left corner = the first style
	const corner = await settled(page);
	expect(meanAbsDiff(selected, corner)).toBeLessThan(0.5);

	await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2); // equal mix of four
	const mixed = await settled(page);
	expect(meanAbsDiff(corner, mixed)).toBeGreaterThan(2);
});

test('sliders: changing one weight changes the output on the next frames', async ({ page }) => {
	await ready(page);
	await page.getByTestId('mode-sliders').click();
	const before = await settled(page);
	const second = page.locator('[data-testid^=weight-]').nth(1);
	await second.fill('0.7');
	const after = await settled(page);
	expect(meanAbsDiff(before, after)).toBeGreaterThan(2);
});

test('auto resolution steps down when frames are slow', async ({ page }) => {
	await ready(page);
	await page.getByTestId('resolution').selectOption('auto');
	const start = Number(await page.getByTestId('auto-side').getAttribute('data-side'));
	await page.evaluate(() => ((window as any).__studio.debugDelayMs = 250)); // ~4 fps at best
	await expect.poll(async () => Number(await page.getByTestId('auto-side').getAttribute('data-side')), { timeout: 60_000 }).toBeLessThan(start);
	await expect.poll(async () => Number(await page.getByTestId('auto-side').getAttribute('data-side')), { timeout: 60_000 }).toBe(144);
	await waitFrames(page, 2);
	expect((await outputStats(page)).height).toBe(144);
});

test('snapshot downloads a PNG of the processing size', async ({ page }) => {
	await ready(page);
	const download = page.waitForEvent('download');
	await page.getByTestId('snapshot').click();
	const file = await (await download).path();
	const png = readFileSync(file);
	expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
	expect(png.readUInt32BE(16)).toBe(340); // IHDR width
	expect(png.readUInt32BE(20)).toBe(256); // IHDR height
});

test('recording yields a playable WebM with frames, with a visible indicator', async ({ page }) => {
	await ready(page);
	await page.getByTestId('record').click();
	await expect(page.getByTestId('recording')).toContainText('REC');
	await waitFrames(page, 15);
	await expect(page.getByTestId('recording')).toContainText(/kB|MB/);
	const download = page.waitForEvent('download');
	await page.getByTestId('record').click();
	const file = await (await download).path();
	expect(readFileSync(file).subarray(0, 4).toString('hex')).toBe('1a45dfa3'); // EBML
	const frames = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file])
		.toString()
		.trim();
	expect(Number(frames)).toBeGreaterThan(0);
	await expect(page.getByTestId('recording')).toHaveCount(0);
});
