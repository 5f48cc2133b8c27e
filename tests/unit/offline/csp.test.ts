import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtScriptHashes, CSP_DIRECTIVES, headerPolicy, HOST_HEADER_FILES, ISOLATION_HEADERS, kitStyleAttributes, serializePolicy, sha256Source, writeHostHeaders } from '../../../scripts/csp.mjs';

describe('the Content-Security-Policy (scripts/csp.mjs)', () => {
	it('hashes as CSP does (sha256, base64)', () => {
		// echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
		expect(sha256Source('alert(1)')).toBe('sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=');
	});

	it('serializes like SvelteKit: keywords and hashes quoted, schemes not', () => {
		expect(serializePolicy({ 'script-src': ['self', 'wasm-unsafe-eval', 'blob:', 'sha256-abc='], 'object-src': ['none'] })).toBe(
			"script-src 'self' 'wasm-unsafe-eval' blob: 'sha256-abc='; object-src 'none'"
		);
	});

	it('allows no eval, no inline script or style without a hash, and no other origin', () => {
		const all = Object.values(CSP_DIRECTIVES).flat();
		for (const forbidden of ['unsafe-eval', 'unsafe-inline', '*', 'http:', 'https:']) expect(all).not.toContain(forbidden);
		for (const v of all) expect(v).toMatch(/^(self|none|wasm-unsafe-eval|unsafe-hashes|sha256-[A-Za-z0-9+/=]+|blob:)$/);
	});

	it("finds the style attribute of SvelteKit's announcer, and allows exactly it", () => {
		const styles = kitStyleAttributes();
		expect(styles).toEqual([expect.stringContaining('position: absolute')]);
		expect(CSP_DIRECTIVES['style-src-attr']).toEqual(['unsafe-hashes', sha256Source(styles[0])]);
	});

	it('the header carries every page’s inline-script hashes; a page without the <meta> is an error', () => {
		const dir = mkdtempSync(join(tmpdir(), 'csp-'));
		const page = (hash: string) => `<head><meta http-equiv="content-security-policy" content="default-src 'self'; script-src 'self' 'sha256-${hash}'"></head>`;
		writeFileSync(join(dir, 'index.html'), page('one='));
		writeFileSync(join(dir, 'lab.html'), page('two='));
		writeFileSync(join(dir, 'gallery.html'), page('one='));
		expect(builtScriptHashes(dir)).toEqual(['sha256-one=', 'sha256-two=']);
		expect(headerPolicy(dir)).toContain("script-src 'self' 'wasm-unsafe-eval' blob: 'sha256-one=' 'sha256-two='");
		expect(headerPolicy(dir)).toContain("frame-ancestors 'none'");
		writeFileSync(join(dir, 'bench.html'), '<head></head>');
		expect(() => builtScriptHashes(dir)).toThrow(/bench\.html has no Content-Security-Policy <meta>/);
	});
});

describe('host header files (writeHostHeaders)', () => {
	it('writes the isolation headers and this build’s policy for Netlify-style hosts and nginx', () => {
		const dir = mkdtempSync(join(tmpdir(), 'csp-host-'));
		writeFileSync(join(dir, 'index.html'), `<head><meta http-equiv="content-security-policy" content="script-src 'self' 'sha256-abc='"></head>`);
		writeHostHeaders(dir);
		const policy = headerPolicy(dir);
		expect(policy).toContain("'sha256-abc='");
		const netlify = readFileSync(join(dir, HOST_HEADER_FILES.netlify), 'utf8').split('\n');
		expect(netlify[0]).toBe('/*');
		expect(netlify).toContain(`  Content-Security-Policy: ${policy}`);
		for (const [k, v] of Object.entries(ISOLATION_HEADERS)) expect(netlify).toContain(`  ${k}: ${v}`);
		const nginx = readFileSync(join(dir, HOST_HEADER_FILES.nginx), 'utf8');
		expect(nginx).toContain(`add_header Content-Security-Policy "${policy}" always;`);
		expect(nginx).toContain('add_header Cross-Origin-Embedder-Policy "require-corp" always;');
		// The policy holds no double quote, so the nginx value is quoted safely.
		expect(policy).not.toContain('"');
	});
});
