// node bench/stills.mjs [--side=256] [--still=4096] [--seams=1024] [--runs=10] [--threads=1] [--webgl=0] [--webgl-still=1024]
// The picture people keep (issue 25) on the wasm backend in Node — the kernels the style worker runs —
// without a browser: keep colours + detail from the camera frame at 256p, a tiled 4096×4096 still
// (time, peak tensor bytes, peak memory), and the seams (tiled − untiled at 1024×1024). Writes
// bench/results/stills.json (+ a dated copy stills-<date>.json). --side=0, --still=0 or --seams=0 skips
// that part (kept from the last file).
// --webgl=1: also in Chromium on WebGL (the bench page's suite `picture`, on the built app: run
// `npm run build` first): the kernels and shader passes of keep colours and detail per frame at 144p,
// 256p and 360p, and a tiled still of --webgl-still=1024 (0: none) with the largest texture it needed
// against MAX_TEXTURE_SIZE. Here WebGL is SwiftShader (software): its times are not a GPU's.
import { chromium } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStyleNet, ROOT as root } from './node-style-net.mjs';
import { machineLoad } from './studio.mjs';
import { BASE_ARGS, CHROMIUM, servePreview } from '../scripts/browser.mjs';

const arg = (name, dflt) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const log = (s) => console.log(s);
// Parts skipped this time are carried over from the previous file (with their own date).
const file = join(root, 'bench/results/stills.json');
const previous = await readFile(file, 'utf8').then(JSON.parse, () => ({}));
const out = { ...previous };
if (arg('side', 256) > 0 || arg('seams', 1024) > 0 || arg('still', 4096) > 0) {
	const { net, ssr, backend, close } = await openStyleNet({ threads: arg('threads', 1) });
	try {
		const b = await ssr('/src/lib/bench/picture-bench.ts');
		const memory = () => process.memoryUsage();
		const stamp = { date: new Date().toISOString(), backend };
		if (arg('side', 256) > 0) out.steps = { ...stamp, ...(await b.benchPictureSteps(net, { side: arg('side', 256), runs: arg('runs', 10), log })) };
		if (arg('seams', 1024) > 0) out.seams = { ...stamp, ...(await b.benchSeams(net, { side: arg('seams', 1024), log })) };
		if (arg('still', 4096) > 0) out.still = { ...stamp, ...(await b.benchStill(net, { side: arg('still', 4096), memory, log })) };
	} finally {
		await close();
	}
}
if (arg('webgl', 0) > 0) out.webgl = await webgl(arg('webgl-still', 1024));
await writeFile(file, JSON.stringify(out, null, 2) + '\n');
const dated = `bench/results/stills-${new Date().toISOString().slice(0, 10)}.json`;
await writeFile(join(root, dated), JSON.stringify(out, null, 2) + '\n');
log(`wrote bench/results/stills.json and ${dated}`);

/** The bench page's suite `picture` on WebGL in Debian's Chromium (SwiftShader here). */
async function webgl(still) {
	const server = await servePreview(4183);
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: BASE_ARGS });
	const load = { start: machineLoad() };
	try {
		const page = await browser.newPage({ serviceWorkers: 'block' });
		page.on('console', (m) => m.text().startsWith('[bench]') && log(`webgl: ${m.text().slice(8)}`));
		await page.goto(`${server.base}/bench?backend=webgl&suites=picture&still=${still}`);
		await page.waitForFunction(() => window.__bench?.done, null, { timeout: 3_600_000, polling: 1000 });
		const r = await page.evaluate(() => window.__bench);
		if (r.error) throw new Error(r.error);
		load.end = machineLoad();
		const { picture, backend, renderer } = r.results;
		return { date: new Date().toISOString(), backend: `${backend} (${renderer ?? 'unknown renderer'}), headless Chromium`, load, ...picture };
	} finally {
		await browser.close();
		server.stop();
	}
}
