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

/**
 * Serves the built app (build/, `npm run build` first) with `vite preview` on 127.0.0.1:`port`, and waits
 * until it answers. Returns its address and `stop()`.
 */
export async function servePreview(port) {
	const { spawn } = await import('node:child_process');
	const { dirname, join } = await import('node:path');
	const { fileURLToPath } = await import('node:url');
	const root = join(dirname(fileURLToPath(import.meta.url)), '..');
	const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: root, stdio: 'ignore' });
	const base = `http://127.0.0.1:${port}`;
	for (let i = 0; ; i++) {
		try {
			if ((await fetch(base)).ok) break;
		} catch {
			if (i > 100) {
				server.kill();
				throw new Error(`the preview server did not start on ${base}`);
			}
			await new Promise((r) => setTimeout(r, 300));
		}
	}
	return { base, stop: () => server.kill() };
}
