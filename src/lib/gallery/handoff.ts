import { SnapshotStore } from './store';

/**
 * Studio side: keeps a picture in the snapshot store and opens the lab on it in `win` — a tab the click
 * opened at once (so no popup blocker objects to the wait), or a new one — while the studio keeps running.
 */
export async function sendToLab(blob: Blob, meta: { width: number; height: number; source: string; label?: string }, win: Window | null): Promise<void> {
	const store = await SnapshotStore.open();
	try {
		const id = await store.put(blob, meta);
		const url = `/lab?snapshot=${encodeURIComponent(id)}`;
		if (win && !win.closed) win.location.href = url;
		else window.open(url, '_blank');
	} catch (err) {
		win?.close();
		throw err;
	} finally {
		store.close();
	}
}
