// docs/gallery-{grid,neighbours,map,patches}.png: the gallery's four views on 30 ImageNet photos in six
// groups (scripts/gallery-archive.mjs), driven through the built app in Chromium (imported as a gallery
// file, features and t-SNE in the gallery worker on wasm). Prints the measured times.
//
//   npm run build && node scripts/gallery-screenshots.mjs [--port=4191]
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_ARGS, CHROMIUM, servePreview } from './browser.mjs';
import { CLASS_PHOTOS, makeGalleryArchive } from './gallery-archive.mjs';
import { ROOT } from './shared-data.mjs';

const PORT = Number(process.argv.find((a) => a.startsWith('--port='))?.split('=')[1] ?? 4191);
const file = join(mkdtempSync(join(tmpdir(), 'gallery-')), 'class-gallery.json');
writeFileSync(file, makeGalleryArchive(CLASS_PHOTOS));

const server = await servePreview(PORT);
const base = server.base;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: BASE_ARGS });
try {
	const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
	page.on('console', (m) => m.type() === 'error' && console.error('page:', m.text()));
	page.on('pageerror', (e) => console.error('page error:', e.message));
	await page.goto(`${base}/gallery`);
	await page.getByTestId('gallery-import').setInputFiles(file);
	await page.getByTestId('gallery-count').filter({ hasText: '30 pictures' }).waitFor();
	await page.getByTestId('gallery-feature-time').waitFor({ timeout: 300_000 });
	console.log('features of 30:', await page.getByTestId('gallery-feature-time').textContent(), 's');
	await page.getByTestId('gallery-notice').getByRole('button').click();
	await page.getByTestId('gallery-item').nth(2).click();
	// Screenshots in 256 colours (ffmpeg's palette filters), to stay well under 300 KB each.
	const shot = async (name) => {
		const out = join(ROOT, `docs/gallery-${name}.png`);
		const raw = `${file}.${name}.png`;
		await page.screenshot({ path: raw });
		execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', raw, '-vf', 'split[a][b];[a]palettegen=max_colors=256:stats_mode=full[p];[b][p]paletteuse=dither=bayer:bayer_scale=3', `${raw}.pal.png`]);
		renameSync(`${raw}.pal.png`, out);
		console.log(`docs/gallery-${name}.png: ${Math.round(statSync(out).size / 1024)} KB`);
	};
	await shot('grid');
	await page.getByTestId('view-neighbours').click();
	await page.getByTestId('nn-item').first().waitFor();
	await shot('neighbours');
	await page.getByTestId('view-map').click();
	await page.locator('[data-testid=map-kind][data-kind=tsne]').waitFor({ timeout: 300_000 });
	await page.getByTestId('map-progress').waitFor({ state: 'detached', timeout: 300_000 });
	console.log('map:', await page.getByTestId('map-kind').textContent());
	await shot('map');
	await page.getByTestId('view-patches').click();
	await page.getByTestId('patches-layer').selectOption('conv3');
	await page.getByTestId('patch-item').first().waitFor({ timeout: 300_000 });
	await page.getByTestId('patches-strong').first().click();
	await page.waitForTimeout(1000);
	await shot('patches');
} finally {
	await browser.close();
	server.stop();
}
