import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { CSP_DIRECTIVES } from './scripts/csp.mjs';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Static files: a kiosk or a school can host the build anywhere.
		adapter: adapter({ pages: 'build', assets: 'build', fallback: undefined, strict: true }),
		// Every prerendered page carries the policy in a <meta>, with the hashes of its inline scripts;
		// the preview server sends it as a header too (vite.config.ts). See docs/hosting.md.
		csp: { mode: 'hash', directives: CSP_DIRECTIVES },
		// src/service-worker.ts is registered by src/routes/+layout.ts, in builds only (docs/offline.md).
		serviceWorker: { register: false }
	}
};

export default config;
