import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Cross-origin isolation (COOP/COEP) lets the wasm backend use threads (SharedArrayBuffer).
 * SvelteKit's preview ignores `preview.headers`, so set them in a plugin for dev and preview alike.
 * Static hosts need the same two headers: see docs/hosting.md.
 */
export const isolationHeaders: Record<string, string> = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	'Cross-Origin-Resource-Policy': 'same-origin'
};

function crossOriginIsolation(): Plugin {
	const setHeaders = (_req: unknown, res: { setHeader(k: string, v: string): void }, next: () => void) => {
		for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
		next();
	};
	return {
		name: 'cross-origin-isolation',
		configureServer(server) {
			server.middlewares.use(setHeaders);
		},
		configurePreviewServer(server) {
			server.middlewares.use(setHeaders);
		}
	};
}

export default defineConfig({
	plugins: [crossOriginIsolation(), sveltekit()],
	worker: { format: 'es' },
	build: {
		// tfjs-backend-wasm ships its thread worker as a function's source text (toString); minifying
		// renames what that text refers to, and every wasm thread dies with "e is not defined".
		// See docs/architecture.md ("Build").
		minify: false
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
