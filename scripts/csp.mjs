// The Content-Security-Policy, in one place. svelte.config.js gives these directives to SvelteKit
// (`kit.csp`, mode 'hash': every prerendered page carries them in a <meta> with the hashes of its inline
// scripts); vite.config.ts sends the same policy as a header from the preview server, with the hashes read
// from the built pages (`headerPolicy`); `npm run build` writes it, with the isolation headers, into the build
// for other hosts (`writeHostHeaders`), and `node scripts/csp.mjs` prints it.
// Why each directive: docs/hosting.md ("Content-Security-Policy").
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** SvelteKit's root component: its live-region announcer has a fixed inline style attribute. */
const KIT_ROOT_TEMPLATE = join(root, 'node_modules/@sveltejs/kit/src/core/sync/write_root.js');

/** `'sha256-…'` (unquoted, SvelteKit's form) of a string, as CSP hashes it. */
export const sha256Source = (text) => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;

/**
 * The style attributes SvelteKit writes itself (its announcer `<div style="position: absolute; …">`),
 * read from its source so a SvelteKit update that changes them changes the hashes too. Svelte sets our own
 * components' style attributes through the CSSOM (`el.style.cssText`), which CSP does not govern.
 */
export function kitStyleAttributes(template = KIT_ROOT_TEMPLATE) {
	if (!existsSync(template)) throw new Error(`scripts/csp.mjs: ${template} is missing: SvelteKit moved its root template; find its style attributes again`);
	return [...readFileSync(template, 'utf8').matchAll(/\sstyle="([^"$]+)"/g)].map((m) => m[1]);
}

/** The policy in SvelteKit's form (keywords unquoted). Inline script hashes are added per page by SvelteKit. */
export const CSP_DIRECTIVES = {
	'default-src': ['self'],
	// 'wasm-unsafe-eval': compiling WebAssembly (tfjs-backend-wasm, and Long's tiny multiply module in tfjs).
	// blob:: each wasm thread is a worker made from a blob that importScripts() the emscripten factory's
	// source from another blob (tfjs-backend-wasm); without it, threads die and the backend falls back.
	'script-src': ['self', 'wasm-unsafe-eval', 'blob:'],
	'worker-src': ['self', 'blob:'],
	'style-src': ['self'],
	'style-src-attr': ['unsafe-hashes', ...kitStyleAttributes().map(sha256Source)],
	// blob:: uploads, snapshots and lab results are shown from blob URLs. (No data: URLs anywhere.)
	'img-src': ['self', 'blob:'],
	// The camera's stream goes to the <video> through srcObject, which CSP does not govern.
	'media-src': ['self'],
	'connect-src': ['self'],
	'font-src': ['self'],
	'manifest-src': ['self'],
	'object-src': ['none'],
	'base-uri': ['self'],
	'form-action': ['self'],
	// Only in a header (a <meta> cannot carry it; SvelteKit leaves it out of the meta).
	'frame-ancestors': ['none']
};

const KEYWORDS = new Set(['self', 'none', 'unsafe-eval', 'unsafe-hashes', 'unsafe-inline', 'strict-dynamic', 'report-sample', 'wasm-unsafe-eval', 'script']);

/** Serializes directives the way SvelteKit does (keywords and hashes quoted). */
export function serializePolicy(directives) {
	return Object.entries(directives)
		.map(([name, values]) => [name, ...values.map((v) => (KEYWORDS.has(v) || /^(nonce|sha\d{3})-/.test(v) ? `'${v}'` : v))].join(' '))
		.join('; ');
}

function htmlFiles(dir) {
	return readdirSync(dir).flatMap((n) => {
		const p = join(dir, n);
		if (statSync(p).isDirectory()) return n === '_app' ? [] : htmlFiles(p);
		return n.endsWith('.html') ? [p] : [];
	});
}

/** The inline-script hashes SvelteKit put in the built pages' <meta> policies (each page has its own). */
export function builtScriptHashes(buildDir) {
	const hashes = new Set();
	for (const file of htmlFiles(buildDir)) {
		const meta = /<meta http-equiv="content-security-policy" content="([^"]*)"/i.exec(readFileSync(file, 'utf8'));
		if (!meta) throw new Error(`${file} has no Content-Security-Policy <meta>: is kit.csp set in svelte.config.js?`);
		const scriptSrc = meta[1].split(';').map((d) => d.trim().split(/\s+/)).find((d) => d[0] === 'script-src') ?? [];
		for (const v of scriptSrc) if (/^'sha256-/.test(v)) hashes.add(v.slice(1, -1));
	}
	return [...hashes].sort();
}

/**
 * The header for every response of a build: the directives above plus the inline-script hashes of all its
 * pages. A header and a <meta> policy both apply (a request must pass both), so the header has to allow
 * what every page's meta allows; the hashes change with every build.
 */
export function headerPolicy(buildDir = join(root, 'build')) {
	return serializePolicy({ ...CSP_DIRECTIVES, 'script-src': [...CSP_DIRECTIVES['script-src'], ...builtScriptHashes(buildDir)] });
}

/**
 * Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer): every response needs these.
 * The dev and preview servers send them (vite.config.ts); other hosts get them from `writeHostHeaders`.
 */
export const ISOLATION_HEADERS = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	'Cross-Origin-Resource-Policy': 'same-origin'
};

/** Every header a build's responses need, in one map: isolation and this build's policy. */
export function hostHeaders(buildDir = join(root, 'build')) {
	return { ...ISOLATION_HEADERS, 'Content-Security-Policy': headerPolicy(buildDir) };
}

/** Files `writeHostHeaders` puts into the build, for hosts that read them (see docs/hosting.md). */
export const HOST_HEADER_FILES = { netlify: '_headers', nginx: 'nginx-headers.conf' };

/**
 * Writes this build's headers where static hosts find them, so a new build never ships with a stale
 * policy: `_headers` (Netlify, Cloudflare Pages: every path) and `nginx-headers.conf` (`include` it in the
 * server block). Run by `npm run build` after Vite.
 */
export function writeHostHeaders(buildDir = join(root, 'build')) {
	const headers = Object.entries(hostHeaders(buildDir));
	writeFileSync(join(buildDir, HOST_HEADER_FILES.netlify), `/*\n${headers.map(([k, v]) => `  ${k}: ${v}\n`).join('')}`);
	writeFileSync(
		join(buildDir, HOST_HEADER_FILES.nginx),
		`# Neural Style Studio: this build's headers (written by npm run build). In the server block: include ${HOST_HEADER_FILES.nginx};\n` +
			headers.map(([k, v]) => `add_header ${k} "${v}" always;\n`).join('')
	);
}

// `node scripts/csp.mjs [build-dir]`: the header to configure on another host for this build.
// `node scripts/csp.mjs --write [build-dir]`: writes it, with the isolation headers, into the build (writeHostHeaders).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const args = process.argv.slice(2);
	const write = args[0] === '--write';
	const dir = (write ? args[1] : args[0]) ?? join(root, 'build');
	if (write) {
		writeHostHeaders(dir);
		console.log(`${HOST_HEADER_FILES.netlify} and ${HOST_HEADER_FILES.nginx} written into ${dir}`);
	} else console.log(`Content-Security-Policy: ${headerPolicy(dir)}`);
}
