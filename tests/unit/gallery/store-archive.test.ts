import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_FORMAT, base64ToBytes, bytesToBase64, readArchive, writeArchive } from '../../../src/lib/gallery/archive';
import { FEATURE_MODEL, FeatureCache } from '../../../src/lib/gallery/feature-cache';
import { SnapshotStore } from '../../../src/lib/gallery/store';

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A PNG's signature and IHDR chunk (width, height), then `seed` bytes: not a whole picture (decoding is the browser's job: gallery/import.ts, e2e). */
function pngHeader(width: number, height: number, seed = 0): Uint8Array {
	const b = new Uint8Array(33 + 2);
	b.set(PNG_SIG, 0);
	const v = new DataView(b.buffer);
	v.setUint32(8, 13);
	b.set([0x49, 0x48, 0x44, 0x52], 12); // IHDR
	v.setUint32(16, width);
	v.setUint32(20, height);
	b.set([8, 2, 0, 0, 0], 24);
	b.set([seed, seed + 1], 33);
	return b;
}
const fakePng = (seed: number, width = 640, height = 480) => new Blob([pngHeader(width, height, seed) as Uint8Array<ArrayBuffer>], { type: 'image/png' });
const bytes = async (b: Blob) => Array.from(new Uint8Array(await b.arrayBuffer()));

async function filled(factory = new IDBFactory()) {
	const store = await SnapshotStore.open(factory);
	await store.put(fakePng(1), { id: 'a', width: 640, height: 480, source: 'camera', createdAt: 1000, label: 'mug' });
	await store.put(fakePng(2), { id: 'b', width: 320, height: 240, source: 'upload', createdAt: 2000 });
	return store;
}

describe('snapshot store (IndexedDB, fake-indexeddb in Node)', () => {
	it('round trip: put, get, list newest first, delete, clear', async () => {
		const store = await filled();
		const a = await store.get('a');
		expect(a?.label).toBe('mug');
		expect(await bytes(a!.blob)).toEqual(await bytes(fakePng(1)));
		expect((await store.list()).map((m) => m.id)).toEqual(['b', 'a']);
		expect((await store.list())[0]).not.toHaveProperty('blob');
		expect((await store.getAll()).map((s) => s.id)).toEqual(['b', 'a']);
		await store.delete('a');
		expect(await store.get('a')).toBeNull();
		await store.clear();
		expect(await store.list()).toEqual([]);
		store.close();
	});

	it('putMany stores all in one transaction, or none when one record is bad', async () => {
		const store = await filled();
		await store.putMany([
			{ id: 'c', width: 1, height: 1, source: 'import', createdAt: 3, blob: fakePng(3) },
			{ id: 'd', width: 1, height: 1, source: 'import', createdAt: 4, blob: fakePng(4) }
		]);
		expect((await store.list()).length).toBe(4);
		// A record without its key aborts the whole transaction.
		await expect(store.putMany([{ id: 'e', width: 1, height: 1, source: 'x', createdAt: 5, blob: fakePng(5) }, { width: 1 } as never])).rejects.toThrow();
		expect((await store.list()).map((m) => m.id).sort()).toEqual(['a', 'b', 'c', 'd']);
		store.close();
	});
});

