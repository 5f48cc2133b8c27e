import { browserArgs, expect, test, fakeCameraArgs, outputStats, sourceKind, waitFrames } from './helpers';

// A still photo as the camera, so the only change between frames is ours.
test.use({ ...browserArgs(fakeCameraArgs('eagle.y4m')), permissions: ['camera'] });

test('mirror flips the picture left to right', async ({ page }) => {
	await page.goto('/');
	await expect.poll(() => sourceKind(page)).toBe('camera');
	await expect(page.getByTestId('mirror')).toBeChecked();
	await page.getByTestId('style-on').uncheck(); // compare camera pixels, not paint
	await waitFrames(page, 3);
	const mirrored = await outputStats(page);
	await page.getByTestId('mirror').uncheck();
	await waitFrames(page, 3);
	const plain = await outputStats(page);
	expect(Math.abs(mirrored.left - mirrored.right)).toBeGreaterThan(2); // the photo is not symmetric
	expect(plain.left).toBeCloseTo(mirrored.right, 0);
	expect(plain.right).toBeCloseTo(mirrored.left, 0);
});
