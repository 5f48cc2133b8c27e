/**
 * Learned styles kept on this device (IndexedDB, never sent anywhere): one object store `styles` of
 * LearnedStyle records in its own database, so it never bumps the snapshot store's schema. A full disk
 * or a refused quota comes back as a StorageFullError with a message a person can act on.
 */
import { openStore, request } from '../gallery/idb';
import type { LearnedStyle } from './style-file';

const DB_NAME = 'neural-style-studio-learned';
const DB_VERSION = 1;
const STORE = 'styles';

export class StorageFullError extends Error {
	override name = 'StorageFullError';
}

function quota(err: unknown): unknown {
	const name = (err as { name?: string } | null)?.name;
	if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED')
		return new StorageFullError('There is no room left on this device to keep the style: delete some learned styles or gallery pictures, or free disk space.');
	return err;
}

export class LearnedStyleStore {
	private constructor(private readonly db: IDBDatabase) {}

	static async open(factory: IDBFactory = indexedDB): Promise<LearnedStyleStore> {
		return new LearnedStyleStore(await openStore(factory, DB_NAME, DB_VERSION, STORE));
	}

	private tx(mode: IDBTransactionMode): IDBObjectStore {
		return this.db.transaction(STORE, mode).objectStore(STORE);
	}

	/** All learned styles, oldest first (their numbers 13, 14 … follow this order). */
	async list(): Promise<LearnedStyle[]> {
		const all = (await request(this.tx('readonly').getAll())) as LearnedStyle[];
		return all.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
	}

	async put(style: LearnedStyle): Promise<void> {
		try {
			const tx = this.db.transaction(STORE, 'readwrite');
			const done = new Promise<void>((resolve, reject) => {
				tx.oncomplete = () => resolve();
				tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
			});
			tx.objectStore(STORE).put({ ...style, row: style.row.slice() });
			await done;
		} catch (err) {
			throw quota(err);
		}
	}

	async delete(id: string): Promise<void> {
		await request(this.tx('readwrite').delete(id));
	}

	close(): void {
		this.db.close();
	}
}
