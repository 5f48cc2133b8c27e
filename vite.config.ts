import { sveltekit } from '@sveltejs/kit/vite';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { minify, type Plugin, type Rolldown } from 'vite';
import { defineConfig } from 'vitest/config';
import { headerPolicy, ISOLATION_HEADERS } from './scripts/csp.mjs';
import { PRECACHE_LIST, type BuildList } from './src/lib/offline/policy.js';

type Res = { setHeader(k: string, v: string): void };

/** The Content-Security-Policy header for the build the preview server serves, re-read when a new build lands. */
function previewCsp(root: string): () => string {
	const pages = join(root, '.svelte-kit/output/prerendered/pages'); // what SvelteKit's preview serves

	let stamp = -1;
	let policy = '';
	return () => {
		const t = statSync(join(pages, 'index.html')).mtimeMs;
		if (t !== stamp) [policy, stamp] = [headerPolicy(pages), t];
		return policy;
	};
}

/**
 * Sets the isolation headers (COOP/COEP/CORP: wasm threads need SharedArrayBuffer) in dev and preview, and the
 * Content-Security-Policy in preview, both from scripts/csp.mjs. SvelteKit's preview ignores `preview.headers`,
 * hence a plugin; static hosts get the same headers from the files `npm run build` writes (docs/hosting.md).
 * In dev, SvelteKit renders each page on request and sends the policy itself, with its dev relaxations.
 */
function securityHeaders(): Plugin {
	const isolation = (_req: unknown, res: Res, next: () => void) => {
		for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
		next();
	};
	return {
		name: 'security-headers',
		configureServer(server) {
			server.middlewares.use(isolation);
		},
		configurePreviewServer(server) {
			const csp = previewCsp(server.config.root);
			server.middlewares.use((req: unknown, res: Res, next: () => void) => {
				res.setHeader('Content-Security-Policy', csp());
				isolation(req, res, next);
			});
		}
	};
}

/**
 * tfjs-backend-wasm starts its threads from the *source text* of one function: the emscripten factory in
 * wasm-out/tfjs-backend-wasm-threaded-simd.js (`wasmFactoryThreadedSimd.toString()` is the script every
 * pthread worker runs, outside the closure it was written in). So the chunk holding that module must be
 * neither mangled (its closure's `_scriptDir` becomes `e`) nor compressed (`typeof _scriptDir !== "undefined"`
 * becomes a bare `_scriptDir !== void 0`): either way every wasm thread dies with
 * "ReferenceError: e is not defined" (or "_scriptDir is not defined"). See docs/architecture.md ("Build").
 */
const WASM_THREAD_FACTORY = /[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;

/** Output options for the app and for the worker bundles alike. */
const output: Rolldown.OutputOptions = {
	// Rolldown's minifier takes one setting for all chunks: off here, minifyChunks() decides chunk by chunk.
	minify: false,
	// The factory gets a chunk of its own (54 KB), so the rest of tfjs and the app is minified in full.
	codeSplitting: { groups: [{ name: 'tfjs-wasm-threads', test: WASM_THREAD_FACTORY, priority: 100 }] }
};

/**
 * Minifies every client JS chunk with the minifier Vite ships (oxc: compress, mangle, no whitespace);
 * the chunk with the wasm thread factory only loses its whitespace. Runs in renderChunk, before the
 * file names' hashes are computed.
 */
function minifyChunks(): Plugin {
	return {
		name: 'minify-chunks',
		apply: 'build',
		enforce: 'post',
		async renderChunk(code, chunk, outputOptions) {
			const env = this.environment;
			if (env?.config.consumer === 'server') return null; // SvelteKit's server build: only used to prerender
			const keepSource = chunk.moduleIds.some((id) => WASM_THREAD_FACTORY.test(id));
			const target = env?.config.build.target;
			const res = await minify(chunk.fileName, code, {
				module: outputOptions.format === 'es',
				compress: keepSource ? false : target ? { target } : true,
				mangle: !keepSource,
				codegen: { removeWhitespace: true },
				sourcemap: !!outputOptions.sourcemap
			});
			if (res.errors.length) this.error(`minifying ${chunk.fileName}: ${res.errors.map((e) => e.message).join('; ')}`);
			return { code: res.code, map: res.map };
		}
	};
}

/**
 * Lists every file of the client build for the service worker. SvelteKit's `$service-worker` `build` list
 * comes from Vite's manifest, which names each worker's entry file but not the chunks the worker bundles
 * import (`_app/immutable/workers/chunks/*.js`: tfjs, the wasm thread factory…); without them a worker
 * cannot start offline. This emits the full list as one small JSON file (docs/offline.md).
 */
function precacheList(): Plugin {
	return {
		name: 'precache-list',
		apply: 'build',
		enforce: 'post',
		generateBundle(_options, bundle) {
			if (this.environment?.config.consumer !== 'client') return;
			const files = Object.keys(bundle)
				.filter((f) => f.startsWith('_app/immutable/'))
				.sort();
			this.emitFile({ type: 'asset', fileName: PRECACHE_LIST, source: JSON.stringify({ files } satisfies BuildList) });
		}
	};
}

export default defineConfig({
	plugins: [securityHeaders(), sveltekit(), minifyChunks(), precacheList()],
	// Workers import tfjs too (src/lib/workers/): same chunking, same per-chunk minification.
	worker: { format: 'es', plugins: () => [minifyChunks()], rolldownOptions: { output } },
	build: {
		// `true` keeps Vite and SvelteKit in minified-build mode (CSS minified, comments dropped); the JS
		// is minified by minifyChunks(), since rolldown's own pass is off in `output`.
		minify: true,
		rolldownOptions: { output }
	},
	server: { host: '127.0.0.1', port: 5173 },
	preview: { host: '127.0.0.1', port: 4173 },
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 120_000,
		hookTimeout: 120_000,
		pool: 'forks'
	}
});
