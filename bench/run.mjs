// npm run bench: builds the app, serves it, runs /bench in Debian's Chromium on each backend, and
// writes bench/results/latest.json (+ a dated copy) and bench/results/latest.md (a short table).
// Each backend's section has the style network's profile at 340×256: time against its convolution
// floor, GFLOP/s, kernel count and the per-kernel table (src/lib/bench/net-profile.ts; the same in
// Node without a browser: node bench/profile-net.mjs).
// Then drives the studio itself (route /, bench/studio.mjs) on wasm, before (pipeline=main) and after
// (workers): main-thread long tasks, frame rate with and without explanations, where a frame's time goes.
// Options: --backends=wasm,webgl  --runs=5 --frames=10 --no-build
//          --studio=0 (skip the studio)  --pages=0 (skip /bench)  --window=30 --off-window=20 (studio seconds)
//          --one-worker=0 (skip the studio's extra run with one style worker, ?styleWorkers=1)
//          --soft=0 (skip the studio's extra run in a Chromium with software compositing, --disable-gpu)
//          --score-off=0 (skip the studio's Grad-CAM window with the live faithfulness score off)
//          --lab=0 (skip the lab against PyTorch: bench/lab.mjs)
//          --gallery=0 (skip the gallery: features of 100 snapshots, t-SNE of 500 points: bench/gallery.mjs)
//          --learn=0 (skip the style learner: each effort's setup and ms per step on wasm in Node, bench/learn.mjs;
//          --learn-steps=4 steps each). Only the learner: --pages=0 --studio=0 --lab=0 --gallery=0 (no build, no browser)
//          --report (only rewrite latest.md from latest.json)  --help (this text)
// Sections skipped by an option are carried over from the previous latest.json (with their date), so a
// partial run (e.g. --pages=0 --studio=0 for the lab and the gallery only) keeps the other numbers.
import { chromium } from '@playwright/test';
import { benchStudio, machineLoad, studioMarkdown } from './studio.mjs';
import { benchLab, labMarkdown } from './lab.mjs';
import { benchGallery, galleryMarkdown } from './gallery.mjs';
import { benchLearn, learnMarkdown } from './learn.mjs';
import { netProfileMarkdown } from './net-profile-md.mjs';
import { execSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const backends = arg('backends', 'wasm,webgl').split(',');
const runs = arg('runs', '5');
const frames = arg('frames', '10');
const studio = arg('studio', '1') !== '0';
const pages = arg('pages', '1') !== '0';
const windowS = Number(arg('window', '30'));
const offS = Number(arg('off-window', '20'));
const oneWorker = arg('one-worker', '1') !== '0';
const softRun = arg('soft', '1') !== '0';
const scoreOff = arg('score-off', '1') !== '0';
const labBench = arg('lab', '1') !== '0';
const galleryBench = arg('gallery', '1') !== '0';
const learnBench = arg('learn', '1') !== '0';
const learnSteps = Number(arg('learn-steps', '4'));
/** Sections that need the built app in Chromium (the learner runs in Node). */
const browserBench = pages || studio || galleryBench || labBench;
const PORT = 4179;

const out = join(root, 'bench/results');
if (process.argv.includes('--help')) {
	// this file's header: what runs and the options
	const head = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
	console.log(head.slice(0, head.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
	process.exit(0);
}
if (process.argv.includes('--report')) {
	writeFileSync(join(out, 'latest.md'), markdown(JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'))).join('\n') + '\n');
	process.exit(0);
}

if (browserBench && !process.argv.includes('--no-build')) execSync('npm run build', { cwd: root, stdio: 'inherit' });
const server = browserBench && spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], {
	cwd: root,
	stdio: 'ignore'
});
const base = `http://127.0.0.1:${PORT}`;
for (let i = 0; browserBench && i < 50; i++) {
	try {
		if ((await fetch(base)).ok) break;
	} catch {}
	await new Promise((r) => setTimeout(r, 200));
}

const { BASE_ARGS, CHROMIUM } = await import('../scripts/browser.mjs');
const browser = browserBench ? await chromium.launch({ executablePath: CHROMIUM, args: BASE_ARGS }) : null;
const all = { date: new Date().toISOString(), machine: `${(await import('node:os')).cpus().length} cores`, load: { start: machineLoad() }, runs: {} };
const t0 = Date.now();
try {
	for (const backend of pages ? backends : []) {
		// No service worker: its precaching (33 MB) would run beside the measurements.
		const page = await browser.newPage({ serviceWorkers: 'block' });
		page.on('console', (m) => m.text().startsWith('[bench]') && console.log(`${backend}: ${m.text().slice(8)}`));
		// Software WebGL (SwiftShader, here) is far too slow for the Johnson net and ResNet50: there only
		// our network and the live chain are measured. On a real GPU everything runs.
		const software = backend === 'webgl' && (await softwareWebGL(page));
		// (at 256×256 only: the larger sizes took three minutes there and say nothing more)
		const q = software ? `johnson=0&suites=nets,profile,chain&sizes=256x256&runs=2&frames=3` : `johnson=1&runs=${runs}&frames=${frames}`;
		await page.goto(`${base}/bench?backend=${backend}&${q}`);
		await page.waitForFunction(() => window.__bench?.done, null, { timeout: 1_800_000, polling: 1000 });
		const r = await page.evaluate(() => window.__bench);
		if (r.error) console.error(`${backend}: ${r.error}`);
		all.runs[backend] = r.results ?? { error: r.error };
		await page.close();
	}
	if (studio) {
		const w = all.runs.wasm;
		const netAlone = {};
		const row = w?.styleNets?.find((n) => n.size === '256×256');
		if (row) netAlone['256×256'] = row.ours.medianMs;
		if (w?.styleNetStudio) netAlone[w.styleNetStudio.size] = w.styleNetStudio.ours.medianMs;
		for (const r of w?.styleNetWorker ?? []) netAlone[`${r.size} worker ${r.threads}`] = r.ours.medianMs;
		// A machine without a GPU composites in software; the test browser's flags make it SwiftShader GL.
		const softBrowser = softRun ? await chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS.filter((a) => !/swiftshader|gpu-blocklist/.test(a)), '--disable-gpu'] }) : null;
		try {
			all.studio = await benchStudio(browser, base, { windowS, offS, oneWorker, softBrowser, scoreOff, netAlone, netAloneThreads: w?.threads ?? null, log: (s) => console.log(`studio: ${s}`) });
		} finally {
			await softBrowser?.close();
		}
	}
	if (galleryBench) {
		try {
			all.gallery = await benchGallery(browser, base, { log: (s) => console.log(`gallery: ${s}`) });
		} catch (err) {
			all.gallery = { error: String(err?.message ?? err) };
		}
	}
	if (labBench) {
		try {
			all.lab = await benchLab(browser, base, { backend: 'wasm', log: (s) => console.log(`lab: ${s}`) });
		} catch (err) {
			all.lab = { error: String(err?.message ?? err) };
		}
	}
	if (learnBench) {
		try {
			all.learn = await benchLearn({ steps: learnSteps, log: (s) => console.log(`learn: ${s}`) });
		} catch (err) {
			all.learn = { error: String(err?.message ?? err) };
		}
	}
} finally {
	all.load.end = machineLoad();
	all.seconds = Math.round((Date.now() - t0) / 1000);
	await browser?.close();
	if (server) server.kill();
}

