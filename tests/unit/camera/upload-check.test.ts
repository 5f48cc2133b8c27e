import { describe, expect, it } from 'vitest';
import { checkDimensions, checkFile, fitWithin } from '../../../src/lib/camera/upload-check';

describe('checkFile', () => {
	it('refuses empty files, wrong types and oversized files with a message naming the file', () => {
		const empty = checkFile({ name: 'a.png', type: 'image/png', size: 0 });
		expect(empty).toEqual({ ok: false, message: expect.stringContaining('0 bytes') });
		const pdf = checkFile({ name: 'doc.pdf', type: 'application/pdf', size: 10 });
		expect(pdf.ok).toBe(false);
		expect(!pdf.ok && pdf.message).toContain('doc.pdf');
		// The limit is 50 MiB: one byte over is refused with the limit in the message, the limit itself is accepted.
		const limit = 50 * 1024 * 1024;
		const huge = checkFile({ name: 'huge.jpg', type: 'image/jpeg', size: limit + 1 });
		expect(huge).toEqual({ ok: false, message: expect.stringContaining('the limit is 50 MB') });
		expect(checkFile({ name: 'big.jpg', type: 'image/jpeg', size: limit })).toEqual({ ok: true });
	});
	it('accepts ordinary images', () => {
		expect(checkFile({ name: 'a.jpg', type: 'image/jpeg', size: 300_000 })).toEqual({ ok: true });
	});
});

describe('checkDimensions', () => {
	it('refuses undecodable and absurd sizes, accepts a 40-megapixel photo', () => {
		expect(checkDimensions('x', 0, 0).ok).toBe(false);
		expect(checkDimensions('x', 20000, 20000).ok).toBe(false);
		expect(checkDimensions('x', 8000, 5000).ok).toBe(true);
	});
});

describe('fitWithin', () => {
	it('downscales the long side, keeps aspect, never upscales', () => {
		expect(fitWithin(8000, 5000, 1920)).toEqual({ width: 1920, height: 1200, scaled: true });
		expect(fitWithin(3000, 6000, 1920)).toEqual({ width: 960, height: 1920, scaled: true });
		expect(fitWithin(640, 480, 1920)).toEqual({ width: 640, height: 480, scaled: false });
	});
});
