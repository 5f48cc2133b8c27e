import { describe, expect, it } from 'vitest';
import { extraStyles, styleSlug, usedExtraStyles } from '../../../src/lib/learn/extra-styles';

const builtIn = [{ id: 'udnie', title: 'Udnie', artist: '', year: '', file: '' }];
const learned = (name: string, createdAt = 0) => ({ id: name, name, networkVersion: 2, row: [1, 2], thumbnail: 'data:image/png;base64,AA', createdAt });

describe('learned styles as extra styles', () => {
	it('slugs are kiosk ids: lower case, unique, never a bare number, never a built-in id', () => {
		expect(styleSlug('Blue Hour à Paris', new Set())).toBe('blue-hour-a-paris');
		expect(styleSlug('udnie', new Set(['udnie']))).toBe('udnie-2');
		expect(styleSlug('2024', new Set())).toBe('learned-2024');
		expect(styleSlug('***', new Set())).toBe('learned');
	});

	it('keeps the order, the rows and the thumbnails', () => {
		const e = extraStyles([learned('Udnie'), learned('Udnie')], builtIn);
		expect(e.map((x) => x.info.id)).toEqual(['udnie-2', 'udnie-3']);
		expect(e[0].info.title).toBe('Udnie');
		expect(e[0].info.preview).toMatch(/^data:image\//);
		expect(e[0].row).toEqual([1, 2]);
	});

	it('names the ones the network left out (learned for another version) and keeps the rest', () => {
		const e = extraStyles([learned('Old'), learned('New'), learned('Older')], builtIn);
		const all = [...builtIn, ...e.map((x) => x.info)];
		expect(usedExtraStyles(e, all)).toEqual({ used: e, leftOut: null });
		const without = (...ids: string[]) => all.filter((s) => !ids.includes(s.id));
		const one = usedExtraStyles(e, without('old'));
		expect(one.used.map((x) => x.info.id)).toEqual(['new', 'older']);
		expect(one.leftOut).toBe('“Old” was learned for another version of the style network and is left out: learn it again from its picture (kept on this device; delete on the Learn page).');
		expect(usedExtraStyles(e, without('old', 'older')).leftOut).toMatch(/^“Old”, “Older” were learned .* are left out: learn them again from their pictures/);
	});
});
