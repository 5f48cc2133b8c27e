import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { resolve } from 'node:path';
import { expect, FIXTURES, test, waitFrames } from './helpers';

type GalleryHook = { __gallery: { numTensors(): Promise<number> } };
const workerTensors = (page: Page) => page.evaluate(() => (window as unknown as GalleryHook).__gallery.numTensors());
const distances = async (page: Page, column: string) =>
	(await page.getByTestId(column).getByTestId('nn-item').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-distance')))));

test('burst → gallery → neighbours → map → patches; a corrupt import is refused; delete and clear', async ({ page, context }, info) => {
	test.setTimeout(240_000);
	await context.addInitScript(() => ((window as unknown as { __STUDIO_TEST_HOOK__: boolean }).__STUDIO_TEST_HOOK__ = true));

	// The studio on its demo scene: a burst of 6 frames, one every 0.5 s, with a running counter.
	await page.goto('/?camera=0');
	await waitFrames(page, 3);
	await page.getByTestId('burst-every').fill('0.5');
	await page.getByTestId('burst-frames').fill('6');
	await page.getByTestId('burst-start').click();
	await expect(page.getByTestId('burst-count')).toBeVisible();
	await expect(page.getByTestId('gallery-link')).toContainText('+6', { timeout: 30_000 });
	await expect(page.getByTestId('burst-count')).toHaveCount(0);
	// One more with "To gallery".
	await page.getByTestId('to-gallery').click();
	await expect(page.getByTestId('gallery-link')).toContainText('+7');

	// The gallery: 7 pictures; features computed once in the worker, with progress.
	await page.goto('/gallery?tsne=120');
	await expect(page.getByTestId('gallery-count')).toHaveAttribute('data-count', '7');
	await expect(page.getByTestId('gallery-item')).toHaveCount(7);
	await expect(page.getByTestId('gallery-backend')).toContainText('wasm', { timeout: 120_000 });
	await expect(page.getByTestId('gallery-feature-time')).toBeVisible({ timeout: 120_000 });
	await expect(page.getByTestId('gallery-features')).toHaveCount(0);

	// A corrupt file is refused with a message; nothing is lost.
	const bad = info.outputPath('broken-gallery.json');
	writeFileSync(bad, '{"format": "neural-style-studio-gallery", "version": 1, "snapshots": [{"id": "x"');
	await page.getByTestId('gallery-import').setInputFiles(bad);
	await expect(page.getByTestId('gallery-notice')).toContainText('was not imported');
	await expect(page.getByTestId('gallery-notice')).toContainText('The gallery is unchanged');
	await expect(page.getByTestId('gallery-count')).toHaveAttribute('data-count', '7');

	// Neighbours: two columns of 6 with distances, nearest first.
	await page.getByTestId('gallery-item').nth(1).click();
	await page.keyboard.press('2');
	await expect(page.getByTestId('nn-features').getByTestId('nn-item')).toHaveCount(6);
	await expect(page.getByTestId('nn-pixels').getByTestId('nn-item')).toHaveCount(6);
	for (const col of ['nn-features', 'nn-pixels']) {
		const d = await distances(page, col);
		expect(d).toEqual([...d].sort((a, b) => a - b));
		expect(d[0]).toBeGreaterThanOrEqual(0);
	}

	// The map: PCA at once, then t-SNE in the worker with progress, then the finished layout.
	await page.keyboard.press('3');
	await expect(page.getByTestId('map-canvas')).toBeVisible();
	await expect(page.locator('[data-testid=map-kind][data-kind=tsne]')).toBeVisible({ timeout: 60_000 });
	await expect(page.getByTestId('map-kind')).toContainText('s in the worker', { timeout: 60_000 });
	await expect(page.getByTestId('map-progress')).toHaveCount(0);
	await expect(page.getByTestId('map-legend').locator('li').first()).toBeVisible();
	await page.getByTestId('map-canvas').hover();
	await page.mouse.wheel(0, -300);

	// Patches: a stage, its strongest channel, one patch per picture, strongest first; no tensors left behind.
	const idle = await workerTensors(page);
	await page.keyboard.press('4');
	await page.getByTestId('patches-layer').selectOption('conv3');
	await expect(page.getByTestId('patches-rf')).toContainText('99×99');
	await expect(page.getByTestId('patch-item')).toHaveCount(7, { timeout: 60_000 });
	await page.getByTestId('patches-strong').first().click();
	const values = await page.getByTestId('patch-item').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
	expect(values).toEqual([...values].sort((a, b) => b - a));
	expect(values[0]).toBeGreaterThan(0);
	expect(await workerTensors(page)).toBe(idle);

	// Delete one; clear all asks first.
	await page.keyboard.press('1');
	await page.getByTestId('gallery-delete').click();
	await expect(page.getByTestId('gallery-count')).toHaveAttribute('data-count', '6');
	await page.getByTestId('gallery-clear').click();
	await page.getByTestId('gallery-clear-no').click();
	await expect(page.getByTestId('gallery-count')).toHaveAttribute('data-count', '6');
	await page.getByTestId('gallery-clear').click();
	await page.getByTestId('gallery-clear-yes').click();
	await expect(page.getByTestId('gallery-empty')).toBeVisible();
	await page.reload();
	await expect(page.getByTestId('gallery-empty')).toBeVisible();
});

test('a burst stops on demand; uploads are checked; export and import the gallery as one file', async ({ page }, info) => {
	test.setTimeout(120_000);
	await page.goto('/?camera=0');
	await waitFrames(page, 2);
	await page.getByTestId('burst-every').fill('0.5');
	await page.getByTestId('burst-frames').fill('50');
	await page.getByTestId('burst-start').click();
	await expect(page.getByTestId('burst-count')).toHaveAttribute('data-taken', '2', { timeout: 10_000 });
	// On busy cores the click may land a frame or two later: the burst stops at the click (one more may be taken while it travels, one in flight).
	const atStop = Number(await page.getByTestId('burst-count').getAttribute('data-taken'));
	await page.getByTestId('burst-stop').click();
	await expect(page.getByTestId('burst-count')).toHaveCount(0);
	const taken = Number((await page.getByTestId('gallery-link').textContent())?.match(/\+(\d+)/)?.[1]);
	expect(taken).toBeGreaterThanOrEqual(Math.max(2, atStop));
	expect(taken).toBeLessThanOrEqual(atStop + 2);
	expect(taken).toBeLessThan(50);
	await page.goto('/gallery');
	await expect(page.getByTestId('gallery-count')).toHaveAttribute('data-count', String(taken));
	// Uploads: the studio's checks; a good picture is added, an empty file is refused with its name.
	await page.getByTestId('gallery-upload').setInputFiles([resolve(FIXTURES, 'upload.png'), resolve(FIXTURES, 'empty.png')]);
	await expect(page.getByTestId('gallery-notice')).toContainText('Added 1.');
	await expect(page.getByTestId('gallery-notice')).toContainText('“empty.png” is empty');
	await expect(page.getByTestId('gallery-count')).toHaveAttribute('data-count', String(taken + 1));
	const download = page.waitForEvent('download');
	await page.getByTestId('gallery-export').click();
	const file = info.outputPath('gallery.json');
	await (await download).saveAs(file);
	await page.getByTestId('gallery-clear').click();
	await page.getByTestId('gallery-clear-yes').click();
	await expect(page.getByTestId('gallery-empty')).toBeVisible();
	await page.getByTestId('gallery-import').setInputFiles(file);
	await expect(page.getByTestId('gallery-notice')).toContainText(`Imported ${taken + 1} pictures`);
	await expect(page.getByTestId('gallery-item')).toHaveCount(taken + 1);
});
