import { resolve } from 'node:path';
import { expect, test, FIXTURES, outputStats, sourceKind, waitFrames } from './helpers';

test.beforeEach(async ({ page }) => {
	await page.goto('/?camera=0');
	await expect.poll(() => sourceKind(page)).toBe('demo');
	await page.getByTestId('style-on').uncheck(); // sizes below are the plain pipeline's (short side 480)
	await waitFrames(page, 2);
});

test('a normal image becomes the source', async ({ page }) => {
	await page.getByTestId('upload').setInputFiles(resolve(FIXTURES, 'upload.png'));
	await expect.poll(() => sourceKind(page)).toBe('image');
	await waitFrames(page, 2);
	const s = await outputStats(page);
	expect([s.width, s.height]).toEqual([640, 480]); // 800×600 processed at short side 480
	expect(s.std).toBeGreaterThan(20);
});

test('a 40-megapixel image is downscaled, not refused', async ({ page }) => {
	await page.getByTestId('upload').setInputFiles(resolve(FIXTURES, 'big-40mp.png'));
	await expect.poll(() => sourceKind(page), { timeout: 60_000 }).toBe('image');
	await expect(page.getByTestId('notice')).toContainText('Downscaled from 8000 × 5000 to 1920 × 1200');
	await waitFrames(page, 2);
	const s = await outputStats(page);
	expect([s.width, s.height]).toEqual([768, 480]);
});

/** A file that is not an image at all (a text file), as a browser's file picker would hand it over. */
const notAnImage = { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('these are my notes, not a picture\n') };

for (const [file, message] of [
	['empty.png', /empty \(0 bytes\)/],
	[notAnImage, /“notes\.txt” is not an image we can read \(text\/plain\)/],
	['corrupt.jpg', /could not be decoded/],
	// refused from its header before decoding: the decoder would have reported a damaged file instead
	['bomb.png', /1600 megapixels; the limit is 100 megapixels/]
] as const) {
	const name = typeof file === 'string' ? file : file.name;
	test(`${name} is refused with a message and the live source stays`, async ({ page }) => {
		await page.getByTestId('upload').setInputFiles(typeof file === 'string' ? resolve(FIXTURES, file) : file);
		await expect(page.getByTestId('notice')).toContainText(message);
		expect(await sourceKind(page)).toBe('demo');
		await waitFrames(page, 3); // still running
	});
}
