/**
 * Learn a style in the browser (quick preset, 2 steps, the picture's statistics at 128 px: test mode) and
 * use it like the twelve: in the studio's list with its thumbnail, live, in a blend; after a reload it is
 * still there; export, delete, import.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, waitFrames } from './helpers';

type StudioHook = { __studio: { style: { styles: { id: string; title: string }[]; weights: number[]; learnedCount: number; select(i: number): void; setWeights(w: number[]): void } } };
const styleState = (page: import('@playwright/test').Page) =>
	page.evaluate(() => {
		const s = (window as unknown as StudioHook).__studio.style;
		return { ids: s.styles.map((x) => x.id), titles: s.styles.map((x) => x.title), weights: [...s.weights], learned: s.learnedCount };
	});

test('learn a style, use it live and in a blend, keep it over a reload, export, delete, import', async ({ page }) => {
	test.setTimeout(900_000);
	await page.goto('/learn?learnSteps=2&learnSides=128&backend=wasm');
	await expect(page.getByTestId('learn-backend')).toContainText('wasm', { timeout: 240_000 });
	await page.getByTestId('learn-upload').setInputFiles(resolve('static/paintings/udnie.jpg'));
	await expect(page.getByTestId('learn-picture')).toBeVisible();
	await page.getByTestId('effort-quick').check();
	await page.getByTestId('learn-start').click();
	await expect(page.getByTestId('learn-preview')).toBeVisible({ timeout: 600_000 });
	await expect(page.getByTestId('learn-name').or(page.getByTestId('learn-error'))).toBeVisible({ timeout: 600_000 });
	await expect(page.getByTestId('learn-error')).toHaveCount(0);
	await expect(page.getByTestId('learn-notice')).toContainText('Learned in 2 steps');
	await page.getByTestId('learn-name').fill('Blue hour');
	await page.getByTestId('learn-save').click();
	await expect(page.getByTestId('learned-0')).toContainText('Blue hour');

	// In the studio: style 13, live, and in a blend.
	await page.goto('/?camera=0');
	await waitFrames(page, 2);
	await expect.poll(async () => (await styleState(page)).learned, { timeout: 120_000 }).toBe(1);
	const s = await styleState(page);
	expect(s.ids[12]).toBe('blue-hour');
	expect(s.titles[12]).toBe('Blue hour');
	await expect(page.getByTestId('style-blue-hour').locator('img')).toHaveAttribute('src', /^data:image\/png/);
	await page.getByTestId('style-blue-hour').click();
	expect((await styleState(page)).weights[12]).toBe(1);
	await waitFrames(page, 2);
	await page.evaluate(() => (window as unknown as StudioHook).__studio.style.setWeights([0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5]));
	await page.getByTestId('mode-sliders').click();
	await expect(page.getByTestId('weight-blue-hour')).toHaveValue('0.5');
	await waitFrames(page, 2);
	// A full-size still of the blend: the still's own network gets the learned row too.
	const still = page.waitForEvent('download', { timeout: 280_000 });
	await page.getByTestId('save-full-size').click();
	expect((await (await still).suggestedFilename())).toMatch(/^style-studio-full-640x480\.png$/);
	await expect(page.getByTestId('still-error')).toHaveCount(0);

	// A reload finds it; export, delete, import on /learn.
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
	await expect(page.getByTestId('learn-backend')).toContainText('wasm', { timeout: 240_000 });
	await page.getByTestId('learn-import').setInputFiles(file);
	await expect(page.getByTestId('learned-0')).toContainText('Blue hour');
	// A file for another network version is refused with a message.
	await page.getByTestId('learn-import').setInputFiles({ name: 'old.style.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...json, networkVersion: 1 })) });
	await expect(page.getByTestId('learn-error')).toContainText('version 1');
});
