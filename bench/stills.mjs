// node bench/stills.mjs [--side=256] [--still=4096] [--seams=1024] [--runs=10] [--threads=1]
// The picture people keep (issue 25) on the wasm backend in Node — the kernels the style worker runs —
// without a browser: keep colours + detail from the camera frame at 256p, a tiled 4096×4096 still
// (time, peak tensor bytes, peak memory), and the seams (tiled − untiled at 1024×1024). Writes
// bench/results/stills.json. --side=0, --still=0 or --seams=0 skips that part (kept from the last file).
import { createServer } from 'vite';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// tfjs from its CommonJS build (Node's own resolution), the same instance the app's modules import.
const require = createRequire(import.meta.url);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const server = await createServer({ root, configFile: false, logLevel: 'error', server: { middlewareMode: true, hmr: false }, appType: 'custom', optimizeDeps: { noDiscovery: true, include: [] }, ssr: { external: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'] } });
const log = (s) => console.log(s);
try {
	const tf = require('@tensorflow/tfjs');
	const wasm = require('@tensorflow/tfjs-backend-wasm');
	wasm.setThreadsCount?.(arg('threads', 1));
	if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
	await tf.ready();
	const { load } = await server.ssrLoadModule('/src/lib/models/style-net/index.ts');
	const b = await server.ssrLoadModule('/src/lib/bench/picture-bench.ts');
	const fetchDisk = async (url) => new Response(await readFile(join(root, 'static', String(url))));
	const net = await load({ url: '/models/style-net/', fetch: fetchDisk, warmupSize: [64, 64] });
	const memory = () => process.memoryUsage();
	// Parts skipped this time are carried over from the previous file (with their own date).
	const file = join(root, 'bench/results/stills.json');
	const previous = await readFile(file, 'utf8').then(JSON.parse, () => ({}));
	const stamp = { date: new Date().toISOString(), backend: `wasm, ${arg('threads', 1)} thread(s), Node ${process.version}` };
	const out = { ...previous };
	if (arg('side', 256) > 0) out.steps = { ...stamp, ...b.benchPictureSteps(net, { side: arg('side', 256), runs: arg('runs', 10), log }) };
	if (arg('seams', 1024) > 0) out.seams = { ...stamp, ...(await b.benchSeams(net, { side: arg('seams', 1024), log })) };
	if (arg('still', 4096) > 0) out.still = { ...stamp, ...(await b.benchStill(net, { side: arg('still', 4096), memory, log })) };
	net.dispose();
	await writeFile(file, JSON.stringify(out, null, 2) + '\n');
	log('wrote bench/results/stills.json');
} finally {
	await server.close();
}
