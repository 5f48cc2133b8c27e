/**
 * The picture people keep (issue 25), with the fake camera: keep colours makes the output's
 * chrominance follow the camera frame's; Save full size downloads a still at the camera's full
 * resolution (a 40 MP upload at 4096 px, with a message); a new gallery offers sample pictures, and
 * any picture there becomes a full-size still; on a phone (390×844, touch) the first screen is the
 * picture and the styles.
 */
import { type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { browserArgs, expect, fakeCameraArgs, FIXTURES, outputPixels, sourceKind, test, waitFrames } from './helpers';

test.use({ ...browserArgs(fakeCameraArgs('eagle.y4m')), permissions: ['camera'] });

async function ready(page: Page) {
	await page.goto('/');
	await expect.poll(() => sourceKind(page)).toBe('camera');
	await expect(page.getByTestId('style-panel')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
	await page.getByTestId('resolution').selectOption('256');
	await page.getByTestId('stabilize').uncheck();
	await waitFrames(page, 3);
}

/** Side by side (camera left, output right): mean |Cb| and |Cr| differences of the two halves (BT.601, 0..255). */
async function chromaGap(page: Page): Promise<number> {
	await waitFrames(page, 3);
	const px = await outputPixels(page);
	const dims = await page.evaluate(() => {
		const c = document.querySelector<HTMLCanvasElement>('[data-testid=output]')!;
		return { w: c.width, h: c.height };
	});
	const half = dims.w / 2;
	let sum = 0;
	for (let y = 0; y < dims.h; y++) {
		for (let x = 0; x < half; x++) {
			const a = (y * dims.w + x) * 4;
			const b = a + half * 4;
			const cb = (i: number) => -0.168736 * px[i] - 0.331264 * px[i + 1] + 0.5 * px[i + 2];
			const cr = (i: number) => 0.5 * px[i] - 0.418688 * px[i + 1] - 0.081312 * px[i + 2];
			sum += Math.abs(cb(a) - cb(b)) + Math.abs(cr(a) - cr(b));
		}
	}
	return sum / (half * dims.h * 2);
}

test('keep colours: the chrominance follows the camera frame, the painting’s comes back when off', async ({ page }) => {
	await ready(page);
	await page.getByTestId('side-by-side').check();
	await page.keyboard.press('k'); // freeze: the same camera frame for every comparison
	const painting = await chromaGap(page);
	await page.keyboard.press('u'); // keep colours (the amount starts at the photo's)
	await expect(page.getByTestId('keep-colours')).toBeChecked();
	const photo = await chromaGap(page);
	console.log(`mean chroma gap camera − output: painting's colours ${painting.toFixed(1)}, photo's ${photo.toFixed(1)} (0..255)`);
	expect(photo).toBeLessThan(4);
	expect(painting).toBeGreaterThan(2 * photo);
	await page.keyboard.press('u');
	await expect(page.getByTestId('keep-colours')).not.toBeChecked();
	expect(Math.abs((await chromaGap(page)) - painting)).toBeLessThan(1);
});

test('Save full size downloads a PNG at the camera’s full resolution', async ({ page }) => {
	test.setTimeout(300_000); // tiles on wasm on a busy machine
	await ready(page);
	const cam = await page.evaluate(() => {
		const s = (window as unknown as { __studio: { source: { current: { width: number; height: number } } } }).__studio.source.current;
		return { width: s.width, height: s.height };
	});
	expect(cam.width).toBeGreaterThan(256);
	const download = page.waitForEvent('download', { timeout: 280_000 });
	await page.getByTestId('save-full-size').click();
	await expect(page.getByTestId('still-progress')).toBeVisible();
	const file = await (await download).path();
	const png = readFileSync(file);
	expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
	expect(png.readUInt32BE(16)).toBe(cam.width);
	expect(png.readUInt32BE(20)).toBe(cam.height);
	await expect(page.getByTestId('still-size')).toHaveAttribute('data-width', String(cam.width));
	await expect(page.getByTestId('still-error')).toHaveCount(0);
});

test('a 40 MP upload: the full-size still is made at 4096 px with a message that says so; cancel stops it', async ({ page }) => {
	await ready(page);
	await page.getByTestId('upload').setInputFiles(resolve(FIXTURES, 'big-40mp.png'));
	await expect.poll(() => sourceKind(page), { timeout: 60_000 }).toBe('image');
	await page.getByTestId('save-full-size').click();
	await expect(page.getByTestId('still-message')).toContainText('8000×5000');
	await expect(page.getByTestId('still-message')).toContainText('4096×2560');
	await expect(page.getByTestId('still-progress')).toBeVisible();
	await page.getByTestId('still-cancel').click();
	await expect(page.getByTestId('save-full-size')).toBeVisible();
	await expect(page.getByTestId('still-error')).toHaveCount(0);
});

test('a new gallery offers the sample pictures; Save full size makes any of them a still at its own size', async ({ page, context }) => {
	test.setTimeout(300_000);
	await context.addInitScript(() => ((window as unknown as { __STUDIO_TEST_HOOK__: boolean }).__STUDIO_TEST_HOOK__ = true));
	await page.goto('/gallery');
	await page.getByTestId('gallery-samples').click();
	await expect(page.getByTestId('gallery-count')).toHaveAttribute('data-count', '12');
	await page.getByTestId('gallery-item').first().click();
	const meta = await page.evaluate(() => {
		const m = (window as unknown as { __gallery: { selectedMeta: { width: number; height: number; source: string } } }).__gallery.selectedMeta;
		return { width: m.width, height: m.height, source: m.source };
	});
	expect(meta.source).toBe('sample');
	await expect(page.getByTestId('still-style').locator('option')).toHaveCount(12);
	const download = page.waitForEvent('download', { timeout: 280_000 });
	await page.getByTestId('save-full-size').click();
	const png = readFileSync(await (await download).path());
	expect(png.readUInt32BE(16)).toBe(meta.width);
	expect(png.readUInt32BE(20)).toBe(meta.height);
	await expect(page.getByTestId('still-error')).toHaveCount(0);
});

test.describe('on a phone', () => {
	test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

	test('the first screen is the picture and the styles; HUD closed, classroom controls one tap away', async ({ page }) => {
		await page.goto('/');
		await expect.poll(() => sourceKind(page)).toBe('camera');
		await expect(page.getByTestId('style-panel')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
		await expect.poll(() => page.evaluate(() => document.querySelector<HTMLCanvasElement>('[data-testid=output]')?.width ?? 0)).toBeGreaterThan(0);
		for (const id of ['output', 'style-picker']) {
			const box = (await page.getByTestId(id).boundingBox())!;
			expect(box, id).not.toBeNull();
			expect(box.y, id).toBeLessThan(844 - 60); // it starts on the first screen, a row of styles at least
			expect(box.x + box.width, id).toBeLessThanOrEqual(390);
		}
		const out = (await page.getByTestId('output').boundingBox())!;
		expect(out.y + out.height).toBeLessThanOrEqual(844);
		await expect(page.getByTestId('hud')).toHaveCount(0);
		await expect(page.getByTestId('classroom-bar')).toBeHidden();
		await page.getByTestId('classroom-toggle').tap();
		await expect(page.getByTestId('classroom-bar')).toBeVisible();
		// No horizontal scrolling (the message names what sticks out).
		const wide = await page.evaluate(() =>
			[...document.querySelectorAll<HTMLElement>('body *')]
				.filter((e) => e.getBoundingClientRect().right > 391 && e.getClientRects().length > 0)
				.slice(0, 8)
				.map((e) => `${e.tagName.toLowerCase()}.${e.className} ${e.dataset.testid ?? ''} → ${Math.round(e.getBoundingClientRect().right)}`)
		);
		expect(wide).toEqual([]);
	});
});
