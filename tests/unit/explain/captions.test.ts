import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPTIONS, TITLES } from '../../../src/lib/explain/captions';
import { CAM_METHODS } from '../../../src/lib/explain/cam';

describe('captions', () => {
	it('cover every CAM method and are short', () => {
		for (const m of Object.keys(CAM_METHODS)) expect(CAPTIONS[m as keyof typeof CAPTIONS]).toBeDefined();
		for (const t of Object.values(TITLES)) expect(t.length).toBeGreaterThan(3);
		for (const c of Object.values(CAPTIONS)) {
			expect(c.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 1).length).toBeLessThanOrEqual(3);
		}
	});

	it('are the same text as docs/explanations.md', () => {
		const doc = readFileSync(join(__dirname, '../../../docs/explanations.md'), 'utf8');
		for (const c of Object.values(CAPTIONS)) expect(doc).toContain(c);
	});
});
