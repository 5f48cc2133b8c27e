/**
 * Whether this page's build is saved for offline use, for the person in front of it (the studio's status
 * line, the kiosk's event log and staff panel). It follows the service worker registration that
 * `registerServiceWorker` (./page.ts) makes: a worker installing means the build is being saved; an active
 * worker means it is saved (a worker only activates once its whole build is cached); a worker waiting
 * behind an active one is a new version that starts the next time the app is opened (docs/offline.md).
 * Optionally it asks the browser to keep the saved copy under storage pressure (`navigator.storage.persist()`).
 */

export type OfflineState = 'checking' | 'saving' | 'ready' | 'failed' | 'unavailable';
export type UpdateState = 'none' | 'downloading' | 'waiting';

/** The parts of a registration this reads (a real ServiceWorkerRegistration, or a test's fake). */
export interface RegistrationView {
	installing: { state: string } | null;
	waiting: { state: string } | null;
	active: { state: string } | null;
}

/** The state a registration is in: an active worker has its build cached; a newer one may be on its way. */
export function readRegistration(reg: RegistrationView): { state: OfflineState; update: UpdateState } {
	if (reg.active) return { state: 'ready', update: reg.waiting ? 'waiting' : reg.installing ? 'downloading' : 'none' };
	if (reg.installing || reg.waiting) return { state: 'saving', update: 'none' };
	return { state: 'failed', update: 'none' };
}

/** What the status line says: a short text, and a longer explanation (a tooltip, the staff panel). */
export function describeOffline(s: { state: OfflineState; update: UpdateState; reason: string; persisted: boolean | null }): { text: string; detail: string } {
	switch (s.state) {
		case 'checking':
			return { text: 'Checking offline copy…', detail: 'Looking for the copy of the app saved in this browser.' };
		case 'saving':
			return { text: 'Saving for offline use…', detail: 'The app, its models and its WebAssembly are being saved in this browser (about 35 MB); then it works without a network.' };
		case 'unavailable':
			return { text: 'Not available offline', detail: s.reason };
		case 'failed':
			return { text: 'Not saved for offline use', detail: `${s.reason || 'The offline copy could not be saved'}; it is tried again on the next visit.` };
		case 'ready': {
			const kept =
				s.persisted === true
					? 'The browser keeps it until this site’s data is cleared.'
					: 'The browser may remove it when the disk is nearly full; the next visit online saves it again.';
			const update =
				s.update === 'waiting'
					? ' A new version has been downloaded: it starts the next time the app is opened (or this single tab is reloaded).'
					: s.update === 'downloading'
						? ' A new version is downloading; this one keeps running.'
						: '';
			return {
				text: s.update === 'waiting' ? 'Works offline · new version next time' : s.update === 'downloading' ? 'Works offline · downloading an update…' : 'Works offline',
				detail: `This version of the app is saved in this browser: it starts and runs without a network. ${kept}${update}`
			};
		}
	}
}

export interface OfflineEnv {
	/** The registration `registerServiceWorker` made (null: none could be made; undefined: none is attempted). */
	registration: Promise<ServiceWorkerRegistration | null> | undefined;
	/** Why there is no service worker when `registration` is undefined. */
	unavailableReason: string;
	storage: Pick<StorageManager, 'persist' | 'persisted'> | undefined;
}

export class OfflineStatus {
	state = $state<OfflineState>('checking');
	update = $state<UpdateState>('none');
	/** Why the state is 'unavailable' or 'failed'. */
	reason = $state('');
	/** Whether the browser keeps the saved copy under storage pressure (null: not known yet). */
	persisted = $state<boolean | null>(null);
	readonly summary = $derived(describeOffline(this));

	#disposed = false;
	#undo: (() => void)[] = [];

	/**
	 * @param persist ask the browser to keep the saved copy (a kiosk; an installed app). Chromium grants or
	 *   refuses without asking the person; Firefox may show a prompt.
	 */
	constructor(
		private readonly env: OfflineEnv,
		private readonly persist = false
	) {}

	async start(): Promise<void> {
		if (this.env.registration === undefined) {
			this.set('unavailable', 'none', this.env.unavailableReason);
			return;
		}
		const reg = await this.env.registration;
		if (this.#disposed) return;
		if (!reg) {
			this.set('failed', 'none', 'The offline copy could not be set up (the service worker did not register)');
			return;
		}
		this.follow(reg);
	}

	dispose(): void {
		this.#disposed = true;
		for (const undo of this.#undo.splice(0)) undo();
	}

	private set(state: OfflineState, update: UpdateState, reason = ''): void {
		const wasReady = this.state === 'ready';
		this.state = state;
		this.update = update;
		this.reason = reason;
		if (state === 'ready' && !wasReady) void this.checkPersistence();
	}

	/** Follows the registration's workers: each new one (updatefound) and each change of state. */
	private follow(reg: ServiceWorkerRegistration): void {
		const watched = new Set<ServiceWorker>();
		const read = () => {
			if (this.#disposed) return;
			for (const w of [reg.installing, reg.waiting, reg.active]) {
				if (w && !watched.has(w)) {
					watched.add(w);
					w.addEventListener('statechange', read);
					this.#undo.push(() => w.removeEventListener('statechange', read));
				}
			}
			const { state, update } = readRegistration(reg);
			// A first install that ended without an active worker failed (a file could not be fetched, or the build list did not match).
			this.set(state, update, state === 'failed' ? 'Some of the app’s files could not be saved' : '');
		};
		reg.addEventListener('updatefound', read);
		this.#undo.push(() => reg.removeEventListener('updatefound', read));
		read();
	}

	private async checkPersistence(): Promise<void> {
		const storage = this.env.storage;
		if (!storage) {
			this.persisted = false; // no storage manager: nothing keeps it
			return;
		}
		try {
			const kept = (await storage.persisted()) || (this.persist && (await storage.persist()));
			if (!this.#disposed) this.persisted = kept;
		} catch {
			if (!this.#disposed) this.persisted = false;
		}
	}
}
