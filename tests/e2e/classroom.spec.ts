import { type Page } from '@playwright/test';
import { SHORTCUTS } from '../../src/lib/classroom/shortcuts';
import { expect, installTestHooks, meanAbsDiff, outputPixels, outputStats, readOutput, test, waitFrames } from './helpers';

// A laptop screen; the demo scene (no camera) is the picture.
test.use({ viewport: { width: 1280, height: 720 } });

interface StudioView {
	selected: number;
	weights: number[];
	strength: number;
	resolution: string | number;
	frozen: boolean;
	mirror: boolean;
	styleName: string | null;
	rawTop: string | null;
}

const studio = (page: Page): Promise<StudioView> =>
	page.evaluate(() => {
		const w = window as unknown as { __studio: any; __classroom: any };
		const s = w.__studio;
		return {
			selected: s.style.selected,
			weights: [...s.style.weights],
			strength: s.style.strength,
			resolution: s.style.resolution,
			frozen: s.frozen !== null,
			mirror: s.mirror,
			styleName: w.__classroom.styleName,
			rawTop: s.explain.rawTop[0]?.label ?? null
		};
	});

/** Opens the studio on the demo scene, style ready, stabilization off (frames are then a pure function of the input and settings). */
async function open(page: Page) {
	await page.goto('/?camera=0');
	await expect(page.getByTestId('style-panel')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
	await page.evaluate(() => ((window as unknown as { __studio: any }).__studio.style.stabilize = false));
}

/**
 * The output once two frames in a row are the same (a frozen frame with fixed settings), as RGBA bytes.
 * It first lets the frame in flight finish: that one may have started before the last change.
 */
async function stableOutput(page: Page): Promise<number[]> {
	await waitFrames(page, 2);
	let last = (await outputStats(page)).hash;
	await expect
		.poll(
			async () => {
				await waitFrames(page, 1);
				const now = (await outputStats(page)).hash;
				const same = now === last;
				last = now;
				return same;
			},
			{ timeout: 60_000 }
		)
		.toBe(true);
	return outputPixels(page);
}

test('first screen, keys, freeze frame and the ? overlay', async ({ page }) => {
	test.setTimeout(150_000); // a busy CI machine: about 40 s on a quiet one
	await open(page);

	// At 1280×720, without scrolling: the picture, the style picker and the explanations' switch.
	for (const id of ['output', 'style-picker', 'explain-on', 'intro']) {
		const box = (await page.getByTestId(id).boundingBox())!;
		expect(box, id).not.toBeNull();
		expect(box.y + box.height, id).toBeLessThanOrEqual(720);
		expect(box.x + box.width, id).toBeLessThanOrEqual(1280);
	}

	// r: next resolution (auto → 256p); the frames follow.
	await page.keyboard.press('r');
	expect((await studio(page)).resolution).toBe(256);
	await expect.poll(async () => (await outputStats(page)).height, { timeout: 30_000 }).toBe(256);

	// Space freezes: the output stops changing (the demo scene moves), with a badge.
	expect((await studio(page)).frozen).toBe(false);
	await page.keyboard.press(' ');
	await expect(page.getByTestId('frozen-badge')).toBeVisible();
	expect((await studio(page)).frozen).toBe(true);
	const first = await stableOutput(page);

	// → next style: a different picture of the same frozen frame; 1 goes back to the first style, exactly.
	await page.keyboard.press('ArrowRight');
	expect((await studio(page)).selected).toBe(1);
	const second = await stableOutput(page);
	expect(meanAbsDiff(first, second)).toBeGreaterThan(2);
	await page.keyboard.press('1');
	expect((await studio(page)).selected).toBe(0);
	expect(meanAbsDiff(first, await stableOutput(page))).toBeLessThan(0.5);

	// Shift+→ blends 25 % toward the next style; − lowers the strength by 10 %.
	await page.keyboard.press('Shift+ArrowRight');
	const blended = await studio(page);
	expect(blended.weights[0]).toBeCloseTo(0.75, 5);
	expect(blended.weights[1]).toBeCloseTo(0.25, 5);
	expect(blended.styleName).toMatch(/^75 % .* \+ 25 % /);
	await page.keyboard.press('-');
	await page.keyboard.press('-');
	expect((await studio(page)).strength).toBeCloseTo(0.8, 5);
	const mixed = await stableOutput(page);
	expect(meanAbsDiff(first, mixed)).toBeGreaterThan(1);

	// Keys are the field's while typing in it.
	const mirror = (await studio(page)).mirror;
	await page.getByTestId('burst-every').focus();
	await page.keyboard.press('m');
	expect((await studio(page)).mirror).toBe(mirror);
	await page.getByTestId('burst-every').blur();

	// k unfreezes: the picture moves again.
	await page.keyboard.press('k');
	await expect(page.getByTestId('frozen-badge')).toBeHidden();
	const a = await outputPixels(page);
	await expect.poll(async () => meanAbsDiff(a, await outputPixels(page)), { timeout: 30_000 }).toBeGreaterThan(0.5);

	// ? lists every key of the table; focus stays in it; keys do nothing behind it; Esc and ? close it.
	await page.keyboard.press('?');
	const help = page.getByTestId('shortcut-help');
	await expect(help).toBeVisible();
	await expect(help.locator('[data-action]')).toHaveCount(SHORTCUTS.length);
	for (const s of SHORTCUTS) await expect(help.locator(`[data-action="${s.id}"]`)).toContainText(s.label);
	for (let i = 0; i < 3; i++) {
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.closest('[data-testid=shortcut-help]') != null)).toBe(true);
	}
	await page.keyboard.press('m');
	expect((await studio(page)).mirror).toBe(mirror);
	await page.keyboard.press('Escape');
	await expect(help).toBeHidden();
	await page.keyboard.press('?');
	await expect(help).toBeVisible();
	await page.keyboard.press('?');
	await expect(help).toBeHidden();
	// A close whose (queued) close event arrives after the overlay was opened again does not shut it: keys jump the
	// event queue on a busy page, so Esc and a quick ? used to end with the overlay closed.
	await page.evaluate(async () => {
		const w = window as unknown as { __classroom: { helpOpen: boolean } };
		w.__classroom.helpOpen = true;
		await new Promise((r) => requestAnimationFrame(r));
		w.__classroom.helpOpen = false; // closes the dialog in the next microtask; its close event is a later task
		await Promise.resolve();
		await Promise.resolve();
		w.__classroom.helpOpen = true; // open again before that close event is delivered
		await new Promise((r) => setTimeout(r, 50));
	});
	await expect(help).toBeVisible();
	expect(await page.evaluate(() => (window as unknown as { __classroom: { helpOpen: boolean } }).__classroom.helpOpen)).toBe(true);
	await page.keyboard.press('Escape');
	await expect(help).toBeHidden();

	// p: the presenter layout's panels (camera | stylized), and back.
	await page.keyboard.press('p');
	await expect(page.getByTestId('presenter-view').locator('[data-panel]')).toHaveCount(2);
	await page.keyboard.press('p');
	await expect(page.getByTestId('presenter-view')).toHaveCount(0);
	await expect(page.getByTestId('output')).toBeVisible();

	// Tab reaches every visible control, each with the focus ring.
	const controls = await page.evaluate(() => {
		(document.activeElement as HTMLElement | null)?.blur();
		const all = [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], summary, [tabindex]')];
		const shown = all.filter((e) => e.offsetParent !== null && !(e as HTMLButtonElement).disabled && e.tabIndex >= 0);
		shown.forEach((e, i) => (e.dataset.tabCheck = String(i)));
		return shown.length;
	});
	const reached = new Set<string>();
	for (let i = 0; i < controls + 5; i++) {
		await page.keyboard.press('Tab');
		const at = await page.evaluate(() => {
			const e = document.activeElement as HTMLElement | null;
			return e?.dataset.tabCheck ? { id: e.dataset.tabCheck, ring: getComputedStyle(e).outlineWidth } : null;
		});
		if (!at) continue;
		reached.add(at.id);
		expect(at.ring).toBe('3px');
	}
	expect(controls).toBeGreaterThan(30);
	expect(reached.size).toBe(controls);
});

