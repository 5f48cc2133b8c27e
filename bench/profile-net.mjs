// The style network's frame on tfjs-wasm in Node, without a browser: median time, its convolution
// floor (the convolutions alone, same shapes, same threads), the ratio, GFLOP/s and the per-kernel
// table of one frame (src/lib/bench/net-profile.ts, the same code the /bench page runs).
//   node bench/profile-net.mjs [--size=340x256] [--runs=9] [--threads=1] [--backend=wasm|cpu] [--json] [--reference]
//                              [--clock=cpu|wall] [--profile-frames=5]
// --clock=cpu (the default with one thread): frame and floor times in this process's CPU time, which
// other processes on a loaded machine do not inflate; wall with more threads (CPU time sums them).
// The kernel table keeps each kernel call's shortest time over --profile-frames profiled frames.
// --reference: the forward pass as it was before the fused rewrite (tests/unit/models/style-net-reference.ts).
// --stats=moments: the fused forward pass with the GPU backends' instance-norm statistics (its kernel
// count is WebGL's pass count; its time on wasm means nothing).
// --threads above 1 needs the threaded wasm build to start in Node; the count that runs is printed.
import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { netProfileMarkdown } from './net-profile-md.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const [W, H] = arg('size', '340x256').split(/[x×]/).map(Number);
const runs = Number(arg('runs', '9'));
const threads = Number(arg('threads', '1'));
const backend = arg('backend', 'wasm');
const clockName = arg('clock', threads > 1 ? 'wall' : 'cpu');
const profileFrames = Number(arg('profile-frames', '5'));
const cpuClock = () => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
};

/** Serves '/models/style-net/<file>' from static/ on disk. */
const diskFetch = async (url) => {
	try {
		return new Response(new Blob([await readFile(join(root, 'static', String(url)))]));
	} catch {
		return new Response('not found', { status: 404 });
	}
};

if (backend === 'wasm') wasm.setThreadsCount(threads);
if (!(await tf.setBackend(backend))) throw new Error(`tfjs could not start ${backend}`);
await tf.ready();

// tsconfig.json extends the one `svelte-kit sync` writes.
if (!existsSync(join(root, '.svelte-kit/tsconfig.json'))) execSync('npx svelte-kit sync', { cwd: root, stdio: 'inherit' });
// Vite loads the TypeScript modules (tfjs stays external: the same instance as above).
const vite = await createServer({ root, configFile: false, logLevel: 'error', server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', optimizeDeps: { noDiscovery: true } });
try {
	const { load, STYLE_NET_URL } = await vite.ssrLoadModule('/src/lib/models/style-net/index.ts');
	const { profileNet } = await vite.ssrLoadModule('/src/lib/bench/net-profile.ts');
	const stats = arg('stats', null);
	const net = process.argv.includes('--reference') || stats ? await programNet(stats) : await load({ url: STYLE_NET_URL, fetch: diskFetch });
	try {
		const row = await profileNet(net, H, W, runs, { clock: clockName === 'cpu' ? cpuClock : undefined, profileFrames });
		const ran = backend === 'wasm' ? wasm.getThreadsCount() : 1;
		if (process.argv.includes('--json')) console.log(JSON.stringify({ threads: ran, clock: clockName, ...row }));
		else console.log([`# ${backend}, ${ran} thread(s), Node ${process.version}, ${clockName} clock${process.argv.includes('--reference') ? ', reference forward' : ''}${arg('stats', null) ? `, stats ${arg('stats', null)}` : ''}`, '', ...netProfileMarkdown(row)].join('\n'));
	} finally {
		net.dispose();
	}
} finally {
	await vite.close();
}

/** The shipped weights run by the reference forward pass (stats null) or by the fused one with the given
 * statistics method, with stylize's framing (cast, batch of one). */
async function programNet(stats) {
	const { parseManifestText, validateWeightsBuffer } = await vite.ssrLoadModule('/src/lib/models/style-net/manifest.ts');
	const { decodeWeights } = await vite.ssrLoadModule('/src/lib/models/style-net/dequantize.ts');
	const { buildParams, disposeParams, forward } = await vite.ssrLoadModule('/src/lib/models/style-net/forward.ts');
	const { normalizeBlend } = await vite.ssrLoadModule('/src/lib/models/style-net/blend.ts');
	const { referenceForward } = await vite.ssrLoadModule('/tests/unit/models/style-net-reference.ts');
	const manifest = parseManifestText(await readFile(join(root, 'static/models/style-net/manifest.json'), 'utf8'));
	const raw = await readFile(join(root, 'static/models/style-net', manifest.weights.file));
	const buffer = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
	validateWeightsBuffer(manifest, buffer);
	const params = buildParams(manifest, decodeWeights(manifest, buffer));
	return {
		manifest,
		styles: manifest.styles,
		stylize: (frame, blend) =>
			tf.tidy(() => {
				const w = normalizeBlend(blend, manifest.styles.length);
				const x = tf.expandDims(tf.cast(frame, 'float32'), 0);
				const y = stats ? forward(manifest, params, x, w, { stats }) : referenceForward(manifest, params, x, tf.tensor2d(w, [1, w.length]));
				return tf.squeeze(y, [0]);
			}),
		dispose: () => disposeParams(params)
	};
}