async function softwareWebGL(page) {
	await page.goto("about:blank");
	return page.evaluate(() => {
		const gl = document.createElement('canvas').getContext('webgl2');
		if (!gl) return true;
		const ext = gl.getExtension('WEBGL_debug_renderer_info');
		return /swiftshader|llvmpipe|softpipe|software/i.test(String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER)));
	});
}

mkdirSync(out, { recursive: true });
try {
	const previous = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'));
	const carry = (key, ran) => {
		if (ran || previous[key] == null) return;
		all[key] = previous[key];
		(all.carried ??= {})[key] = previous.carried?.[key] ?? previous.date;
	};
	if (!pages) {
		all.runs = previous.runs ?? {};
		(all.carried ??= {}).runs = previous.carried?.runs ?? previous.date;
	}
	carry('studio', studio);
	carry('lab', labBench);
	carry('gallery', galleryBench);
	carry('learn', learnBench);
} catch {
	/* no previous results */
}
writeFileSync(join(out, 'latest.json'), JSON.stringify(all, null, 2) + '\n');
writeFileSync(join(out, `bench-${all.date.slice(0, 10)}.json`), JSON.stringify(all, null, 2) + '\n');

const lines = markdown(all);
writeFileSync(join(out, 'latest.md'), lines.join('\n') + '\n');
console.log('\n' + lines.join('\n'));

