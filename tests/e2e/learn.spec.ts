/**
 * Learn a style in the browser from a crop of the picture (quick preset, 2 steps, the picture's statistics
 * at 128 px: test mode) and use it like the twelve: in an open studio's list at once (no reload) with its
 * thumbnail, live, on the projector window, in a blend; after a reload it is still there; export, delete
 * (the open studio's blend goes on without it), import.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, installTestHooks, test, waitFrames } from './helpers';

type StudioHook = { __studio: { style: { styles: { id: string; title: string }[]; weights: number[]; learnedCount: number; select(i: number): void; setWeights(w: number[]): void } } };
const styleState = (page: import('@playwright/test').Page) =>
	page.evaluate(() => {
		const s = (window as unknown as StudioHook).__studio.style;
		return { ids: s.styles.map((x) => x.id), titles: s.styles.map((x) => x.title), weights: [...s.weights], learned: s.learnedCount };
	});

test('learn a style from a crop, see it in an open studio and the projector at once, keep it over a reload, export, delete, import', async ({ page, context }) => {
	test.setTimeout(900_000);
	await installTestHooks(context); // the studio's tab and the projector's popup get the hooks too
	await page.goto('/learn?learnSteps=2&learnSides=128&backend=wasm');
	await expect(page.getByTestId('learn-backend')).toContainText('wasm', { timeout: 240_000 });
	await page.getByTestId('learn-upload').setInputFiles(resolve('static/paintings/udnie.jpg'));
	await expect(page.getByTestId('learn-picture')).toBeVisible();

	// Crop: a rectangle dragged over the picture, then one key (Shift+← narrows it); the targets come from it.
	const crop = page.getByTestId('learn-crop');
	await crop.scrollIntoViewIfNeeded();
	const box = (await crop.boundingBox())!;
	await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.1);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 4 });
	await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.9, { steps: 4 });
	await page.mouse.up();
	const rect = async () => ((await crop.getAttribute('data-crop')) ?? '').split(',').map(Number);
	const picW = Number(await page.getByTestId('learn-picture').getAttribute('data-width'));
	const picH = Number(await page.getByTestId('learn-picture').getAttribute('data-height'));
	const [dx, dy, dw, dh] = await rect();
	expect(Math.abs(dx - 0.2 * picW)).toBeLessThan(0.03 * picW);
	expect(Math.abs(dy - 0.1 * picH)).toBeLessThan(0.03 * picH);
	expect(Math.abs(dw - 0.6 * picW)).toBeLessThan(0.03 * picW);
	expect(Math.abs(dh - 0.8 * picH)).toBeLessThan(0.03 * picH);
	await crop.press('Shift+ArrowLeft'); // one step: 1 % of the long side
	const [cx, cy, cw, ch] = await rect();
	expect([cx, cy, cw, ch]).toEqual([dx, dy, dw - Math.round(Math.max(picW, picH) / 100), dh]);
	await expect(page.getByTestId('learn-crop-size')).toContainText(`learns from the crop, ${cw}×${ch}`);
	expect(await page.evaluate(() => {
		const img = (window as unknown as { __learn: { styleImage: { width: number; height: number } } }).__learn.styleImage;
		return [img.width, img.height];
	})).toEqual([cw, ch]);

	await page.getByTestId('effort-quick').check();
	await page.getByTestId('learn-start').click();
	await expect(page.getByTestId('learn-preview')).toBeVisible({ timeout: 600_000 });
	await expect(page.getByTestId('learn-name').or(page.getByTestId('learn-error'))).toBeVisible({ timeout: 600_000 });
	await expect(page.getByTestId('learn-error')).toHaveCount(0);
	await expect(page.getByTestId('learn-notice')).toContainText('Learned in 2 steps');

	// A studio open in another tab before the style is saved: it appears there without a reload.
	const studio = await context.newPage();
	await studio.goto('/?camera=0');
	await waitFrames(studio, 2, 120_000);
	await expect.poll(async () => (await styleState(studio)).ids.length).toBe(12);
	await page.getByTestId('learn-name').fill('Blue hour');
	await page.getByTestId('learn-save').click();
	await expect(page.getByTestId('learned-0')).toContainText('Blue hour');
	await expect.poll(async () => (await styleState(studio)).learned, { timeout: 60_000 }).toBe(1);
	const s = await styleState(studio);
	expect(s.ids[12]).toBe('blue-hour');
	expect(s.titles[12]).toBe('Blue hour');
	await expect(studio.getByTestId('learned-count')).toHaveText('(1 learned)');
	await expect(studio.getByTestId('style-blue-hour').locator('img')).toHaveAttribute('src', /^data:image\/png/);
	await studio.getByTestId('style-blue-hour').click();
	expect((await styleState(studio)).weights[12]).toBe(1);
	await waitFrames(studio, 2);
	await studio.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

	// The projector window shows the learned style's frames and its name.
	const popup = studio.waitForEvent('popup');
	await studio.keyboard.press('o');
	const projector = await popup;
	await expect(projector.getByTestId('present')).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
	await expect(projector.getByTestId('present-style')).toHaveText('Blue hour — learned on this device');
	await expect.poll(async () => Number(await projector.getByTestId('present').getAttribute('data-frames'))).toBeGreaterThan(1);
	await projector.close();

	await studio.evaluate(() => (window as unknown as StudioHook).__studio.style.setWeights([0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5]));
	await studio.getByTestId('mode-sliders').click();
	await expect(studio.getByTestId('weight-blue-hour')).toHaveValue('0.5');
	await waitFrames(studio, 2);
	// A full-size still of the blend: the still's own network gets the learned row too.
	const still = studio.waitForEvent('download', { timeout: 280_000 });
	await studio.getByTestId('save-full-size').click();
	expect((await (await still).suggestedFilename())).toMatch(/^style-studio-full-640x480\.png$/);
	await expect(studio.getByTestId('still-error')).toHaveCount(0);

	// A reload finds it; export, delete (the open studio's blend goes on without it), import (back in the studio).
	await page.goto('/learn?backend=wasm');
	await expect(page.getByTestId('learned-0')).toContainText('Blue hour');
	const download = page.waitForEvent('download');
	await page.getByTestId('learned-export-0').click();
	const file = await (await download).path();
	const json = JSON.parse(readFileSync(file, 'utf8'));
	expect(json.format).toBe('neural-style-studio/learned-style');
	expect(json.row).toHaveLength(3264);
	await page.getByTestId('learned-delete-0').click();
	await expect(page.getByTestId('learned-0')).toHaveCount(0);
	await expect.poll(async () => (await styleState(studio)).ids.length, { timeout: 60_000 }).toBe(12);
	expect((await styleState(studio)).weights).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
	await expect(studio.getByTestId('studio-notice')).toContainText('“Blue hour” was deleted: the blend goes on without it');
	await waitFrames(studio, 2);
	await expect(page.getByTestId('learn-backend')).toContainText('wasm', { timeout: 240_000 });
	await page.getByTestId('learn-import').setInputFiles(file);
	await expect(page.getByTestId('learned-0')).toContainText('Blue hour');
	await expect.poll(async () => (await styleState(studio)).learned, { timeout: 60_000 }).toBe(1);
	await studio.close();
	// A file for another network version is refused with a message.
	await page.getByTestId('learn-import').setInputFiles({ name: 'old.style.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...json, networkVersion: 1 })) });
	await expect(page.getByTestId('learn-error')).toContainText('version 1');
});

test('learn a style inside the studio: the live picture keeps going, the saved style joins the list and is used at once', async ({ page }) => {
	test.setTimeout(600_000);
	await page.goto('/?camera=0&backend=wasm&learnSteps=2&learnSides=128');
	await waitFrames(page, 2, 120_000);
	await expect.poll(async () => (await styleState(page)).ids.length).toBe(12);
	await page.getByTestId('learn-here').locator('summary').click();
	await expect(page.getByTestId('learn-here').locator('[data-status]')).toHaveAttribute('data-status', 'ready', { timeout: 240_000 });
	await page.getByTestId('learn-here-upload').setInputFiles(resolve('static/paintings/great_wave.jpg'));
	await page.getByTestId('learn-here-effort').selectOption('quick');
	await expect(page.getByTestId('learn-here-effort')).toContainText('Quick (2 steps)');
	const before = await readFrames(page);
	await page.getByTestId('learn-here-start').click();
	await expect(page.getByTestId('learn-here-progress')).toBeVisible();
	// The live picture goes on while it learns (the learner is in its own worker).
	await expect.poll(() => readFrames(page), { timeout: 120_000 }).toBeGreaterThan(before + 2);
	await expect(page.getByTestId('learn-here-name')).toBeVisible({ timeout: 600_000 });
	await expect(page.getByTestId('learn-here-preview')).toBeVisible();
	await expect(page.getByTestId('learn-here-message')).toContainText('Learned in 2 steps');
	await page.getByTestId('learn-here-name').fill('Wave here');
	await page.getByTestId('learn-here-save').click();
	await expect.poll(async () => (await styleState(page)).learned, { timeout: 60_000 }).toBe(1);
	await expect(page.getByTestId('learned-count')).toHaveText('(1 learned)');
	await page.getByTestId('style-wave-here').click();
	expect((await styleState(page)).weights[12]).toBe(1);
	await waitFrames(page, 2);
});

const readFrames = (page: import('@playwright/test').Page) => page.evaluate(() => (window as unknown as { __studio: { hud: { frame: number } } }).__studio.hud.frame);
