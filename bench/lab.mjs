// The snapshot lab against PyTorch: Gatys at 256², 100 steps, and DeepDream with 3 octaves at 256², run
// by the lab in Chromium (its lab worker; wasm here, WebGL where the GPU is real) and by
// training/bench_optvis.py (the same algorithm, network and losses in PyTorch on the CPU, same machine,
// same number of threads as the lab worker ran). Reported: ms per step (after the first) and totals.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, requireSharedData } from '../scripts/shared-data.mjs';

/** A photo cropped to the centre square and scaled to 256² (ffmpeg), for both sides. */
function squarePhoto() {
	const src = requireSharedData('content', 'debian', 'darknet__dog.jpg');
	const out = join(mkdtempSync(join(tmpdir(), 'lab-bench-')), 'photo-256.png');
	execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', src, '-vf', 'crop=min(iw\\,ih):min(iw\\,ih),scale=256:256', out]);
	return out;
}

/** One run of a mode: first the lab's "Estimate time" (a warm-up), then the run; both reported. */
async function runMode(page, mode, params) {
	const expectedMs = await page.evaluate(
		async ({ mode, params }) => {
			const lab = window.__lab;
			lab.setMode(mode);
			lab.resetParams();
			for (const [k, v] of Object.entries(params)) lab.setParam(k, v);
			lab.result = null;
			await lab.estimate();
			return lab.expectedMs;
		},
		{ mode, params }
	);
	await page.evaluate(() => window.__lab.run());
	const r = await page.evaluate(() => {
		const lab = window.__lab;
		return lab.result ? { elapsedMs: lab.result.elapsedMs, timing: lab.result.timing } : { error: lab.error };
	});
	if (r.error) throw new Error(`${mode}: ${r.error}`);
	return { ...r, expectedMs };
}

/**
 * The other modes, each once, for the estimate against the time taken: defaults, with the iterations of
 * the slow ones cut so the section stays minutes long (Gatys and DeepDream above run at their defaults).
 */
const ESTIMATE_RUNS = [
	['classviz', { steps: 20 }],
	['saliency', { method: 'smoothgrad', samples: 8 }],
	['occlusion', {}],
	['inversion', { layer: 'all', steps: 10 }],
	['fooling', {}]
];

export async function benchLab(browser, base, { backend = 'wasm', log = console.log } = {}) {
	const photo = squarePhoto();
	const page = await browser.newPage();
	await page.addInitScript(() => (window.__STUDIO_TEST_HOOK__ = true));
	await page.goto(`${base}/lab?backend=${backend}`);
	await page.waitForFunction(() => window.__lab?.status === 'ready' || window.__lab?.status === 'error', null, { timeout: 300_000 });
	const info = await page.evaluate(() => ({ backend: window.__lab.backend, threads: window.__lab.threads, error: window.__lab.error }));
	if (info.error) throw new Error(info.error);
	await page.getByTestId('lab-upload').setInputFiles(photo);
	await page.waitForFunction(() => window.__lab.input?.pixels.width === 256, null, { timeout: 30_000 });
	log(`lab on ${info.backend} (${info.threads} thread(s)): Gatys 256², 100 steps…`);
	const gatys = await runMode(page, 'gatys', { size: 256, steps: 100, styles: ['great_wave'] });
	log(`  ${(gatys.elapsedMs / 1000).toFixed(1)} s; DeepDream, 3 octaves…`);
	const deepdream = await runMode(page, 'deepdream', { size: 256, octaves: 3 });
	log(`  ${(deepdream.elapsedMs / 1000).toFixed(1)} s`);
	const estimates = [
		{ mode: 'gatys', params: { size: 256, steps: 100 }, expectedMs: gatys.expectedMs, elapsedMs: gatys.elapsedMs },
		{ mode: 'deepdream', params: { size: 256, octaves: 3 }, expectedMs: deepdream.expectedMs, elapsedMs: deepdream.elapsedMs }
	];
	for (const [mode, params] of ESTIMATE_RUNS) {
		const r = await runMode(page, mode, params);
		log(`  ${mode}: estimated ${(r.expectedMs / 1000).toFixed(1)} s, took ${(r.elapsedMs / 1000).toFixed(1)} s`);
		estimates.push({ mode, params, expectedMs: r.expectedMs, elapsedMs: r.elapsedMs });
	}
	await page.close();

	const result = { backend: info.backend, threads: info.threads, browser: { gatys, deepdream }, estimates };
	const script = join(ROOT, 'training/bench_optvis.py');
	if (!existsSync(script)) return { ...result, torch: { error: 'training/bench_optvis.py is missing' } };
	log(`PyTorch on the CPU, ${info.threads} thread(s)…`);
	const py = spawnSync('/usr/bin/python3', [script, '--threads', String(info.threads)], { cwd: ROOT, encoding: 'utf8', timeout: 1_800_000 });
	if (py.status !== 0) return { ...result, torch: { error: (py.stderr || py.error?.message || 'failed').trim().split('\n').slice(-3).join(' ') } };
	try {
		result.torch = JSON.parse(py.stdout.trim().split('\n').pop());
	} catch {
		result.torch = { error: `unreadable output: ${py.stdout.slice(-200)}` };
	}
	return result;
}

