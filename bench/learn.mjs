// The style learner on tfjs-wasm in Node (one thread), the way the learn worker's "Measure" runs it: for each
// effort preset's content size (src/lib/learn/efforts.ts; presets of one size share the measurement), one learning session (src/lib/learn/session.ts: the picture's style
// targets, the content set at the effort's size, the best guess among the twelve, then the steps) cut to a few
// steps; the setup (up to and including the first step) and ms per step after the first, by the wall clock and
// by this process's CPU time (which other processes on a loaded machine do not inflate), and the projected time
// of the whole preset = setup + ms per step × (steps − 1), the estimate the page shows.
// Alone: node bench/learn.mjs [--steps=4] [--efforts=quick,good,best] [--json]; in the bench: bench/run.mjs --learn=1.
import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { ROOT, requireSharedData } from '../scripts/shared-data.mjs';

const cpuMs = () => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
};

/** A JPEG as a [h, w, 3] float tensor in [0, 1], its long side `long` (ffmpeg, as the unit tests decode). */
function readPicture(file, long) {
	const probe = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' });
	const [w0, h0] = probe.trim().split(',').map(Number);
	const s = Math.min(1, long / Math.max(w0, h0));
	const [w, h] = [Math.max(1, Math.round(w0 * s)), Math.max(1, Math.round(h0 * s))];
	const r = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', `scale=${w}:${h}:flags=bilinear`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
	if (r.status !== 0) throw new Error(`ffmpeg failed on ${file}: ${r.stderr}`);
	return tf.tidy(() => tf.div(tf.tensor3d(new Uint8Array(r.stdout), [h, w, 3], 'int32').toFloat(), 255));
}

/** Served from disk: the classifier's and the style network's files. */
const diskFetch = async (url) => {
	const u = String(url);
	const file = join(ROOT, 'static', u.startsWith('http') ? new URL(u).pathname : u);
	try {
		const buf = readFileSync(file);
		return new Response(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length), { status: 200 });
	} catch {
		return new Response('not found', { status: 404 });
	}
};

/**
 * @param {{ steps?: number, efforts?: string[], style?: string, log?: (s: string) => void }} o
 * steps: learning steps per session (the first is the setup's; the rest give ms per step); style: the picture.
 */
