/**
 * Knowing at once that a worker is gone. A terminated worker sends no event, and one busy in a long
 * synchronous op cannot answer a ping; but the Web Locks it holds are released when it dies. So each
 * worker takes a lock with a unique name and keeps it forever (`holdLifeline`, worker side), and the page
 * asks for the same lock (`watchLifeline`): it is granted exactly when the worker has died. Where Web
 * Locks are missing, the per-call time limits of WorkerOwner still catch it, later.
 */

interface LockManagerLike {
	request(name: string, options: { signal?: AbortSignal }, cb: () => unknown): Promise<unknown>;
	request(name: string, cb: () => unknown): Promise<unknown>;
}

interface PortLike {
	postMessage(message: unknown): void;
	addEventListener(type: 'message', listener: (ev: Event) => void): void;
	removeEventListener(type: 'message', listener: (ev: Event) => void): void;
}

const locks = (): LockManagerLike | null =>
	((globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks as LockManagerLike | undefined) ?? null;

let counter = 0;

/** Page side. Calls `onDeath` when the worker dies; the returned function stops watching (call it before terminating on purpose). */
export function watchLifeline(worker: PortLike, onDeath: () => void): () => void {
	const lm = locks();
	if (!lm) return () => {};
	const name = `studio-worker-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2)}`;
	const stop = new AbortController();
	const onMessage = (ev: Event) => {
		if ((ev as MessageEvent).data?.__lifelineHeld !== name) return;
		worker.removeEventListener('message', onMessage);
		lm.request(name, { signal: stop.signal }, () => {
			if (!stop.signal.aborted) onDeath();
		}).catch(() => {
			/* aborted: we stopped watching */
		});
	};
	worker.addEventListener('message', onMessage);
	worker.postMessage({ __lifeline: name });
	return () => {
		stop.abort();
		worker.removeEventListener('message', onMessage);
	};
}

/** Worker side: hold the lock the page names until this worker ends. Call once at the top of a worker. */
export function holdLifeline(): void {
	const lm = locks();
	if (!lm) return;
	self.addEventListener('message', (ev: MessageEvent) => {
		const name = ev.data?.__lifeline;
		if (typeof name !== 'string') return;
		lm.request(name, () => {
			self.postMessage({ __lifelineHeld: name });
			return new Promise(() => {}); // held for the worker's whole life
		});
	});
}
