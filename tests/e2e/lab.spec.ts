import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, FIXTURES, readHud, test, waitFrames } from './helpers';

type LabHook = { __lab: { numTensors(): Promise<number>; setParam(k: string, v: unknown): void; setMode(id: string): void } };

async function setMode(lab: Page, id: string, params: Record<string, unknown>) {
	await lab.getByTestId(`mode-${id}`).click();
	await lab.evaluate((p) => {
		const l = (window as unknown as LabHook).__lab;
		for (const [k, v] of Object.entries(p)) l.setParam(k, v);
	}, params);
}

const labTensors = (lab: Page) => lab.evaluate(() => (window as unknown as LabHook).__lab.numTensors());

test('studio → lab: the frame arrives, a run reports progress and can be cancelled, a result downloads, and the studio keeps running', async ({ page, context }) => {
	test.setTimeout(300_000);
	await context.addInitScript(() => ((window as unknown as { __STUDIO_TEST_HOOK__: boolean }).__STUDIO_TEST_HOOK__ = true));
	await page.goto('/?camera=0');
	await waitFrames(page, 3);

	const popup = context.waitForEvent('page');
	await page.getByTestId('send-raw-to-lab').click();
	const lab = await popup;
	await lab.waitForURL(/\/lab\?snapshot=/);
	// The studio's demo frame (640×480) arrived as the lab's input.
	await expect(lab.getByTestId('lab-input')).toHaveAttribute('data-width', '640');
	await expect(lab.getByTestId('lab-input')).toHaveAttribute('data-height', '480');
	await expect(lab.getByTestId('lab-backend')).toContainText('wasm', { timeout: 120_000 });
	await expect(lab.getByTestId('lab-caption')).toContainText('painting');

	// A long DeepDream: progress comes, the studio keeps drawing meanwhile, cancel stops it and frees its memory.
	const idle = await labTensors(lab);
	await setMode(lab, 'deepdream', { size: 128, octaves: 2, stepsPerOctave: 40 });
	await expect(lab.getByTestId('lab-uses')).toContainText('conv4');
	await lab.getByTestId('lab-run').click();
	const progress = lab.getByTestId('lab-progress');
	await expect.poll(async () => Number(await progress.getAttribute('data-done')), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
	const frameDuring = (await readHud(page)).frame;
	await expect.poll(async () => Number(await progress.getAttribute('data-done')), { timeout: 120_000 }).toBeGreaterThanOrEqual(4);
	await expect(lab.getByTestId('lab-preview')).toBeVisible();
	// On two busy cores the studio (a background tab now) may draw slowly: wait for its next frame, then
	// check the lab run was still going when it came.
	await expect.poll(async () => (await readHud(page)).frame, { timeout: 60_000 }).toBeGreaterThan(frameDuring);
	await expect(progress).toHaveCount(1);
	await lab.getByTestId('lab-cancel').click();
	await expect(lab.getByTestId('lab-notice')).toContainText('Cancelled');
	await expect(progress).toHaveCount(0);
	await expect.poll(() => labTensors(lab), { timeout: 30_000 }).toBe(idle);

	// A quick run to the end: the result, its facts, a PNG download, and "use as input".
	await setMode(lab, 'saliency', { method: 'vanilla' });
	await lab.getByTestId('lab-estimate').click();
	await expect(lab.getByTestId('lab-expected')).toContainText('Expected: about', { timeout: 120_000 });
	await lab.getByTestId('lab-run').click();
	await expect(lab.getByTestId('lab-result')).toBeVisible({ timeout: 120_000 });
	await expect(lab.getByTestId('lab-facts')).toContainText('class');
	await expect(lab.getByTestId('lab-result-of')).toContainText('Saliency');
	const download = lab.waitForEvent('download');
	await lab.getByTestId('lab-download').click();
	const file = await (await download).path();
	const png = readFileSync(file);
	expect(png.subarray(1, 4).toString()).toBe('PNG');
	expect(png.length).toBeGreaterThan(1000);
	await lab.getByTestId('lab-use-result').click();
	await expect(lab.getByTestId('lab-input')).toHaveAttribute('data-width', '224');
	await expect.poll(() => labTensors(lab), { timeout: 30_000 }).toBe(idle);
	// The studio is still live.
	await waitFrames(page, 2);
});

test('lab on its own: demo picture, bad uploads refused with a message, an error in a mode is reported', async ({ page }) => {
	test.setTimeout(180_000);
	await page.goto('/lab');
	await expect(page.getByTestId('lab-input')).toHaveAttribute('data-width', '640');
	await page.getByTestId('lab-upload').setInputFiles({ name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) });
	await expect(page.getByTestId('lab-notice')).toContainText('empty');
	await page.getByTestId('lab-upload').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
	await expect(page.getByTestId('lab-notice')).toContainText('not an image');
	await expect(page.getByTestId('lab-input')).toHaveAttribute('data-width', '640'); // nothing lost
	await expect(page.getByTestId('lab-backend')).toContainText('wasm', { timeout: 120_000 });
	// Gatys with no painting chosen: a clear message, and the lab stays ready.
	await setMode(page, 'gatys', { styles: [] });
	await page.getByTestId('lab-run').click();
	await expect(page.getByTestId('lab-error')).toContainText('Choose at least one painting');
	await expect(page.getByTestId('lab-run')).toBeEnabled();
});

