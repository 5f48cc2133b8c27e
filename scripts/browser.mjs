// The test browser, in one place: Debian's Chromium (Playwright cannot download its own here) and the
// flags every test and benchmark browser gets — quiet network, and SwiftShader WebGL so the
// software-GPU path is real. playwright.config.ts re-exports these; bench/run.mjs imports them.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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