test('the projector window (/present) follows the teacher’s window', async ({ page, context }) => {
	test.setTimeout(180_000); // ResNet50 loads for the labels
	// The projector window is a popup: it gets the test hook and the pixel reader too.
	await context.addInitScript(`window.__STUDIO_TEST_HOOK__ = true; window.__readOutput = ${readOutput.toString()};`);
	await open(page);
	await page.keyboard.press('r'); // 256p: quick frames

	const popup = page.waitForEvent('popup');
	await page.keyboard.press('o');
	const projector = await popup;
	await expect(projector.getByTestId('present')).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
	await expect(page.getByTestId('projector-status')).toBeVisible();
	await expect(projector.getByTestId('present-labels')).toHaveCount(0);

	// Explanations on (e) while the rest goes on: the classifier loads meanwhile. c: no heat map over the
	// picture, so a frozen frame's output stays the same.
	await page.keyboard.press('e');
	await page.keyboard.press('c');

	// Frozen: the projector shows the teacher's picture, pixel for pixel (bitmaps are not recompressed).
	await page.keyboard.press('k');
	const first = await stableOutput(page);
	await expect.poll(async () => meanAbsDiff(first, await outputPixels(projector, 'present-picture')), { timeout: 30_000 }).toBeLessThan(1);
	await expect(projector.getByTestId('present-frozen')).toBeVisible();

	// A new style on the teacher's side shows on the projector, with its name.
	await page.keyboard.press('ArrowRight');
	const second = await stableOutput(page);
	expect(meanAbsDiff(first, second)).toBeGreaterThan(2);
	await expect.poll(async () => meanAbsDiff(second, await outputPixels(projector, 'present-picture')), { timeout: 30_000 }).toBeLessThan(1);
	await expect(projector.getByTestId('present-style')).toHaveText((await studio(page)).styleName!);

	// The network's labels appear on the projector once explanations run; t hides them there.
	await expect(projector.getByTestId('present-labels')).toBeVisible({ timeout: 120_000 });
	const top = (await studio(page)).rawTop!;
	await expect(projector.getByTestId('present-labels')).toContainText(top);
	await page.keyboard.press('t');
	await expect(projector.getByTestId('present-labels')).toBeHidden();

	// The teacher's window reloads: the projector waits, then follows the new one.
	await page.reload();
	await expect(projector.getByTestId('present-waiting')).toBeVisible();
	await expect(page.getByTestId('style-panel')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
	await expect(projector.getByTestId('present')).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
});

test('two studio windows, one projector: it follows the window last used, says which, and never mixes them; o pressed again reuses the window', async ({ page, context }) => {
	test.setTimeout(180_000);
	await installTestHooks(context); // the second tab and the projector get the hooks too
	await open(page);
	await page.keyboard.press('r');
	const popup = page.waitForEvent('popup');
	await page.keyboard.press('o');
	const projector = await popup;
	await expect(projector.getByTestId('present')).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
	const idOf = (p: Page) => p.evaluate(() => (window as unknown as { __classroom: { windowId: string } }).__classroom.windowId);
	const a = await idOf(page);
	await expect(projector.getByTestId('present')).toHaveAttribute('data-following', a);
	await expect(projector.getByTestId('present-following')).toHaveText(`studio window ${a}`);

	// A second studio tab, on another style.
	const second = await context.newPage();
	await open(second);
	await second.keyboard.press('r');
	await second.keyboard.press('ArrowRight'); // a key: this window takes the projector
	const b = await idOf(second);
	expect(b).not.toBe(a);
	await expect(projector.getByTestId('present')).toHaveAttribute('data-following', b, { timeout: 30_000 });
	await expect(projector.getByTestId('present-style')).toHaveText((await studio(second)).styleName!, { timeout: 30_000 });
	await expect(page.getByTestId('projector-other')).toBeVisible({ timeout: 10_000 });
	await expect(second.getByTestId('projector-status')).toBeVisible();
	// A key in the first window takes it back, with the first window's style.
	await page.keyboard.press('ArrowLeft');
	await expect(projector.getByTestId('present')).toHaveAttribute('data-following', a, { timeout: 30_000 });
	await expect(projector.getByTestId('present-style')).toHaveText((await studio(page)).styleName!, { timeout: 30_000 });
	expect((await studio(page)).styleName).not.toBe((await studio(second)).styleName);

	// o five times more: the same projector window comes to the front, no new one opens.
	const before = context.pages().length;
	for (let i = 0; i < 5; i++) await page.keyboard.press('o');
	await expect(projector.getByTestId('present')).toHaveAttribute('data-status', 'live');
	expect(context.pages().length).toBe(before);
	expect(projector.isClosed()).toBe(false);
});