test('a number out of bounds is refused before a run, with the reason beside its field; the next good run works', async ({ page }) => {
	test.setTimeout(180_000);
	await page.goto('/lab');
	await expect(page.getByTestId('lab-backend')).toContainText('wasm', { timeout: 120_000 });
	await page.getByTestId('mode-deepdream').click();
	await page.getByTestId('param-size').fill('99999');
	await page.getByTestId('param-size').press('Tab');
	await expect(page.getByTestId('param-problem-size')).toHaveText('99999 is more than 640, the most this field takes');
	await page.getByTestId('param-stepsPerOctave').fill('-5');
	await page.getByTestId('param-stepsPerOctave').press('Tab');
	await expect(page.getByTestId('param-problem-stepsPerOctave')).toHaveText('-5 is less than 1, the least this field takes');
	await expect(page.getByTestId('lab-run')).toBeDisabled();
	await expect(page.getByTestId('lab-estimate')).toBeDisabled();
	// Enter runs too: still refused, with both reasons, and nothing starts.
	await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('lab-error')).toContainText('Not started: Steps per octave: -5 is less than 1');
	await expect(page.getByTestId('lab-progress')).toHaveCount(0);
	// Fixed: the run goes, to the end.
	await page.getByTestId('param-size').fill('64');
	await page.getByTestId('param-size').press('Tab');
	await page.getByTestId('param-stepsPerOctave').fill('2');
	await page.getByTestId('param-stepsPerOctave').press('Tab');
	await expect(page.getByTestId('param-problem-size')).toHaveCount(0);
	await page.getByTestId('lab-run').click();
	await expect(page.getByTestId('lab-result')).toBeVisible({ timeout: 120_000 });
	await expect(page.getByTestId('lab-result-of')).toContainText('DeepDream');
});

test('Save full size in the lab: an upload larger than the lab works on becomes a stylized still at its own size', async ({ page }) => {
	test.setTimeout(300_000); // tiles on wasm on a busy machine
	await page.goto('/lab');
	await page.getByTestId('lab-upload').setInputFiles(resolve(FIXTURES, 'upload.png')); // 800×600
	await expect(page.getByTestId('lab-input')).toHaveAttribute('data-width', '640'); // the lab's copy
	await expect(page.getByTestId('still-style').locator('option')).toHaveCount(12);
	await page.getByTestId('still-style').selectOption({ label: 'The Great Wave off Kanagawa' });
	const download = page.waitForEvent('download', { timeout: 280_000 });
	await page.getByTestId('save-full-size').click();
	await expect(page.getByTestId('still-progress')).toBeVisible();
	const png = readFileSync(await (await download).path());
	expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
	expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([800, 600]);
	await expect(page.getByTestId('still-error')).toHaveCount(0);
	await expect(page.getByTestId('save-full-size')).toBeVisible();
});

/**
 * Breaks the wasm backend of the lab worker it runs in, for real: every tensor id the backend has handed
 * out is re-registered in the backend's C++ tensor table (`wasm.tfjs.disposeData` + `registerTensor`, the
 * calls tfjs makes itself) at an address near the top of the 4 GiB address space, past the end of the
 * module's memory. The network's weights are among them, so the next kernel that reads one (the first
 * convolution) loads from there: a WebAssembly.RuntimeError, "memory access out of bounds".
 */
function breakWasmBackend(): { ids: number; memoryBytes: number } {
	type WasmModule = {
		HEAPU8: Uint8Array;
		tfjs: { disposeData(id: number): void; registerTensor(id: number, size: number, offset: number): void };
	};
	const engine = (self as unknown as { _tfengine: { backendName: string; backendInstance: { wasm: WasmModule; dataIdNextNumber: number } } })._tfengine;
	if (engine.backendName !== 'wasm') throw new Error(`the lab worker runs on ${engine.backendName}, not wasm`);
	const { wasm, dataIdNextNumber } = engine.backendInstance;
	const memoryBytes = wasm.HEAPU8.buffer.byteLength;
	const pastTheEnd = 0xffffff00;
	if (memoryBytes >= pastTheEnd) throw new Error(`the wasm memory (${memoryBytes} bytes) reaches the address the test uses`);
	for (let id = 1; id < dataIdNextNumber; id++) {
		wasm.tfjs.disposeData(id);
		wasm.tfjs.registerTensor(id, 1, pastTheEnd);
	}
	return { ids: dataIdNextNumber - 1, memoryBytes };
}

test('a run that hits a real wasm trap is reported, the lab worker is restarted, and the next run works without a reload', async ({ page }) => {
	test.setTimeout(180_000);
	await page.goto('/lab');
	await expect(page.getByTestId('lab-backend')).toContainText('wasm', { timeout: 120_000 });
	const worker = page.workers().find((w) => /lab\.worker/.test(w.url()));
	if (!worker) throw new Error(`no lab worker among ${page.workers().map((w) => w.url()).join(', ')}`);
	const closed = new Promise<void>((resolve) => worker.once('close', () => resolve()));
	const broken = await worker.evaluate(breakWasmBackend);
	expect(broken.ids).toBeGreaterThan(100); // ResNet50's weights, at least

	await page.getByTestId('mode-saliency').click();
	await page.getByTestId('lab-run').click();
	await expect(page.getByTestId('lab-error')).toContainText('memory access out of bounds', { timeout: 60_000 });
	await expect(page.getByTestId('lab-error')).toContainText('The lab worker was restarted');
	await closed; // the broken worker is gone
	await expect(page.getByTestId('lab-result')).toHaveCount(0);

	// The same page, a fresh worker: the run goes to the end.
	await page.getByTestId('lab-run').click();
	await expect(page.getByTestId('lab-result')).toBeVisible({ timeout: 120_000 });
	await expect(page.getByTestId('lab-result-of')).toContainText('Saliency');
	await expect(page.getByTestId('lab-error')).toHaveCount(0);
	expect(page.workers().filter((w) => /lab\.worker/.test(w.url()))).toHaveLength(1);
});
