/**
 * The gallery's state (/gallery): the snapshots on this device, their features (computed once in the
 * gallery worker and cached in IndexedDB), the selection and its neighbours. The two slower views
 * have state classes of their own, built on the features: the map (`mapView`, gallery-map.svelte.ts:
 * PCA at once, then t-SNE in the worker) and the top patches of a layer's channel (`patchView`,
 * gallery-patches.svelte.ts). Plain data only; every tensor lives in the worker (gallery/worker-client.ts).
 */
import { PAINTINGS } from '../optvis/paintings';
import { StillImageSource } from '../camera/still-image';
import { readArchive, writeArchive } from '../gallery/archive';
import { decodedSize, importMessage, keepDecodable } from '../gallery/import';
import { FEATURE_MODEL, FeatureCache, type FeatureRecord } from '../gallery/feature-cache';
import { neighbourLists } from '../gallery/neighbours';
import { SnapshotStore, type Snapshot, type SnapshotMeta } from '../gallery/store';
import { planBackend, type BackendName } from '../tf/backend-choice';
import { probeBrowser } from '../tf/probe';
import { GalleryClient } from '../gallery/worker-client';
import type { GalleryItem } from '../workers/protocol';
import { GalleryMapState } from './gallery-map.svelte';
import { GalleryPatchesState } from './gallery-patches.svelte';
import { Job } from './job.svelte';

export type GalleryView = 'grid' | 'neighbours' | 'map' | 'patches';
export const GALLERY_VIEWS: readonly GalleryView[] = ['grid', 'neighbours', 'map', 'patches'];

export interface GalleryConfig {
	backend?: BackendName | null;
	/** t-SNE steps (default 1000; the e2e test asks for fewer). */
	tsneIterations?: number;
	/** The worker's wasm threads (default: every core). */
	threads?: number;
}

export interface GalleryNotice {
	level: 'info' | 'error';
	text: string;
}