export async function benchLearn(o = {}) {
	const steps = Math.max(2, o.steps ?? 4);
	const log = o.log ?? (() => {});
	wasm.setThreadsCount(1);
	if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start wasm');
	await tf.ready();
	execFileSync(process.execPath, [join(ROOT, 'scripts/prepare-classifier.mjs')], { stdio: 'pipe' });
	if (!existsSync(join(ROOT, '.svelte-kit/tsconfig.json'))) execFileSync('npx', ['svelte-kit', 'sync'], { cwd: ROOT, stdio: 'inherit' });
	const vite = await createServer({ root: ROOT, configFile: false, logLevel: 'error', server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', optimizeDeps: { noDiscovery: true } });
	const kept = [];
	try {
		const { EFFORTS } = await vite.ssrLoadModule('/src/lib/learn/efforts.ts');
		const { CONTENT_URLS, PREVIEW_URL } = await vite.ssrLoadModule('/src/lib/learn/content.ts');
		const { learnSession } = await vite.ssrLoadModule('/src/lib/learn/session.ts');
		const { load: loadClassifier } = await vite.ssrLoadModule('/src/lib/models/classifier/index.ts');
		const { loadParts, STYLE_NET_URL } = await vite.ssrLoadModule('/src/lib/models/style-net/index.ts');
		const { disposeParams } = await vite.ssrLoadModule('/src/lib/models/style-net/forward.ts');
		const { forwardOf } = await vite.ssrLoadModule('/src/lib/optvis/modes/common.ts');
		// as the learn worker loads them
		const clf = await loadClassifier({ url: '/models/resnet50/', fetchFunc: diskFetch, taps: ['conv4'] });
		const net = await loadParts({ url: STYLE_NET_URL, fetch: diskFetch });
		const stylePath = o.style ?? requireSharedData('styles', 'udnie.jpg');
		// the page hands the worker the picture at 768 px long side at most
		const inputs = { style: readPicture(stylePath, 768), contents: CONTENT_URLS.map((u) => readPicture(join(ROOT, 'static', u), 4096)), preview: readPicture(join(ROOT, 'static', PREVIEW_URL), 4096) };
		kept.push(inputs.style, inputs.preview, ...inputs.contents);
		const out = { backend: 'wasm', threads: wasm.getThreadsCount(), node: process.version, steps, style: stylePath.split('/').pop(), efforts: {} };
		try {
			// presets of the same size and batch cost the same per step: one session each, projected for each preset
			const ids = o.efforts ?? Object.keys(EFFORTS);
			const groups = new Map();
			for (const id of ids) {
				const key = `${EFFORTS[id].size}x${EFFORTS[id].batch}`;
				groups.set(key, [...(groups.get(key) ?? []), id]);
			}
			for (const group of groups.values()) {
				const e = EFFORTS[group[0]];
				const wall = [];
				const cpu = [];
				const t0 = performance.now();
				const c0 = cpuMs();
				const phases = {};
				for await (const p of learnSession(net, forwardOf(clf), inputs, { effort: { ...e, steps }, previewEvery: 10 })) {
					phases[p.phase] ??= Math.round(performance.now() - t0);
					if (p.phase !== 'learning') continue;
					wall.push(performance.now() - t0);
					cpu.push(cpuMs() - c0);
				}
				const per = (m) => (m[m.length - 1] - m[0]) / (m.length - 1);
				const measured = { size: e.size, batch: e.batch, setupMs: Math.round(wall[0]), msPerStep: Math.round(per(wall)), setupCpuMs: Math.round(cpu[0]), cpuMsPerStep: Math.round(per(cpu)), phaseStartMs: phases, measuredAs: group[0] };
				for (const id of group) {
					const n = EFFORTS[id].steps;
					const r = { ...measured, presetSteps: n, projectedMs: Math.round(measured.setupMs + measured.msPerStep * (n - 1)), projectedCpuMs: Math.round(measured.setupCpuMs + measured.cpuMsPerStep * (n - 1)) };
					out.efforts[id] = r;
					log(`${id}: ${e.size} px, setup ${(r.setupMs / 1000).toFixed(1)} s, ${r.msPerStep} ms/step (CPU ${r.cpuMsPerStep}); ${n} steps ≈ ${(r.projectedMs / 60000).toFixed(1)} min (CPU ${(r.projectedCpuMs / 60000).toFixed(1)} min)`);
				}
			}
		} finally {
			disposeParams(net.params);
			clf.dispose();
		}
		out.numTensorsAfter = (tf.dispose(kept), kept.length = 0, tf.memory().numTensors);
		return out;
	} finally {
		tf.dispose(kept);
		await vite.close();
	}
}

export function learnMarkdown(l) {
	if (l.error) return ['## The style learner: failed', '', '```', l.error, '```', ''];
	const lines = [
		`## The style learner (tfjs-${l.backend} in Node, ${l.threads} thread(s), ${l.node}; ${l.steps} steps of each preset, picture ${l.style})`,
		'',
		'| effort | size | setup s (targets, best guess, first step) | setup, CPU s | ms per step | CPU ms per step | preset steps | projected min | projected min, CPU time |',
		'|---|---|---|---|---|---|---|---|---|'
	];
	for (const [id, r] of Object.entries(l.efforts))
		lines.push(`| ${id} | ${r.size} | ${(r.setupMs / 1000).toFixed(1)} | ${(r.setupCpuMs / 1000).toFixed(1)} | ${r.msPerStep} | ${r.cpuMsPerStep} | ${r.presetSteps} | ${(r.projectedMs / 60000).toFixed(1)} | ${(r.projectedCpuMs / 60000).toFixed(1)} |`);
	lines.push('', 'Wall times include waiting for the CPU on a shared machine; CPU times (this process, one thread) are what one idle core would take.');
	lines.push('');
	return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
	const r = await benchLearn({ steps: Number(arg('steps', '4')), efforts: arg('efforts', null)?.split(','), log: (s) => console.error(s) });
	console.log(process.argv.includes('--json') ? JSON.stringify(r) : learnMarkdown(r).join('\n'));
}
