/**
 * Learned styles kept on this device (IndexedDB, never sent anywhere): one object store `styles` of
 * LearnedStyle records in its own database, so it never bumps the snapshot store's schema. A full disk
 * or a refused quota comes back as a StorageFullError with a message a person can act on.
 *
 * Each save or delete is announced on the BroadcastChannel LEARNED_CHANNEL (same browser, same origin),
 * so an open studio, kiosk or another /learn tab re-reads the list at once (`watchLearnedStyles`).
 */
import { openStore, request } from '../gallery/idb';
import type { LearnedStyle } from './style-file';

const DB_NAME = 'neural-style-studio-learned';
const DB_VERSION = 1;
const STORE = 'styles';
/** The channel a change of the learned styles is announced on (the message says nothing more: re-read the list). */
export const LEARNED_CHANNEL = 'neural-style-studio/learned-styles';

/**
 * Calls `onChange` whenever another page (or another store object) saves or deletes a learned style.
 * Returns the function that stops watching. Without BroadcastChannel, nothing is announced.
 */
export function watchLearnedStyles(onChange: () => void): () => void {
	if (typeof BroadcastChannel === 'undefined') return () => {};
	const channel = new BroadcastChannel(LEARNED_CHANNEL);
	channel.onmessage = () => onChange();
	return () => channel.close();
}

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
	private channel: BroadcastChannel | null = null;

	private constructor(private readonly db: IDBDatabase) {}

	/** Tells every watcher (other pages) that the list changed. */
	private announce(): void {
		if (typeof BroadcastChannel === 'undefined') return;
		(this.channel ??= new BroadcastChannel(LEARNED_CHANNEL)).postMessage('changed');
	}

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
		this.announce();
	}

	async delete(id: string): Promise<void> {
		await request(this.tx('readwrite').delete(id));
		this.announce();
	}

	close(): void {
		this.channel?.close();
		this.channel = null;
		this.db.close();
	}
}
