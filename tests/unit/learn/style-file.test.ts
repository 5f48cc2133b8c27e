/** Learned styles as files and in IndexedDB: the round trip, refusals with messages, quota errors. */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { LearnedStyleStore, StorageFullError, watchLearnedStyles } from '../../../src/lib/learn/store';
import { cleanName, parseStyleFile, toStyleFile, type LearnedStyle } from '../../../src/lib/learn/style-file';

const shape = { networkVersion: 2, rowWidth: 6 };
const style = (over: Partial<LearnedStyle> = {}): LearnedStyle => ({
	id: 'a',
	name: 'My painting',
	networkVersion: 2,
	row: [1, 0.5, -0.25, 1.1, 3.3333333, -7e-5].map(Math.fround),
	thumbnail: 'data:image/jpeg;base64,AAAA',
	createdAt: 5,
	...over
});

describe('learned style file', () => {
	it('round-trips name, row (float32 exact), thumbnail and version', () => {
		const s = style();
		const back = parseStyleFile(toStyleFile(s), shape, 'b');
		expect(back).toEqual({ ...s, id: 'b' });
	});

	it('refuses a file for another network version, with a message', () => {
		expect(() => parseStyleFile(toStyleFile(style({ networkVersion: 1 })), shape)).toThrow(/version 1; this app runs version 2/);
	});

	it('refuses other files and damaged rows', () => {
		expect(() => parseStyleFile('not json', shape)).toThrow(/not JSON/);
		expect(() => parseStyleFile('{"format":"x"}', shape)).toThrow(/not a learned style/);
		expect(() => parseStyleFile(toStyleFile(style({ row: [1, 2, 3] })), shape)).toThrow(/expected 6 finite numbers/);
		const bad = JSON.parse(toStyleFile(style()));
		bad.row[2] = 'x';
		expect(() => parseStyleFile(JSON.stringify(bad), shape)).toThrow(/damaged/);
		bad.row[2] = 1;
		bad.thumbnail = 'javascript:alert(1)';
		expect(parseStyleFile(JSON.stringify(bad), shape).thumbnail).toBe('');
	});

	it('checks names: trimmed, not only digits, nothing that breaks the kiosk address', () => {
		expect(cleanName('  Blue   hour ')).toBe('Blue hour');
		expect(() => cleanName('  ')).toThrow(/name/);
		expect(() => cleanName('13')).toThrow(/letter/);
		expect(() => cleanName('a,b')).toThrow(/cannot contain/);
	});
});

describe('learned style store', () => {
	it('keeps, lists in order, deletes', async () => {
		const store = await LearnedStyleStore.open(new IDBFactory());
		await store.put(style({ id: 'late', createdAt: 9 }));
		await store.put(style({ id: 'early', createdAt: 1 }));
		expect((await store.list()).map((s) => s.id)).toEqual(['early', 'late']);
		expect((await store.list())[0].row).toEqual(style().row);
		await store.delete('early');
		expect((await store.list()).map((s) => s.id)).toEqual(['late']);
		store.close();
	});

	it('announces each save and delete to the watchers (an open studio re-reads its list)', async () => {
		const store = await LearnedStyleStore.open(new IDBFactory());
		let calls = 0;
		const stop = watchLearnedStyles(() => calls++);
		try {
			await store.put(style({ id: 'a' }));
			await vi.waitFor(() => expect(calls).toBe(1));
			await store.delete('a');
			await vi.waitFor(() => expect(calls).toBe(2));
		} finally {
			stop();
			store.close();
		}
	});

	it('reports a full disk as StorageFullError', async () => {
		const store = await LearnedStyleStore.open(new IDBFactory());
		const db = (store as unknown as { db: IDBDatabase }).db;
		const real = db.transaction.bind(db);
		db.transaction = ((...a: Parameters<IDBDatabase['transaction']>) => {
			const tx = real(...a);
			queueMicrotask(() => {
				Object.defineProperty(tx, 'error', { value: new DOMException('full', 'QuotaExceededError') });
				tx.abort();
			});
			return tx;
		}) as IDBDatabase['transaction'];
		await expect(store.put(style())).rejects.toBeInstanceOf(StorageFullError);
		store.close();
	});
});
