import { SnapshotStore } from './store';

/** Studio side: puts one picture into the gallery's snapshot store (opened and closed per call). */
export async function keepSnapshot(blob: Blob, meta: { width: number; height: number; source: string; label?: string }): Promise<string> {
	const store = await SnapshotStore.open();
	try {
		return await store.put(blob, meta);
	} finally {
		store.close();
	}
}