function markdown(all) {
	const lines = [
		`# Benchmarks (${all.date}, ${all.machine}, headless Chromium)`,
		''
	];
	if (all.carried)
		lines.push(`Not measured in this run, carried over from earlier runs: ${Object.entries(all.carried).map(([k, d]) => `${k} (${String(d).slice(0, 10)})`).join(', ')}.`, '');
	if (all.load)
		lines.push(`Load average at start ${all.load.start.loadavg.join(', ')}, at the end ${all.load.end.loadavg.join(', ')} (the machine is shared: other runs may have been going on); ${all.seconds} s in all, build not counted.`, '');
	for (const [backend, r] of Object.entries(all.runs)) {
		if (r.error) {
			lines.push(`## ${backend}: failed`, '', '```', r.error, '```', '');
			continue;
		}
		lines.push(`## ${backend}${r.renderer ? ` (${r.renderer})` : ''}${r.threads ? `, ${r.threads} thread(s)` : ''}`, '');
		if (r.styleNets) {
			lines.push('| size | ours ms | Johnson ms | speed-up | ours GMAC | Johnson GMAC |', '|---|---|---|---|---|---|');
			for (const n of r.styleNets)
				lines.push(`| ${n.size} | ${n.ours.medianMs.toFixed(1)} | ${n.johnson ? n.johnson.medianMs.toFixed(1) : '–'} | ${n.speedup ? n.speedup.toFixed(1) + '×' : '–'} | ${n.oursGmac ?? '–'} | ${n.johnsonGmac.toFixed(2)} |`);
			if (r.styleNetStudio) lines.push(`| ${r.styleNetStudio.size} (the studio's demo scene at 256) | ${r.styleNetStudio.ours.medianMs.toFixed(1)} | | | | |`);
			for (const n of r.styleNetWorker ?? []) lines.push(`| ${n.size} in a worker, ${n.threads} thread(s) | ${n.ours.medianMs.toFixed(1)} | | | | |`);
			lines.push('');
		}
		if (r.netProfile) lines.push(...netProfileMarkdown(r.netProfile));
		if (r.liveChain) {
			lines.push('| live chain (frame → style → stabilize → screen) | ms/frame | fps |', '|---|---|---|');
			for (const c of r.liveChain) lines.push(`| ${c.size} | ${c.medianMs.toFixed(1)} | ${c.fps.toFixed(1)} |`);
			lines.push('');
		}
		if (r.flicker) {
			lines.push('| flicker, static scene + noise σ 0.02, 340×256 (lower is steadier) | value |', '|---|---|');
			for (const f of r.flicker) lines.push(`| stabilization ${f.stabilize ? 'on' : 'off'} | ${f.flicker.toFixed(3)} |`);
			lines.push('');
		}
		if (r.explain) {
			const e = r.explain;
			const pct = (ms) => `${((ms / e.classifyMs - 1) * 100).toFixed(1)} %`;
			lines.push('| ResNet50 at 224² | ms | over classification |', '|---|---|---|');
			lines.push(`| classification (forward + top-5) | ${e.classifyMs.toFixed(1)} | |`);
			lines.push(`| Grad-CAM at conv5 (forward + gradient + map + overlay) | ${e.gradcamMs.toFixed(1)} | ${pct(e.gradcamMs)} |`);
			lines.push(`| forward + a page of 16 conv4 activation maps | ${e.activationsMs.toFixed(1)} | ${pct(e.activationsMs)} |`);
			for (const [m, ms] of Object.entries(e.methodsMs)) lines.push(`| ${m} | ${ms.toFixed(1)} | ${pct(ms)} |`);
			if (Number.isFinite(e.scoreMs)) {
				lines.push(`| live faithfulness score (${e.scoreSteps} steps, ${2 + 4 * (e.scoreSteps - 1)} images) | ${e.scoreMs.toFixed(1)} | ${pct(e.scoreMs)} |`);
				lines.push(`| … one chunk of ${e.scoreChunk} images (added to one explanation) | ${e.scoreChunkMs.toFixed(1)} | ${pct(e.scoreChunkMs)} |`);
				lines.push(`| … on average per explanation (the live cycle) | ${e.scorePerFrameMs.toFixed(1)} | |`);
			}
			lines.push('');
		}
		if (r.explainLive) {
			const l = r.explainLive;
			lines.push(`| The Explainer, 340×256, Grad-CAM (benchLiveScore: ${l.explanations} explanations, score every ${l.every}th) | score off | score on |`, '|---|---|---|');
			lines.push(`| ms per explanation (off: median of the cycle's explanations without a chunk; on: mean over the cycle) | ${l.plainMs.toFixed(1)} | ${l.onMs.toFixed(1)} |`);
			lines.push(`| explanation period at the worker's ${l.share * 100} % share, ms | ${l.periodOffMs.toFixed(0)} | ${l.periodOnMs.toFixed(0)} (×${l.slowdown.toFixed(2)}) |`);
			lines.push(`| an explanation with a chunk of ${l.chunk} score pictures, ms (median) | | ${l.chunkMs.toFixed(1)} |`);
			lines.push('');
		}
		for (const [k, v] of Object.entries(r)) {
			if (['styleNets', 'liveChain', 'flicker', 'explain', 'explainLive', 'backend', 'renderer', 'threads', 'userAgent', 'hardwareConcurrency', 'numTensorsAfter', 'styleNetStudio', 'styleNetWorker', 'netProfile'].includes(k)) continue;
			lines.push(`### ${k}`, '', '```json', JSON.stringify(v, null, 2), '```', '');
		}
	}
	if (all.gallery) lines.push(...galleryMarkdown(all.gallery).split('\n'));
	if (all.lab) lines.push(...labMarkdown(all.lab));
	if (all.learn) lines.push(...learnMarkdown(all.learn));
	if (all.studio) lines.push(...studioMarkdown({ netAloneThreads: all.runs?.wasm?.threads ?? null, ...all.studio }));
	return lines;
}
