import { defineConfig } from '@playwright/test';

// E2E_PORT lets two checkouts run their browser tests side by side (each serves its own build).
const PORT = Number(process.env.E2E_PORT ?? 4173);

import { BASE_ARGS, CHROMIUM } from './scripts/browser.mjs';

/** Debian's Chromium and the flags every test browser gets (scripts/browser.mjs, shared with the bench). */
export { BASE_ARGS, CHROMIUM };

export default defineConfig({
	testDir: 'tests/e2e',
	globalSetup: './tests/e2e/global-setup.ts',
	timeout: 120_000,
	expect: { timeout: 30_000 },
	fullyParallel: false,
	workers: 1,
	retries: 0,
	reporter: [['list']],
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		launchOptions: { executablePath: CHROMIUM, args: BASE_ARGS },
		viewport: { width: 1200, height: 900 },
		// The built app registers a service worker that answers from its cache; it would hide requests from
		// page.route() and serve a test the previous test's files. tests/e2e/offline.spec.ts allows it.
		serviceWorkers: 'block',
		trace: 'off'
	},
	webServer: {
		command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${PORT} --strictPort`,
		url: `http://127.0.0.1:${PORT}/`,
		reuseExistingServer: !process.env.CI,
		timeout: 60_000
	}
});
