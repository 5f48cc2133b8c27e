import { defineConfig } from '@playwright/test';

const PORT = 4173;

/** Debian's Chromium; Playwright cannot download its own browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags every test browser gets: quiet network, and SwiftShader WebGL so the software-GPU path is real. */
export const BASE_ARGS = [
	'--no-sandbox',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--enable-unsafe-swiftshader',
	'--use-angle=swiftshader',
	'--ignore-gpu-blocklist'
];

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
		trace: 'off'
	},
	webServer: {
		command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${PORT} --strictPort`,
		url: `http://127.0.0.1:${PORT}/`,
		reuseExistingServer: !process.env.CI,
		timeout: 60_000
	}
});