describe('gallery archive: export and import as one file', () => {
	it('exports and imports every snapshot with its picture and metadata', async () => {
		const src = await filled();
		const file = await writeArchive(await src.getAll(), 5000);
		expect(file.type).toBe('application/json');
		const doc = JSON.parse(await file.text());
		expect(doc.format).toBe(ARCHIVE_FORMAT);
		expect(doc.version).toBe(1);
		const read = readArchive(await file.text(), 'gallery.json');
		if (!read.ok) throw new Error(read.message);
		const dst = await SnapshotStore.open(new IDBFactory());
		await dst.putMany(read.snapshots);
		expect(await dst.list()).toEqual(await src.list());
		for (const id of ['a', 'b']) expect(await bytes((await dst.get(id))!.blob)).toEqual(await bytes((await src.get(id))!.blob));
		expect((await dst.get('a'))!.blob.type).toBe('image/png');
		src.close();
		dst.close();
	});

	it('refuses a corrupt or foreign file with a message, and the gallery loses nothing', async () => {
		const store = await filled();
		const before = await store.list();
		const good = JSON.parse(await (await writeArchive(await store.getAll())).text());
		const one = (entry: object) => JSON.stringify({ ...good, snapshots: [entry] });
		const cases: [string, RegExp][] = [
			['{"format": "neural-style-studio-gallery", "version": 1, "snapshots": [', /not JSON, or cut off/],
			[JSON.stringify({ hello: 'world' }), /not a Neural Style Studio gallery/],
			[JSON.stringify({ ...good, version: 7 }), /newer version/],
			[JSON.stringify({ ...good, snapshots: 'x' }), /no list of pictures/],
			[one({ ...good.snapshots[0], data: bytesToBase64(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])) }), /picture 1's picture is damaged/],
			[one({ ...good.snapshots[0], data: '%%%' }), /not valid base64/],
			[one({ ...good.snapshots[0], width: -3 }), /width and height/],
			[one({ ...good.snapshots[0], data: bytesToBase64(new Uint8Array([...PNG_SIG, 0, 0, 0, 13])) }), /no readable size in its header/]
		];
		for (const [text, why] of cases) {
			const r = readArchive(text, 'class.json');
			expect(r.ok).toBe(false);
			if (!r.ok) {
				expect(r.message).toMatch(why);
				expect(r.message).toMatch(/“class\.json” was not imported: .*The gallery is unchanged\./);
			}
		}
		expect(await store.list()).toEqual(before);
		store.close();
	});

	it('checks each picture like an upload: a damaged one or a bomb (30000×30000 in its header) is left out and named, the good ones kept', async () => {
		const store = await filled();
		const good = JSON.parse(await (await writeArchive(await store.getAll())).text());
		const bomb = { ...good.snapshots[0], id: 'bomb', data: bytesToBase64(pngHeader(30_000, 30_000)) };
		const damaged = { ...good.snapshots[0], id: 'dmg', data: bytesToBase64(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])) };
		const wide = { ...good.snapshots[0], id: 'wide', data: bytesToBase64(pngHeader(20_000, 10)) };
		const r = readArchive(JSON.stringify({ ...good, snapshots: [good.snapshots[0], bomb, damaged, good.snapshots[1], good.snapshots[1], wide] }), 'class.json');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.snapshots.map((s) => s.id)).toEqual([good.snapshots[0].id, good.snapshots[1].id]);
		expect(r.refused).toEqual([
			'“picture 2” is 900 megapixels; the limit is 100 megapixels',
			"picture 3's picture is damaged (it does not start like a PNG)",
			'picture 5 repeats the id of another',
			"picture 6's picture is 20000×10 px; the limit is 16384 px a side"
		]);
		store.close();
	});

	it('base64 both ways, and rejects what is not base64', () => {
		const b = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
		expect(Array.from(base64ToBytes(bytesToBase64(b))!)).toEqual(Array.from(b));
		expect(base64ToBytes('abc')).toBeNull();
		expect(base64ToBytes('ab$=')).toBeNull();
	});
});

describe('feature cache', () => {
	it('keeps features per snapshot id, ignores another model, deletes', async () => {
		const cache = await FeatureCache.open(new IDBFactory());
		const rec = { id: 'a', model: FEATURE_MODEL, pooled: new Float32Array([1, 2]), tiny: new Float32Array([3]), top1: { index: 4, label: 'mug', prob: 0.5 } };
		await cache.put(rec);
		await cache.put({ ...rec, id: 'old', model: 'another-net' });
		const all = await cache.all();
		expect(all.map((r) => r.id)).toEqual(['a']);
		expect(Array.from(all[0].pooled)).toEqual([1, 2]);
		await cache.delete('a');
		expect(await cache.all()).toEqual([]);
		cache.close();
	});
});
