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
	// At least two taken (with fast frames the count can pass 2 between two polls).
	await expect.poll(async () => Number(await page.getByTestId('burst-count').getAttribute('data-taken')), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
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

test('an imported file with a damaged PNG and a 30000×30000 header beside good pictures: the bad ones are named and left out, the good ones get features', async ({ page }) => {
	test.setTimeout(180_000);
	await page.goto('/gallery');
	await expect(page.getByTestId('gallery-empty')).toBeVisible({ timeout: 30_000 });
	// Two real pictures, drawn and encoded by the browser.
	const pngs = await page.evaluate(async () => {
		const out: string[] = [];
		for (const colour of ['#c33', '#39c']) {
			const c = document.createElement('canvas');
			c.width = 160;
			c.height = 120;
			const ctx = c.getContext('2d')!;
			ctx.fillStyle = colour;
			ctx.fillRect(0, 0, 160, 120);
			ctx.fillStyle = '#fff';
			ctx.fillRect(40, 30, 80, 60);
			const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), 'image/png'));
			const bytes = new Uint8Array(await blob.arrayBuffer());
			out.push(btoa(String.fromCharCode(...bytes)));
		}
		return out;
	});
	const good = pngs.map((b) => Buffer.from(b, 'base64'));
	// Damaged: a real PNG's signature and header (160×120), then noise where the pictures' data should be.
	const damaged = Buffer.concat([good[0].subarray(0, 33), Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 97) % 256))]);
	// A bomb: a header that claims 30000×30000.
	const bomb = Buffer.from(good[1]);
	bomb.writeUInt32BE(30_000, 16);
	bomb.writeUInt32BE(30_000, 20);
	const entry = (id: string, data: Buffer, label: string) => ({ id, width: 160, height: 120, source: 'upload', createdAt: Date.now(), label, type: 'image/png', data: data.toString('base64') });
	const archive = {
		format: 'neural-style-studio-gallery',
		version: 1,
		exportedAt: Date.now(),
		snapshots: [entry('good-1', good[0], 'red'), entry('damaged', damaged, 'damaged'), entry('bomb', bomb, 'bomb'), entry('good-2', good[1], 'blue')]
	};
	await page.getByTestId('gallery-import').setInputFiles({ name: 'mixed.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(archive)) });
	const notice = page.getByTestId('gallery-notice');
	await expect(notice).toContainText('Imported 2 pictures from “mixed.json”; left out 2 pictures');
	await expect(notice).toContainText('“damaged” could not be decoded');
	await expect(notice).toContainText('“picture 3” is 900 megapixels; the limit is 100 megapixels');
	await expect(page.getByTestId('gallery-item')).toHaveCount(2);
	// Both good pictures get their features (the classifier loads in the worker first).
	await expect
		.poll(() => page.evaluate(() => Object.keys((window as unknown as { __gallery: { features: Record<string, unknown> } }).__gallery.features).sort()), { timeout: 150_000 })
		.toEqual(['good-1', 'good-2']);
	await expect(page.getByTestId('gallery-item').first()).not.toHaveAttribute('data-undecodable', 'true');

	// Storage damage: a stored picture's bytes no longer decode. After a reload it is marked, the others
	// keep their features, and it can be deleted.
	await page.evaluate(async (bytes) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const req = indexedDB.open('neural-style-studio', 1);
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
		await new Promise<void>((resolve, reject) => {
			const tx = db.transaction('snapshots', 'readwrite');
			tx.objectStore('snapshots').put({ id: 'broken', width: 160, height: 120, source: 'upload', createdAt: Date.now(), label: 'broken', blob: new Blob([new Uint8Array(bytes)], { type: 'image/png' }) });
			tx.oncomplete = () => resolve();
			tx.onerror = () => reject(tx.error);
		});
		db.close();
	}, [...damaged]);
	await page.reload();
	await expect(page.getByTestId('gallery-item')).toHaveCount(3);
	const broken = page.locator('[data-testid=gallery-item][data-id=broken]');
	await expect(broken).toHaveAttribute('data-undecodable', 'true', { timeout: 150_000 });
	await expect(broken).toContainText('cannot be read');
	await expect(notice).toContainText('1 picture could not be decoded');
	expect(await page.evaluate(() => Object.keys((window as unknown as { __gallery: { features: Record<string, unknown> } }).__gallery.features).sort())).toEqual(['good-1', 'good-2']);
	await broken.click();
	await page.keyboard.press('Delete');
	await expect(page.getByTestId('gallery-item')).toHaveCount(2);
});
