import { describe, expect, it } from 'vitest';
import { importMessage, keepDecodable, type Decoded } from '../../../src/lib/gallery/import';

// The browser's decoder is not in Node: this one decodes "pictures" written as "W×H" text and throws on
// anything else, as createImageBitmap throws on a damaged file (tests/e2e/gallery.spec.ts uses the real one).
const decode = async (blob: Blob): Promise<Decoded> => {
	const m = /^(\d+)×(\d+)$/.exec(await blob.text());
	if (!m) throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
	return { width: Number(m[1]), height: Number(m[2]) };
};
let n = 0;
const pic = (text: string, label?: string) => ({ id: `id-${++n}`, blob: new Blob([text]), label, text });

describe('gallery import: each picture decoded, the good ones kept', () => {
	it('a damaged picture and one over the megapixel limit are left out and named; the others kept in order', async () => {
		const items = [pic('640×480', 'mug'), pic('garbage'), pic('12000×12000', 'huge'), pic('320×240')];
		const { kept, refused } = await keepDecodable(items, decode);
		expect(kept.map((k) => k.text)).toEqual(['640×480', '320×240']);
		expect(refused).toEqual(['“id-2” could not be decoded (damaged)', '“huge” is 144 megapixels; the limit is 100 megapixels']);
	});

	it('one message names every picture left out', () => {
		expect(importMessage('class.json', 3, [])).toEqual({ level: 'info', text: 'Imported 3 pictures from “class.json”.' });
		expect(importMessage('class.json', 1, ['“mug” could not be decoded (damaged)', 'picture 4 repeats the id of another'])).toEqual({
			level: 'error',
			text: 'Imported 1 picture from “class.json”; left out 2 pictures: “mug” could not be decoded (damaged); picture 4 repeats the id of another.'
		});
	});
});