export function labMarkdown(lab) {
	const lines = ['## Snapshot lab against PyTorch (same algorithm, network and losses; CPU, same machine)', ''];
	if (lab.error) return [...lines, '```', lab.error, '```', ''];
	const b = lab.browser;
	const t = lab.torch ?? {};
	const ratio = (ours, theirs) => (ours && theirs ? `${(ours / theirs).toFixed(2)}×` : '–');
	const s = (ms) => (ms == null ? '–' : `${(ms / 1000).toFixed(1)} s`);
	lines.push(`Lab: ${lab.backend}, ${lab.threads} thread(s), in the lab worker. PyTorch ${t.torch ?? '?'} on the CPU, ${t.threads ?? '?'} thread(s). Ratio = ours / PyTorch (above 1: we are slower).`, '');
	lines.push('| run | ours ms/step | PyTorch ms/step | ratio | ours total | PyTorch total | ratio |', '|---|---|---|---|---|---|---|');
	const ddSteps = t.deepdream?.steps;
	lines.push(
		`| Gatys 256², 100 steps | ${b.gatys.timing?.msPerUnit.toFixed(0) ?? '–'} | ${t.gatys?.ms_per_step?.toFixed(0) ?? '–'} | ${ratio(b.gatys.timing?.msPerUnit, t.gatys?.ms_per_step)} | ${s(b.gatys.elapsedMs)} | ${s(t.gatys?.total_ms)} | ${ratio(b.gatys.elapsedMs, t.gatys?.total_ms)} |`,
		`| DeepDream 256², 3 octaves | ${b.deepdream.timing?.msPerUnit.toFixed(0) ?? '–'} | ${t.deepdream?.total_ms && ddSteps ? (t.deepdream.total_ms / ddSteps).toFixed(0) : '–'} | ${ratio(b.deepdream.timing?.msPerUnit, t.deepdream?.total_ms && ddSteps ? t.deepdream.total_ms / ddSteps : null)} | ${s(b.deepdream.elapsedMs)} | ${s(t.deepdream?.total_ms)} | ${ratio(b.deepdream.elapsedMs, t.deepdream?.total_ms)} |`
	);
	if (t.error) lines.push('', `PyTorch side failed: ${t.error}`);
	lines.push('', 'Ours per step leaves out the first step (kernels compile); our totals include computing the style statistics, PyTorch\'s do not (a few hundred ms).', '');
	if (lab.estimates?.length) {
		lines.push('### "Estimate time" against the time taken, per mode', '', '| mode | settings (else defaults) | estimated | took | took / estimated |', '|---|---|---|---|---|');
		for (const e of lab.estimates) lines.push(`| ${e.mode} | ${JSON.stringify(e.params)} | ${s(e.expectedMs)} | ${s(e.elapsedMs)} | ${e.expectedMs ? (e.elapsedMs / e.expectedMs).toFixed(2) : '–'} |`);
		lines.push('');
	}
	return lines;
}
