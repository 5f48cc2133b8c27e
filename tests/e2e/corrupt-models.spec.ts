import { expect, test, outputStats, sourceKind, waitFrames } from './helpers';

test('a truncated style-network file gives a clear message and the live view keeps running', async ({ page }) => {
	await page.route('**/models/style-net/weights.bin', async (route) => {
		const res = await route.fetch();
		const body = await res.body();
		await route.fulfill({ response: res, body: body.subarray(0, body.length >> 1) });
	});
	await page.goto('/?camera=0');
	await expect(page.getByTestId('style-error')).toContainText(/style network could not be loaded/);
	await expect(page.getByTestId('style-panel')).toHaveAttribute('data-status', 'failed');
	expect(await sourceKind(page)).toBe('demo');
	await waitFrames(page, 5);
	expect((await outputStats(page)).std).toBeGreaterThan(10);
});

test('a corrupt classifier file gives a clear message and the studio keeps running', async ({ page }) => {
	await page.route('**/models/resnet50/model.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"modelTopology": ' }));
	await page.goto('/?camera=0');
	await page.getByTestId('explain-on').check();
	await expect(page.getByTestId('explain-error')).toContainText(/classifier could not be loaded/);
	await waitFrames(page, 5);
});
