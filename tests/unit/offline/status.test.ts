import { describe, expect, it } from 'vitest';
import { describeOffline, OfflineStatus, readRegistration, type OfflineEnv } from '../../../src/lib/offline/status.svelte';

/** A service worker as the registration shows it: a state, and statechange events. */
class FakeWorker extends EventTarget {
	constructor(public state: string) {
		super();
	}
	to(state: string) {
		this.state = state;
		this.dispatchEvent(new Event('statechange'));
	}
}

/** A registration: which worker is installing, waiting, active; updatefound when a new one starts installing. */
class FakeRegistration extends EventTarget {
	installing: FakeWorker | null = null;
	waiting: FakeWorker | null = null;
	active: FakeWorker | null = null;
	listeners = 0;
	addEventListener(...a: Parameters<EventTarget['addEventListener']>) {
		this.listeners++;
		super.addEventListener(...a);
	}
	removeEventListener(...a: Parameters<EventTarget['removeEventListener']>) {
		this.listeners--;
		super.removeEventListener(...a);
	}
	/** A new worker starts installing (the browser found a new build). */
	found(): FakeWorker {
		this.installing = new FakeWorker('installing');
		this.dispatchEvent(new Event('updatefound'));
		return this.installing;
	}
	/** The installing worker finished: it waits behind an active one, or activates when there is none. */
	installed() {
		const w = this.installing!;
		this.installing = null;
		if (this.active) {
			this.waiting = w;
			w.to('installed');
		} else {
			this.active = w;
			w.to('activating');
			w.to('activated');
		}
	}
}

function storage(persisted: boolean, grants: boolean) {
	const calls = { persist: 0 };
	return {
		calls,
		api: {
			persisted: async () => persisted,
			persist: async () => {
				calls.persist++;
				return grants;
			}
		}
	};
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function env(reg: FakeRegistration | null, store = storage(false, true)): OfflineEnv {
	return { registration: Promise.resolve(reg as unknown as ServiceWorkerRegistration), unavailableReason: '', storage: store.api };
}

describe('offline status (src/lib/offline/status.svelte.ts)', () => {
	it('reads a registration: active means saved; a worker behind it is an update downloading or waiting', () => {
		const w = { state: 'x' };
		expect(readRegistration({ installing: w, waiting: null, active: null })).toEqual({ state: 'saving', update: 'none' });
		expect(readRegistration({ installing: null, waiting: null, active: w })).toEqual({ state: 'ready', update: 'none' });
		expect(readRegistration({ installing: w, waiting: null, active: w })).toEqual({ state: 'ready', update: 'downloading' });
		expect(readRegistration({ installing: null, waiting: w, active: w })).toEqual({ state: 'ready', update: 'waiting' });
		expect(readRegistration({ installing: null, waiting: null, active: null })).toEqual({ state: 'failed', update: 'none' });
	});

	it('first visit: checking → saving → works offline; asks to keep the copy only when told to', async () => {
		const reg = new FakeRegistration();
		reg.found();
		const kept = storage(false, true);
		const status = new OfflineStatus(env(reg, kept), true);
		expect(status.state).toBe('checking');
		await status.start();
		expect(status.state).toBe('saving');
		expect(status.summary.text).toBe('Saving for offline use…');
		reg.installed();
		expect(status.state).toBe('ready');
		expect(status.summary.text).toBe('Works offline');
		await settle();
		expect(kept.calls.persist).toBe(1);
		expect(status.persisted).toBe(true);
		expect(status.summary.detail).toContain('keeps it until');

		// A tab (persist = false) only reads whether the copy is kept; it never asks.
		const plain = storage(false, true);
		const reg2 = new FakeRegistration();
		reg2.active = new FakeWorker('activated');
		const tab = new OfflineStatus(env(reg2, plain));
		await tab.start();
		await settle();
		expect(tab.state).toBe('ready');
		expect(plain.calls.persist).toBe(0);
		expect(tab.persisted).toBe(false);
		expect(tab.summary.detail).toContain('may remove it');
	});

	it('a new build: downloading while this one runs, then waiting for the next start', async () => {
		const reg = new FakeRegistration();
		reg.active = new FakeWorker('activated');
		const status = new OfflineStatus(env(reg));
		await status.start();
		expect(status.update).toBe('none');
		reg.found();
		expect([status.state, status.update]).toEqual(['ready', 'downloading']);
		reg.installed();
		expect([status.state, status.update]).toEqual(['ready', 'waiting']);
		expect(status.summary.text).toBe('Works offline · new version next time');
		expect(status.summary.detail).toContain('starts the next time the app is opened');
	});

	it('a first install that fails (the worker becomes redundant) says so and that it tries again', async () => {
		const reg = new FakeRegistration();
		const w = reg.found();
		const status = new OfflineStatus(env(reg));
		await status.start();
		reg.installing = null;
		w.to('redundant');
		expect(status.state).toBe('failed');
		expect(status.summary.detail).toMatch(/could not be saved; it is tried again on the next visit/);
	});

	it('no registration, or none possible: a reason in plain words', async () => {
		const failed = new OfflineStatus(env(null));
		await failed.start();
		expect(failed.state).toBe('failed');
		expect(failed.summary.detail).toMatch(/did not register/);

		const none = new OfflineStatus({ registration: undefined, unavailableReason: 'Browsers save apps for offline use only from HTTPS or localhost.', storage: undefined });
		await none.start();
		expect(none.state).toBe('unavailable');
		expect(none.summary).toEqual({ text: 'Not available offline', detail: 'Browsers save apps for offline use only from HTTPS or localhost.' });
	});

	it('dispose removes every listener; later events change nothing', async () => {
		const reg = new FakeRegistration();
		reg.active = new FakeWorker('activated');
		const status = new OfflineStatus(env(reg));
		await status.start();
		reg.found();
		expect(reg.listeners).toBe(1);
		status.dispose();
		expect(reg.listeners).toBe(0);
		reg.installed();
		expect(status.update).toBe('downloading');
	});

	it('describes every state', () => {
		for (const state of ['checking', 'saving', 'ready', 'failed', 'unavailable'] as const) {
			const d = describeOffline({ state, update: 'none', reason: 'why', persisted: null });
			expect(d.text.length).toBeGreaterThan(0);
			expect(d.detail.length).toBeGreaterThan(0);
		}
	});
});
