// docs/lab-contact-sheet.jpg: every mode of the snapshot lab on one shared photo, with the settings
// the lab starts with except where RUNS says (Gatys at style weight 5, DeepDream at res4c/res3d, 10 steps
// per octave, step 0.01: the defaults before the PyTorch comparison settled them), driven through the real app
// in Chromium (the lab worker on wasm here). Takes ~20–30 min on 2 cores.
//
//   npm run build && node scripts/lab-contact-sheet.mjs [--photo=debian/darknet__dog.jpg] [--quick]
import { chromium } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_ARGS, CHROMIUM, servePreview } from './browser.mjs';
import { ROOT, requireSharedData } from './shared-data.mjs';

const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const quick = process.argv.includes('--quick');
const photo = requireSharedData('content', ...arg('photo', 'debian/darknet__dog.jpg').split('/'));
const FLAMINGO = 130;
const GOLDFISH = 1;

/** [mode, params, caption]: the defaults, except where the caption says. */
const RUNS = [
	['gatys', { styles: ['great_wave'], styleWeight: 5 }, 'Gatys — The Great Wave'],
	['gatys', { styles: ['starry_night'], styleWeight: 5 }, 'Gatys — The Starry Night'],
	['deepdream', { layer: 'res4c', stepsPerOctave: 10, lr: 0.01 }, 'DeepDream — res4c'],
	['deepdream', { layer: 'res3d', stepsPerOctave: 10, lr: 0.01 }, 'DeepDream — res3d'],
	['classviz', { classIndex: FLAMINGO }, 'class viz, Fourier — flamingo'],
	['classviz', { classIndex: FLAMINGO, parameterization: 'pixels' }, 'class viz, pixels — flamingo'],
	['saliency', { method: 'vanilla' }, 'saliency — gradient'],
	['saliency', { method: 'smoothgrad' }, 'saliency — SmoothGrad'],
	['saliency', { method: 'guided' }, 'guided backprop'],
	['saliency', { method: 'deconv' }, 'deconvnet'],
	['saliency', { method: 'guided-gradcam' }, 'guided Grad-CAM'],
	['occlusion', {}, 'occlusion'],
	['inversion', { layer: 'all' }, 'feature inversion'],
	['fooling', { method: 'fgsm' }, 'FGSM'],
	['fooling', { method: 'iterative', target: GOLDFISH }, 'iterative → goldfish']
];

const server = await servePreview(4181);
const base = server.base;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: BASE_ARGS });
try {
	const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
	await page.addInitScript(() => (window.__STUDIO_TEST_HOOK__ = true));
	await page.goto(`${base}/lab`);
	await page.waitForFunction(() => ['ready', 'error'].includes(window.__lab?.status), null, { timeout: 900_000 });
	const failed = await page.evaluate(() => window.__lab.error);
	if (failed) throw new Error(failed);
	await page.getByTestId('lab-upload').setInputFiles(photo);
	await page.waitForFunction(() => window.__lab.input && !window.__lab.input.label.startsWith('demo'), null, { timeout: 30_000 });
	await page.evaluate(() => (window.__cells = [{ label: 'the photo', image: window.__lab.input.pixels }]));
	for (const [mode, params, caption] of RUNS) {
		const t0 = Date.now();
		const p = quick ? { ...params, steps: 4, stepsPerOctave: 2, samples: 2, stride: 56 } : params;
		const err = await page.evaluate(
			async ({ mode, p, caption }) => {
				const lab = window.__lab;
				lab.setMode(mode);
				lab.resetParams();
				for (const [k, v] of Object.entries(p)) lab.setParam(k, v);
				lab.result = null;
				await lab.run();
				if (!lab.result) return lab.error ?? 'no result';
				const pics = mode === 'inversion' || mode === 'fooling' ? lab.result.pictures.slice(0, mode === 'fooling' ? 2 : 5) : lab.result.pictures.slice(0, mode === 'saliency' && p.method === 'vanilla' ? 2 : 1);
				const facts = lab.result.facts.map((f) => `${f.label}: ${f.value}`).join('; ');
				for (const pic of pics) window.__cells.push({ label: pics.length > 1 ? `${caption} · ${pic.label}` : caption, image: pic.image, facts });
				return null;
			},
			{ mode, p, caption }
		);
		console.log(`${caption}: ${err ?? 'ok'} (${Math.round((Date.now() - t0) / 1000)} s)`);
	}
	const jpeg = await page.evaluate(() => {
		const cells = window.__cells;
		const W = 260;
		const IH = 195;
		const TH = 34;
		const cols = 5;
		const rows = Math.ceil(cells.length / cols);
		const c = document.createElement('canvas');
		c.width = cols * W;
		c.height = rows * (IH + TH);
		const g = c.getContext('2d');
		g.fillStyle = '#111';
		g.fillRect(0, 0, c.width, c.height);
		cells.forEach((cell, i) => {
			const x = (i % cols) * W;
			const y = Math.floor(i / cols) * (IH + TH);
			const tmp = document.createElement('canvas');
			tmp.width = cell.image.width;
			tmp.height = cell.image.height;
			tmp.getContext('2d').putImageData(new ImageData(cell.image.data, cell.image.width, cell.image.height), 0, 0);
			const s = Math.min((W - 8) / tmp.width, (IH - 8) / tmp.height);
			const w = tmp.width * s;
			const h = tmp.height * s;
			g.drawImage(tmp, x + (W - w) / 2, y + (IH - h) / 2, w, h);
			g.fillStyle = '#eee';
			g.font = '13px sans-serif';
			g.fillText(cell.label, x + 6, y + IH + 14, W - 12);
			if (cell.facts) {
				g.fillStyle = '#aaa';
				g.font = '10px sans-serif';
				g.fillText(cell.facts, x + 6, y + IH + 28, W - 12);
			}
		});
		return c.toDataURL('image/jpeg', 0.86);
	});
	const out = join(ROOT, quick ? '.tmp/lab-contact-sheet-quick.jpg' : 'docs/lab-contact-sheet.jpg');
	writeFileSync(out, Buffer.from(jpeg.split(',')[1], 'base64'));
	console.log(`wrote ${out}`);
} finally {
	await browser.close();
	server.stop();
}
