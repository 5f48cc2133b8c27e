/** IndexedDB helpers shared by the snapshot store, the feature cache and the learned styles' store. */

/** An IndexedDB request as a promise. */
export function request<T>(r: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		r.onsuccess = () => resolve(r.result);
		r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
	});
}

/**
 * Opens database `name` at `version`, creating the object store `store` (keyed by `id`) when it is
 * missing; `created` adds its indexes.
 */
export function openStore(factory: IDBFactory, name: string, version: number, store: string, created?: (s: IDBObjectStore) => void): Promise<IDBDatabase> {
	const req = factory.open(name, version);
	req.onupgradeneeded = () => {
		const db = req.result;
		if (db.objectStoreNames.contains(store)) return;
		const s = db.createObjectStore(store, { keyPath: 'id' });
		created?.(s);
	};
	return request(req);
}
