import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageSize } from '../../../src/lib/camera/image-header';

// Real files from Debian's ffmpeg (npm test installs it), 123 × 45 so width and height differ.
const dir = mkdtempSync(join(tmpdir(), 'hdr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function encode(name: string, extra: string[] = []): Uint8Array {
	const file = join(dir, name);
	execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=s=123x45', '-frames:v', '1', ...extra, file]);
	return new Uint8Array(readFileSync(file));
}

describe('readImageSize on real encoder output', () => {
	for (const [name, format, extra] of [
		['a.png', 'png', []],
		['a.jpg', 'jpeg', []],
		['a.gif', 'gif', []],
		['a.bmp', 'bmp', []],
		['lossy.webp', 'webp', ['-c:v', 'libwebp']],
		['lossless.webp', 'webp', ['-c:v', 'libwebp', '-lossless', '1']],
		['a.avif', 'avif', ['-c:v', 'libaom-av1', '-still-picture', '1', '-cpu-used', '8']]
	] as const) {
		it(`${name}: ${format} 123 × 45`, () => {
			expect(readImageSize(encode(name, [...extra]))).toEqual({ format, width: 123, height: 45 });
		});
	}
	it('finds the JPEG frame header behind a large metadata segment', () => {
		const jpg = encode('b.jpg');
		const app = new Uint8Array(4 + 60000);
		app.set([0xff, 0xe1, (60002 >> 8) & 0xff, 60002 & 0xff]); // APP1 of 60,000 bytes
		const big = new Uint8Array(jpg.length + app.length);
		big.set(jpg.subarray(0, 2));
		big.set(app, 2);
		big.set(jpg.subarray(2), 2 + app.length);
		expect(readImageSize(big)).toEqual({ format: 'jpeg', width: 123, height: 45 });
		// ...but not when only part of the file was read and the frame header is beyond it
		expect(readImageSize(big.subarray(0, 30000))).toBeNull();
	});
	it('reads the claimed size of an AVIF bomb (its ispe box) without decoding', () => {
		const avif = encode('b.avif', ['-c:v', 'libaom-av1', '-still-picture', '1', '-cpu-used', '8']);
		const at = Buffer.from(avif).indexOf('ispe');
		expect(at).toBeGreaterThan(0);
		new DataView(avif.buffer).setUint32(at + 8, 40000);
		new DataView(avif.buffer).setUint32(at + 12, 30000);
		expect(readImageSize(avif)).toEqual({ format: 'avif', width: 40000, height: 30000 });
		// an ISOBMFF file of another brand (e.g. an MP4 renamed .avif) is not read as AVIF
		const mp4 = avif.slice();
		mp4.set(new TextEncoder().encode('isom'), 8);
		mp4.set(new TextEncoder().encode('isom'), 16);
		expect(readImageSize(mp4)).toBeNull();
	});
	it('reads the claimed size of a PNG bomb without decoding', () => {
		const png = encode('c.png');
		new DataView(png.buffer).setUint32(16, 40000);
		new DataView(png.buffer).setUint32(20, 40000);
		expect(readImageSize(png)).toEqual({ format: 'png', width: 40000, height: 40000 });
	});
});

describe('readImageSize on other input', () => {
	it('returns null for unknown, truncated, empty or zero-sized headers', () => {
		const enc = new TextEncoder();
		expect(readImageSize(new Uint8Array(0))).toBeNull();
		expect(readImageSize(enc.encode('this is not a jpeg\n'.repeat(4)))).toBeNull();
		expect(readImageSize(Uint8Array.of(0x89, 0x50, 0x4e, 0x47))).toBeNull();
		expect(readImageSize(Uint8Array.of(0xff, 0xd8, 0xff, 0xda, 0, 8))).toBeNull(); // scan before any frame
		expect(readImageSize(enc.encode('GIF89a\x00\x00\x10\x00'))).toBeNull(); // width 0: left to the decoder
	});
});