const NEIGHBOURS = 8;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class GalleryState {
	items = $state.raw<SnapshotMeta[]>([]);
	/** Object URLs of the pictures, by id. */
	urls = $state.raw<Record<string, string>>({});
	selected = $state<string | null>(null);
	view = $state<GalleryView>('grid');
	notice = $state<GalleryNotice | null>(null);
	/** The worker's backend, once the classifier is loaded there. */
	backend = $state<string | null>(null);
	threads = $state(0);
	features = $state.raw<Record<string, FeatureRecord>>({});
	/** Features of the pictures that have none yet, in the worker; its progress is in pictures. */
	readonly featureJob = new Job({ onError: (err) => this.fail(`Features could not be computed: ${message(err)}`) });
	/** Pictures that could not be decoded (storage damage): marked, left out of features and patches, deletable. */
	undecodable = $state.raw<Record<string, string>>({});
	/** The last feature run: pictures and seconds (the issue's "features of 100 snapshots" number). */
	featureRun = $state.raw<{ count: number; ms: number } | null>(null);
	readonly mapView = new GalleryMapState(
		() => this.config.tsneIterations ?? 1000,
		(text) => this.fail(text)
	);
	readonly patchView = new GalleryPatchesState(
		() => this.items,
		(text) => this.fail(text)
	);
	/** Waiting for the second click of "Clear all". */
	confirmingClear = $state(false);

	selectedMeta: SnapshotMeta | null = $derived(this.items.find((m) => m.id === this.selected) ?? null);
	/** Pictures whose features are known, in gallery order. */
	ready: SnapshotMeta[] = $derived(this.items.filter((m) => this.features[m.id]));
	/** Nearest neighbours of the selected picture: by features (cosine) and by pixels (32×32 RGB, L2). */
	neighbours = $derived(
		neighbourLists(
			this.ready.map((m) => m.id),
			(id) => this.features[id],
			this.selected,
			NEIGHBOURS
		)
	);

	private store: SnapshotStore | null = null;
	private cache: FeatureCache | null = null;
	private client: GalleryClient | null = null;
	private blobs = new Map<string, Blob>();
	private featureAgain = false;
	private config: GalleryConfig = {};
	private disposed = false;

	get featureProgress() {
		return this.featureJob.progress;
	}

	private fail(text: string): void {
		if (!this.disposed) this.notice = { level: 'error', text };
	}

	/** The ready pictures with their blobs, as the worker takes them. */
	private readyItems(): GalleryItem[] {
		return this.ready.map((m) => ({ id: m.id, blob: this.blobs.get(m.id)! }));
	}

	/** A picture that could not be decoded (its features failed on it): marked, the rest go on. */
	markUndecodable(id: string, why: string): void {
		if (!this.undecodable[id]) this.undecodable = { ...this.undecodable, [id]: why };
	}

	blob(id: string): Blob | null {
		return this.blobs.get(id) ?? null;
	}

	async start(config: GalleryConfig = {}): Promise<void> {
		this.config = config;
		try {
			this.store = await SnapshotStore.open();
			this.cache = await FeatureCache.open();
		} catch (err) {
			this.notice = { level: 'error', text: `This browser keeps no pictures here (IndexedDB is not available: ${message(err)}).` };
			return;
		}
		const plan = planBackend(probeBrowser(), config.backend ?? null);
		this.client = new GalleryClient(plan.order[0] ?? 'cpu', (err) => {
			this.notice = { level: 'error', text: `${err.message}. It restarts by itself.` };
		}, config.threads);
		for (const rec of await this.cache.all()) this.features[rec.id] = rec;
		this.features = { ...this.features };
		await this.refresh();
		// Features of pictures deleted elsewhere (the lab) are dropped from the cache.
		const known = new Set(this.items.map((m) => m.id));
		for (const id of Object.keys(this.features)) if (!known.has(id)) void this.cache.delete(id).catch(() => {});
		void this.loadWorker();
	}

	private async loadWorker(): Promise<void> {
		try {
			const loaded = await this.client!.load();
			this.backend = loaded.backend;
			this.threads = loaded.threads;
			this.patchView.layers = loaded.layers;
			this.patchView.inputSize = loaded.inputSize;
		} catch (err) {
			this.fail(`The gallery could not load the classifier: ${message(err)}`);
		}
	}

	/** Reads the list again; new pictures get a URL, gone ones lose theirs; missing features are computed. */
	async refresh(): Promise<void> {
		if (!this.store) return;
		const items = await this.store.list();
		const urls: Record<string, string> = {};
		for (const m of items) {
			let url = this.urls[m.id];
			if (!url) {
				const snap = await this.store.get(m.id);
				if (!snap) continue;
				this.blobs.set(m.id, snap.blob);
				url = URL.createObjectURL(snap.blob);
			}
			urls[m.id] = url;
		}
		for (const [id, url] of Object.entries(this.urls)) {
			if (!urls[id]) {
				URL.revokeObjectURL(url);
				this.blobs.delete(id);
			}
		}
		this.items = items.filter((m) => urls[m.id]);
		this.urls = urls;
		if (this.selected && !urls[this.selected]) this.selected = null;
		this.selected ??= this.items[0]?.id ?? null;
		this.patchView.forget();
		void this.ensureFeatures();
	}

	select(id: string | null): void {
		this.selected = id;
	}

	/** Moves the selection by `step` in gallery order (arrow keys). */
	move(step: number): void {
		if (this.items.length === 0) return;
		const i = this.items.findIndex((m) => m.id === this.selected);
		this.selected = this.items[(Math.max(0, i) + step + this.items.length) % this.items.length].id;
	}

	setView(view: GalleryView): void {
		this.view = view;
		if (view === 'map') void this.computeMap();
		if (view === 'patches') void this.computePatches(this.patchView.layer);
	}

	/** Features of every picture that has none yet, one at a time in the worker, each cached as it comes. */
	ensureFeatures(): Promise<void> {
		const pending = this.featureJob.pending;
		if (pending) {
			this.featureAgain = true;
			return pending.then(() => {});
		}
		const run = this.featureJob.start(async (signal, progress) => {
			do {
				this.featureAgain = false;
				const todo = this.items.filter((m) => !this.features[m.id] && !this.undecodable[m.id] && this.blobs.has(m.id));
				if (todo.length === 0 || !this.client) break;
				progress({ done: 0, total: todo.length });
				// Progress arrives on its own channel: a report may land after this round has answered.
				let live = true;
				try {
					await this.client.load();
					const t0 = performance.now();
					await this.client.features(
						todo.map((m) => ({ id: m.id, blob: this.blobs.get(m.id)! })),
						(f, done, total) => {
							if (live) progress({ done, total });
							if ('error' in f) {
								// This picture alone: marked, the others go on.
								this.markUndecodable(f.id, f.error);
								return;
							}
							const rec: FeatureRecord = { ...f, model: FEATURE_MODEL };
							this.features = { ...this.features, [f.id]: rec };
							void this.cache?.put(rec).catch(() => {});
						},
						signal
					);
					// Time for the pictures alone (the classifier's load is not in it).
					this.featureRun = { count: todo.length, ms: performance.now() - t0 };
					const bad = todo.filter((m) => this.undecodable[m.id]).length;
					if (bad > 0) this.fail(`${bad} picture${bad === 1 ? '' : 's'} could not be decoded (marked “cannot be read”); the others have their features. Delete ${bad === 1 ? 'it' : 'them'} with Delete.`);
				} finally {
					live = false;
				}
			} while (this.featureAgain && !signal.aborted);
		});
		void run.then(() => {
			if (this.view === 'map') void this.computeMap();
			if (this.view === 'patches') void this.computePatches(this.patchView.layer);
		});
		return run.then(() => {});
	}

	/** The map: PCA at once, then t-SNE in the worker (starting from the PCA layout), redrawn as it goes. */
	computeMap(): Promise<void> {
		if (!this.client || this.featureJob.running) return Promise.resolve();
		return this.mapView.compute(
			this.client,
			this.ready.map((m) => ({ id: m.id, pooled: this.features[m.id].pooled }))
		);
	}

	/** Every channel's strongest response at `layer` in every picture (once per layer; then any channel is instant). */
	computePatches(layer: string): Promise<void> {
		this.patchView.layer = layer;
		if (!this.client || this.featureJob.running) return Promise.resolve();
		return this.patchView.compute(this.client, this.readyItems());
	}

	/** Uploads: the studio's checks (empty, not an image, too many megapixels), downscaled, kept as PNG. */
	async upload(files: readonly File[]): Promise<void> {
		const refused: string[] = [];
		let added = 0;
		for (const file of files) {
			try {
				const still = await StillImageSource.fromFile(file);
				try {
					const blob = await new Promise<Blob | null>((resolve) => still.element.toBlob(resolve, 'image/png'));
					if (!blob) throw new Error(`“${file.name}” could not be encoded`);
					await this.store?.put(blob, { width: still.width, height: still.height, source: 'upload', label: file.name });
					added++;
				} finally {
					still.stop();
				}
			} catch (err) {
				refused.push(message(err));
			}
		}
		await this.refresh();
		this.notice = refused.length
			? { level: 'error', text: `${added ? `Added ${added}. ` : ''}${refused.join(' ')}` }
			: { level: 'info', text: `Added ${added} picture${added === 1 ? '' : 's'}.` };
	}

	/**
	 * The sample pictures shipped with the app: the twelve public-domain paintings (static/paintings/),
	 * so neighbours, the map and top patches can be tried on a first visit.
	 */
	async addSamples(): Promise<void> {
		const refused: string[] = [];
		let added = 0;
		for (const p of PAINTINGS) {
			try {
				const res = await fetch(`/paintings/${p.id}.jpg`);
				if (!res.ok) throw new Error(`HTTP ${res.status}`);
				const blob = await res.blob();
				const bitmap = await createImageBitmap(blob);
				const size = { width: bitmap.width, height: bitmap.height };
				bitmap.close();
				await this.store?.put(blob, { ...size, source: 'sample', label: `${p.title} — ${p.artist}` });
				added++;
			} catch (err) {
				refused.push(`${p.title}: ${message(err)}`);
			}
		}
		await this.refresh();
		this.notice = refused.length
			? { level: 'error', text: `${added ? `Added ${added} sample pictures. ` : ''}Not added: ${refused.join('; ')}` }
			: { level: 'info', text: `Added ${added} sample pictures (public-domain paintings).` };
	}

	async remove(id: string): Promise<void> {
		const i = this.items.findIndex((m) => m.id === id);
		await this.store?.delete(id);
		await this.cache?.delete(id).catch(() => {});
		const { [id]: _gone, ...rest } = this.features;
		this.features = rest;
		const { [id]: _bad, ...stillBad } = this.undecodable;
		this.undecodable = stillBad;
		if (this.selected === id) this.selected = this.items[i + 1]?.id ?? this.items[i - 1]?.id ?? null;
		this.mapView.layout = null;
		await this.refresh();
	}

	async clearAll(): Promise<void> {
		this.confirmingClear = false;
		this.mapView.job.abort();
		this.patchView.job.abort();
		await this.store?.clear();
		await this.cache?.clear().catch(() => {});
		this.features = {};
		this.mapView.layout = null;
		await this.refresh();
		this.notice = { level: 'info', text: 'The gallery is empty.' };
	}

	/** The whole gallery as one file. */
	async exportFile(): Promise<Blob> {
		const all: Snapshot[] = (await this.store?.getAll()) ?? [];
		return writeArchive(all);
	}

	/** Adds the pictures of a gallery file; a corrupt or foreign file is refused whole, a bad picture left out and named. */
	async importFile(file: File): Promise<boolean> {
		let text: string;
		try {
			text = await file.text();
		} catch (err) {
			this.notice = { level: 'error', text: `“${file.name}” could not be read: ${message(err)}. The gallery is unchanged.` };
			return false;
		}
		const read = readArchive(text, file.name);
		if (!read.ok) {
			this.notice = { level: 'error', text: read.message };
			return false;
		}
		// Each picture decoded for real (the header was checked by readArchive): the good ones are kept.
		const { kept, refused } = await keepDecodable(read.snapshots, decodedSize);
		const left = [...read.refused, ...refused];
		if (kept.length === 0) {
			this.notice = { level: 'error', text: `“${file.name}” was not imported: ${left.join('; ')}. The gallery is unchanged.` };
			return false;
		}
		try {
			await this.store?.putMany(kept);
		} catch (err) {
			this.notice = { level: 'error', text: `“${file.name}” could not be stored (${message(err)}). The gallery is unchanged.` };
			return false;
		}
		await this.refresh();
		this.notice = importMessage(file.name, kept.length, left);
		return true;
	}

	/** Tests and diagnostics: live tensors in the worker. */
	numTensors(): Promise<number> {
		return this.client?.numTensors() ?? Promise.resolve(0);
	}

	dispose(): void {
		this.disposed = true;
		this.featureJob.dispose();
		this.mapView.dispose();
		this.patchView.dispose();
		this.client?.dispose();
		for (const url of Object.values(this.urls)) URL.revokeObjectURL(url);
		this.store?.close();
		this.cache?.close();
	}
}
