/**
 * The snapshot store: pictures kept on this device only, in IndexedDB (never sent anywhere). The
 * studio puts a frame here and opens the lab on its id; the lab keeps its input and results here so a
 * reload loses nothing. One object store, `snapshots`: {id, blob (PNG), width, height, source, createdAt}.
 * The gallery (/gallery) lists them, adds uploads and bursts, and imports many at once (putMany: one
 * transaction, so an import is stored whole or not at all).
 */
import { openStore, request } from './idb';
export interface SnapshotMeta {
	id: string;
	width: number;
	height: number;
	/** Where it came from: 'studio', 'studio-stylized', 'upload', 'lab' … */
	source: string;
	createdAt: number;
	label?: string;
}

export interface Snapshot extends SnapshotMeta {
	blob: Blob;
}

const DB_NAME = 'neural-style-studio';
const DB_VERSION = 1;
const STORE = 'snapshots';


export class SnapshotStore {
	private constructor(private readonly db: IDBDatabase) {}

	static async open(factory: IDBFactory = indexedDB): Promise<SnapshotStore> {
		return new SnapshotStore(await openStore(factory, DB_NAME, DB_VERSION, STORE, (s) => s.createIndex('createdAt', 'createdAt')));
	}

	private tx(mode: IDBTransactionMode): IDBObjectStore {
		return this.db.transaction(STORE, mode).objectStore(STORE);
	}

	async put(blob: Blob, meta: Omit<SnapshotMeta, 'id' | 'createdAt'> & Partial<Pick<SnapshotMeta, 'id' | 'createdAt'>>): Promise<string> {
		const snap: Snapshot = { ...meta, id: meta.id ?? crypto.randomUUID(), createdAt: meta.createdAt ?? Date.now(), blob };
		await request(this.tx('readwrite').put(snap));
		return snap.id;
	}

	async get(id: string): Promise<Snapshot | null> {
		return ((await request(this.tx('readonly').get(id))) as Snapshot | undefined) ?? null;
	}

	/** Stores many snapshots in ONE transaction: all of them or, on any failure, none. */
	async putMany(snaps: readonly Snapshot[]): Promise<void> {
		if (snaps.length === 0) return;
		const tx = this.db.transaction(STORE, 'readwrite');
		const done = new Promise<void>((resolve, reject) => {
			tx.oncomplete = () => resolve();
			tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
			tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
		});
		const store = tx.objectStore(STORE);
		try {
			for (const s of snaps) store.put(s);
		} catch (err) {
			tx.abort();
			await done.catch(() => {});
			throw err;
		}
		await done;
	}

	/** Every snapshot with its picture, newest first (for the export). */
	async getAll(): Promise<Snapshot[]> {
		const all = (await request(this.tx('readonly').getAll())) as Snapshot[];
		return all.sort((a, b) => b.createdAt - a.createdAt);
	}

	/** Newest first, without the pictures. */
	async list(): Promise<SnapshotMeta[]> {
		const all = (await request(this.tx('readonly').getAll())) as Snapshot[];
		return all.map(({ blob: _blob, ...meta }) => meta).sort((a, b) => b.createdAt - a.createdAt);
	}

	async delete(id: string): Promise<void> {
		await request(this.tx('readwrite').delete(id));
	}

	async clear(): Promise<void> {
		await request(this.tx('readwrite').clear());
	}

	close(): void {
		this.db.close();
	}
}
