import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, readHud, test, waitFrames } from './helpers';

/**
 * The production build is minified, except the one chunk that tfjs-backend-wasm turns into its thread
 * workers' source (`wasmFactoryThreadedSimd.toString()`): see vite.config.ts and docs/architecture.md
 * ("Build"). If that chunk gets mangled or compressed, every wasm thread dies with
 * "ReferenceError: e is not defined" (or "_scriptDir is not defined").
 */

const IMMUTABLE = resolve('build/_app/immutable');

/** Files small enough not to tell minified from unminified code are skipped. */
const MIN_BYTES = 20_000;

interface JsFile {
	name: string;
	code: string;
}

function builtJs(dir = IMMUTABLE): JsFile[] {
	return readdirSync(dir).flatMap((n) => {
		const p = join(dir, n);
		if (statSync(p).isDirectory()) return builtJs(p);
		return p.endsWith('.js') ? [{ name: relative(IMMUTABLE, p), code: readFileSync(p, 'utf8') }] : [];
	});
}

/** Newlines per KB: unminified tfjs has about 30; minified code only keeps those inside template literals (GLSL), about 6. */
const newlinesPerKb = (code: string) => (code.match(/\n/g)?.length ?? 0) / (code.length / 1024);

/** Share of declared names (var/let/const/function/class) 6 characters or longer: most of them unmangled, a few % mangled. */
function longDeclaredNames(code: string): number {
	const names = [...code.matchAll(/\b(?:var|let|const|function|class)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]);
	return names.length === 0 ? 0 : names.filter((n) => n.length >= 6).length / names.length;
}

/** The emscripten factory whose source text becomes the wasm threads' script; `_scriptDir` is one of its closure's names. */
const isThreadFactory = (code: string) => code.includes('_scriptDir');

test('the built JS is minified, the page and the workers alike, except the wasm thread factory', () => {
	let files: JsFile[];
	try {
		files = builtJs().filter((f) => f.code.length >= MIN_BYTES);
	} catch (e) {
		throw new Error(`no build in ${IMMUTABLE} (run npm run build first): ${e}`);
	}
	expect(files.filter((f) => f.name.startsWith('workers/')).length, 'worker bundles are built and checked').toBeGreaterThan(0);

	for (const f of files) expect(newlinesPerKb(f.code), `${f.name}: newlines per KB`).toBeLessThan(10);

	const factories = files.filter((f) => isThreadFactory(f.code));
	expect(factories.length, 'a chunk holds the wasm thread factory with its names kept').toBeGreaterThan(0);
	for (const f of factories) {
		// Neither mangled (`_scriptDir` renamed) nor compressed (the typeof guard dropped): the text still runs in a thread.
		expect(f.code.includes('typeof _scriptDir'), `${f.name}: the thread factory's source is intact ("typeof _scriptDir" kept)`).toBe(true);
	}

	for (const f of files.filter((f) => !isThreadFactory(f.code))) {
		expect(longDeclaredNames(f.code), `${f.name}: share of long declared names (mangled code has few)`).toBeLessThan(0.1);
	}
});

test('with ?backend=wasm&threads=2 the minified app runs wasm threads in the style worker and keeps drawing frames', async ({ page }) => {
	test.setTimeout(180_000); // two cores: the worker, its wasm threads and the page share them
	// Emscripten reports a dead thread as a console *warning* ("worker sent an error! … ReferenceError: e is not
	// defined"), in the page and in the worker that owns the threads: watch every message, not just errors.
	const undefinedNames: string[] = [];
	const watch = (where: string) => (text: string) => {
		if (/is not defined/.test(text)) undefinedNames.push(`${where}: ${text}`);
	};
	page.on('console', (m) => watch('page')(m.text()));
	page.on('pageerror', (e) => watch('page error')(e.message));
	page.on('worker', (w) => w.on('console', (m) => watch(`worker ${w.url()}`)(m.text())));

	// The factory's source only runs in threads when more than one is asked for; the style worker's default
	// (all cores but one) is 1 on a 2-core machine, so ask for 2.
	await page.goto('/?backend=wasm&camera=0&threads=2&styleWorkers=1');
	const hud = page.getByTestId('hud');
	try {
		await expect
			.poll(async () => Number((await hud.getAttribute('data-threads')) || 0), { timeout: 60_000, message: 'wasm threads in the style worker' })
			.toBeGreaterThanOrEqual(2);
		expect((await readHud(page)).backend).toBe('wasm');
		await waitFrames(page, 5, 60_000);
	} finally {
		// Checked even when the threads never came: the dead threads' message is the cause worth reading.
		expect(undefinedNames).toEqual([]);
	}
});
