// The gallery's two numbers (issue 15), through the built app in Chromium (the gallery worker; wasm here):
// - features of N snapshots (default 100 distinct ImageNet photos, imported as a gallery file): seconds
//   for the pictures alone (the classifier's load is not in it), from the gallery's own timer;
// - t-SNE of 500 points (5 Gaussian blobs in 2048-d, like unit-length features) in the worker, 1000
//   steps (Barnes-Hut beyond 300 points), while the page's main thread is watched: longest task and
//   longest gap between animation frames during the run.
//
//   const r = await benchGallery(browser, 'http://127.0.0.1:4173', { log: console.log });
//   galleryMarkdown(r)
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeGalleryArchive } from '../scripts/gallery-archive.mjs';
import { requireSharedData } from '../scripts/shared-data.mjs';

export async function benchGallery(browser, base, { count = 100, points = 500, iterations = 1000, threads = null, log = console.log } = {}) {
	const photos = readdirSync(requireSharedData('content', 'imagenet'))
		.filter((f) => f.endsWith('.jpg'))
		.sort()
		.filter((_, i, all) => i % Math.floor(all.length / count) === 0)
		.slice(0, count)
		.map((f) => `imagenet/${f}`);
	const file = join(mkdtempSync(join(tmpdir(), 'gallery-bench-')), 'gallery.json');
	writeFileSync(file, makeGalleryArchive(photos, { width: 320 }));

	const page = await browser.newPage();
	await page.addInitScript(() => (window.__STUDIO_TEST_HOOK__ = true));
	await page.goto(`${base}/gallery${threads ? `?threads=${threads}` : ''}`);
	await page.waitForFunction(() => window.__gallery?.backend != null, null, { timeout: 300_000 });
	const info = await page.evaluate(() => ({ backend: window.__gallery.backend, threads: window.__gallery.threads }));
	log(`gallery worker on ${info.backend} (${info.threads} thread(s)): features of ${photos.length} pictures…`);
	await page.getByTestId('gallery-import').setInputFiles(file);
	await page.waitForFunction((n) => window.__gallery.featureRun?.count === n, photos.length, { timeout: 900_000, polling: 1000 });
	const featureMs = await page.evaluate(() => window.__gallery.featureRun.ms);
	log(`  ${(featureMs / 1000).toFixed(1)} s (${(featureMs / photos.length).toFixed(0)} ms per picture)`);

	log(`t-SNE of ${points} points, ${iterations} steps, in the worker…`);
	const tsne = await page.evaluate(
		async ({ points, iterations }) => {
			// 5 blobs in 2048-d, unit length (the gallery feeds t-SNE unit-length features).
			let seed = 1;
			const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
			const d = 2048;
			const data = new Float32Array(points * d);
			for (let i = 0; i < points; i++) {
				let s = 0;
				for (let k = 0; k < d; k++) {
					const v = (k % 5 === i % 5 ? 1 : 0) + 0.3 * (rand() - 0.5);
					data[i * d + k] = v;
					s += v * v;
				}
				for (let k = 0; k < d; k++) data[i * d + k] /= Math.sqrt(s);
			}
			const longTasks = [];
			const obs = new PerformanceObserver((l) => longTasks.push(...l.getEntries().map((e) => e.duration)));
			obs.observe({ type: 'longtask' });
			let maxGap = 0;
			let last = performance.now();
			let running = true;
			const tick = (t) => {
				maxGap = Math.max(maxGap, t - last);
				last = t;
				if (running) requestAnimationFrame(tick);
			};
			requestAnimationFrame(tick);
			let method = '';
			const t0 = performance.now();
			await window.__gallery.client.tsne(data, points, d, { iterations }, (p) => (method = p.method));
			const ms = performance.now() - t0;
			running = false;
			obs.disconnect();
			return { ms, method, longestTaskMs: Math.max(0, ...longTasks), longTasks: longTasks.length, maxFrameGapMs: maxGap };
		},
		{ points, iterations }
	);
	log(`  ${(tsne.ms / 1000).toFixed(1)} s (${tsne.method}); main thread: longest task ${tsne.longestTaskMs.toFixed(0)} ms, longest frame gap ${tsne.maxFrameGapMs.toFixed(0)} ms`);
	await page.close();
	return { ...info, features: { count: photos.length, ms: featureMs }, tsne: { points, iterations, ...tsne } };
}

export function galleryMarkdown(r) {
	if (!r || r.error) return `## Gallery\n\n${r?.error ?? 'not run'}\n`;
	return [
		'## Gallery',
		'',
		`Gallery worker on ${r.backend} (${r.threads} thread(s)).`,
		'',
		'| what | result |',
		'| --- | --- |',
		`| features of ${r.features.count} snapshots (ResNet50 pooled + top-1 + 32×32) | ${(r.features.ms / 1000).toFixed(1)} s (${(r.features.ms / r.features.count).toFixed(0)} ms each) |`,
		`| t-SNE of ${r.tsne.points} points, ${r.tsne.iterations} steps (${r.tsne.method}), in the worker | ${(r.tsne.ms / 1000).toFixed(1)} s |`,
		`| page during the t-SNE: longest main-thread task · longest frame gap | ${r.tsne.longestTaskMs.toFixed(0)} ms · ${r.tsne.maxFrameGapMs.toFixed(0)} ms |`,
		''
	].join('\n');
}
