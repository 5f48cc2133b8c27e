// The shipped style network on tfjs-wasm in Node, without a browser: the one loader of the Node scripts
// that run the app's own TypeScript modules (bench/stills.mjs, scripts/docs-picture.mjs). Vite loads the
// modules (tfjs stays external: the app's modules import the same instance as the script); the weights
// are read from static/ on disk.
import { createServer } from 'vite';
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// tfjs from its CommonJS build (Node's own resolution), the same instance the app's modules import.
const require = createRequire(import.meta.url);

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Process CPU time in ms (user + system): what other processes on a loaded machine do not inflate. */
export const cpuClock = () => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
};

/**
 * Starts tfjs on wasm (`threads`), loads the shipped network. Returns tf, the network, `ssr(path)` for
 * more of the app's modules, and `close()` (disposes the network, stops Vite).
 */
export async function openStyleNet({ threads = 1 } = {}) {
	// tsconfig.json extends the one `svelte-kit sync` writes.
	if (!existsSync(join(ROOT, '.svelte-kit/tsconfig.json'))) execSync('npx svelte-kit sync', { cwd: ROOT, stdio: 'inherit' });
	const server = await createServer({ root: ROOT, configFile: false, logLevel: 'error', server: { middlewareMode: true, hmr: false }, appType: 'custom', optimizeDeps: { noDiscovery: true, include: [] }, ssr: { external: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'] } });
	try {
		const tf = require('@tensorflow/tfjs');
		const wasm = require('@tensorflow/tfjs-backend-wasm');
		wasm.setThreadsCount?.(threads);
		if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
		await tf.ready();
		const ssr = (path) => server.ssrLoadModule(path);
		const { load } = await ssr('/src/lib/models/style-net/index.ts');
		const fetchDisk = async (url) => new Response(await readFile(join(ROOT, 'static', String(url))));
		const net = await load({ url: '/models/style-net/', fetch: fetchDisk, warmupSize: [64, 64] });
		return {
			tf,
			net,
			ssr,
			backend: `wasm, ${wasm.getThreadsCount?.() ?? threads} thread(s), Node ${process.version}`,
			close: async () => {
				net.dispose();
				await server.close();
			}
		};
	} catch (err) {
		await server.close();
		throw err;
	}
}
