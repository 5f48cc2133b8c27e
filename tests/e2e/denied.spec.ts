import { browserArgs, expect, test, fakeCameraArgs, sourceKind, waitFrames } from './helpers';

// A camera exists, but the permission prompt is answered "block".
test.use({ ...browserArgs(fakeCameraArgs('camera.y4m', false)), permissions: [] });

test('a denied camera says so and shows the demo', async ({ page }) => {
	await page.goto('/');
	await expect.poll(() => sourceKind(page)).toBe('demo');
	await expect(page.getByTestId('notice')).toContainText(/denied/);
	await waitFrames(page, 3);
});
