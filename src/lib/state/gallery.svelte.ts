/**
 * The gallery's state (/gallery): the snapshots on this device, their features (computed once in the
 * gallery worker and cached in IndexedDB), the selection, and the three views built on them —
 * neighbours, the map (PCA at once, then t-SNE in the worker), top patches of a layer's channel. Plain
 * data only; every tensor lives in the worker (workers/gallery-client.ts).
 */
import { StillImageSource } from '../camera/still-image';
import { readArchive, writeArchive } from '../gallery/archive';
import { decodedSize, importMessage, keepDecodable } from '../gallery/import';
import { FEATURE_MODEL, FeatureCache, type FeatureRecord } from '../gallery/feature-cache';
import { nearest, type Neighbour } from '../gallery/neighbours';
import { patchBox, rankPatches, strongestChannels, type ChannelMaxima } from '../gallery/patches';
import { SnapshotStore, type Snapshot, type SnapshotMeta } from '../gallery/store';
import { planBackend, type BackendName } from '../tf/backend-choice';
import { probeBrowser } from '../tf/probe';
import { GalleryClient } from '../workers/gallery-client';
import { JobCancelledError } from '../workers/owner';
import type { GalleryLoaded } from '../workers/protocol';

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

export interface Progress {
	done: number;
	total: number;
}

export interface MapLayout {
	kind: 'pca' | 'tsne';
	ids: string[];
	positions: Float64Array;
	/** t-SNE only: 'exact' or 'barnes-hut', and the time it took in the worker. */
	method?: string;
	ms?: number;
}

export interface PatchView {
	id: string;
	value: number;
	/** The crop in the snapshot's own pixels. */
	box: { x: number; y: number; w: number; h: number };
}

const NEIGHBOURS = 8;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const isCancel = (err: unknown) => err instanceof JobCancelledError || (err as Error)?.name === 'AbortError';

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
	/** Pictures that could not be decoded (storage damage): marked, left out of features and patches, deletable. */
	undecodable = $state.raw<Record<string, string>>({});
	featureProgress = $state.raw<Progress | null>(null);
	/** The last feature run: pictures and seconds (the issue's "features of 100 snapshots" number). */
	featureRun = $state.raw<{ count: number; ms: number } | null>(null);
	map = $state.raw<MapLayout | null>(null);
	tsneProgress = $state.raw<Progress | null>(null);
	layers = $state.raw<GalleryLoaded['layers']>([]);
	inputSize = $state(224);
	layer = $state('conv4');
	channel = $state(0);
	maxima = $state.raw<{ layer: string; list: ChannelMaxima[] } | null>(null);
	patchProgress = $state.raw<Progress | null>(null);
	/** Waiting for the second click of "Clear all". */
	confirmingClear = $state(false);

	private store: SnapshotStore | null = null;
	private cache: FeatureCache | null = null;
	private client: GalleryClient | null = null;
	private blobs = new Map<string, Blob>();
	private maximaCache = new Map<string, ChannelMaxima[]>();
	private featureJob: Promise<void> | null = null;
	private featureAgain = false;
	private mapJob: AbortController | null = null;
	private patchJob: AbortController | null = null;
	private config: GalleryConfig = {};
	private disposed = false;

	get selectedMeta(): SnapshotMeta | null {
		return this.items.find((m) => m.id === this.selected) ?? null;
	}

	/** Pictures whose features are known, in gallery order. */
	get ready(): SnapshotMeta[] {
		return this.items.filter((m) => this.features[m.id]);
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
			this.layers = loaded.layers;
			this.inputSize = loaded.inputSize;
		} catch (err) {
			if (!this.disposed) this.notice = { level: 'error', text: `The gallery could not load the classifier: ${message(err)}` };
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
		this.maximaCache.clear();
		this.maxima = null;
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
		if (view === 'patches') void this.computePatches(this.layer);
	}

	/** Features of every picture that has none yet, one at a time in the worker, each cached as it comes. */
	ensureFeatures(): Promise<void> {
		if (this.featureJob) {
			this.featureAgain = true;
			return this.featureJob;
		}
		this.featureJob = (async () => {
			do {
				this.featureAgain = false;
				const todo = this.items.filter((m) => !this.features[m.id] && !this.undecodable[m.id] && this.blobs.has(m.id));
				if (todo.length === 0 || !this.client) break;
				this.featureProgress = { done: 0, total: todo.length };
				// Progress arrives on its own channel: a report may land after the job has answered.
				let live = true;
				try {
					await this.client.load();
					const t0 = performance.now();
					await this.client.features(
						todo.map((m) => ({ id: m.id, blob: this.blobs.get(m.id)! })),
						(f, done, total) => {
							if (live) this.featureProgress = { done, total };
							if ('error' in f) {
								// This picture alone: marked, the others go on.
								this.markUndecodable(f.id, f.error);
								return;
							}
							const rec: FeatureRecord = { ...f, model: FEATURE_MODEL };
							this.features = { ...this.features, [f.id]: rec };
							void this.cache?.put(rec).catch(() => {});
						}
					);
					// Time for the pictures alone (the classifier's load is not in it).
					this.featureRun = { count: todo.length, ms: performance.now() - t0 };
					const bad = todo.filter((m) => this.undecodable[m.id]).length;
					if (bad > 0 && !this.disposed) this.notice = { level: 'error', text: `${bad} picture${bad === 1 ? '' : 's'} could not be decoded (marked “cannot be read”); the others have their features. Delete ${bad === 1 ? 'it' : 'them'} with Delete.` };
				} catch (err) {
					if (!this.disposed) this.notice = { level: 'error', text: `Features could not be computed: ${message(err)}` };
					break;
				} finally {
					live = false;
					this.featureProgress = null;
				}
			} while (this.featureAgain && !this.disposed);
		})().finally(() => (this.featureJob = null));
		const job = this.featureJob;
		void job.then(() => {
			if (this.view === 'map') void this.computeMap();
			if (this.view === 'patches') void this.computePatches(this.layer);
		});
		return job;
	}

	/** Nearest neighbours of the selected picture: by features (cosine) and by pixels (32×32 RGB, L2). */
	get neighbours(): { features: (Neighbour & { id: string })[]; pixels: (Neighbour & { id: string })[] } | null {
		const ready = this.ready;
		const q = ready.findIndex((m) => m.id === this.selected);
		if (q < 0 || ready.length < 2) return null;
		const ids = ready.map((m) => m.id);
		const withId = (n: Neighbour) => ({ ...n, id: ids[n.index] });
		return {
			features: nearest(ids.map((id) => this.features[id].pooled), q, NEIGHBOURS, 'cosine').map(withId),
			pixels: nearest(ids.map((id) => this.features[id].tiny), q, NEIGHBOURS, 'l2').map(withId)
		};
	}

	/** The map: PCA at once, then t-SNE in the worker (starting from the PCA layout), redrawn as it goes. */
	async computeMap(): Promise<void> {
		const ready = this.ready;
		if (!this.client || ready.length < 3 || this.featureJob) return;
		const ids = ready.map((m) => m.id);
		if (this.map?.kind === 'tsne' && this.map.ids.join() === ids.join()) return;
		this.mapJob?.abort();
		const job = (this.mapJob = new AbortController());
		// Unit-length features: Euclidean distance then orders pairs like the cosine distance.
		const d = 2048;
		const data = new Float32Array(ids.length * d);
		ids.forEach((id, i) => {
			const f = this.features[id].pooled;
			let s = 0;
			for (let k = 0; k < d; k++) s += f[k] * f[k];
			const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
			for (let k = 0; k < d; k++) data[i * d + k] = f[k] * inv;
		});
		try {
			const pca = await this.client.pca(data, ids.length, d);
			if (job.signal.aborted) return;
			this.map = { kind: 'pca', ids, positions: pca };
			this.tsneProgress = { done: 0, total: this.config.tsneIterations ?? 1000 };
			const t0 = performance.now();
			let method = '';
			const positions = await this.client.tsne(
				data,
				ids.length,
				d,
				{ iterations: this.config.tsneIterations ?? 1000, init: pca, perplexity: Math.min(30, Math.max(2, (ids.length - 1) / 3)) },
				(p) => {
					// Progress arrives on its own channel: ignore reports that land after the job answered.
					if (job.signal.aborted || this.mapJob !== job) return;
					method = p.method;
					this.tsneProgress = { done: p.iteration, total: p.total };
					// Early steps are a tiny blob under exaggeration; show the layout from a third of the way in.
					if (p.iteration >= p.total / 3) this.map = { kind: 'tsne', ids, positions: p.positions, method };
				},
				job.signal
			);
			if (!job.signal.aborted) this.map = { kind: 'tsne', ids, positions, method, ms: performance.now() - t0 };
		} catch (err) {
			if (!isCancel(err) && !this.disposed) this.notice = { level: 'error', text: `The map could not be computed: ${message(err)}` };
		} finally {
			if (this.mapJob === job) {
				this.mapJob = null;
				this.tsneProgress = null;
			}
		}
	}

	/** Every channel's strongest response at `layer` in every picture (once per layer; then any channel is instant). */
	async computePatches(layer: string): Promise<void> {
		this.layer = layer;
		const ready = this.ready;
		if (!this.client || ready.length === 0 || this.featureJob) return;
		const cached = this.maximaCache.get(layer);
		if (cached && cached.length === ready.length) {
			this.maxima = { layer, list: cached };
			return;
		}
		this.patchJob?.abort();
		const job = (this.patchJob = new AbortController());
		this.patchProgress = { done: 0, total: ready.length };
		try {
			const list = await this.client.maxima(
				layer,
				ready.map((m) => ({ id: m.id, blob: this.blobs.get(m.id)! })),
				(done, total) => void (!job.signal.aborted && this.patchJob === job && (this.patchProgress = { done, total })),
				job.signal
			);
			this.maximaCache.set(layer, list);
			if (!job.signal.aborted) {
				this.maxima = { layer, list };
				const c = this.layers.find((l) => l.name === layer)?.channels ?? 0;
				if (this.channel >= c) this.channel = strongestChannels(list, 1)[0] ?? 0;
			}
		} catch (err) {
			if (!isCancel(err) && !this.disposed) this.notice = { level: 'error', text: `Patches could not be computed: ${message(err)}` };
		} finally {
			if (this.patchJob === job) {
				this.patchJob = null;
				this.patchProgress = null;
			}
		}
	}

	get layerInfo() {
		return this.layers.find((l) => l.name === this.layer) ?? null;
	}

	/** The top-9 patches of the chosen channel, with their crops. */
	get patches(): PatchView[] {
		const info = this.layerInfo;
		if (!this.maxima || this.maxima.layer !== this.layer || !info) return [];
		const meta = new Map(this.items.map((m) => [m.id, m]));
		return rankPatches(this.maxima.list, this.channel, 9).flatMap((p) => {
			const m = meta.get(p.id);
			return m ? [{ id: p.id, value: p.value, box: patchBox(info.geometry, p.row, p.col, this.inputSize, m.width, m.height) }] : [];
		});
	}

	get strongest(): number[] {
		return this.maxima && this.maxima.layer === this.layer ? strongestChannels(this.maxima.list, 12) : [];
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

	async remove(id: string): Promise<void> {
		const i = this.items.findIndex((m) => m.id === id);
		await this.store?.delete(id);
		await this.cache?.delete(id).catch(() => {});
		const { [id]: _gone, ...rest } = this.features;
		this.features = rest;
		const { [id]: _bad, ...stillBad } = this.undecodable;
		this.undecodable = stillBad;
		if (this.selected === id) this.selected = this.items[i + 1]?.id ?? this.items[i - 1]?.id ?? null;
		this.map = null;
		await this.refresh();
	}

	async clearAll(): Promise<void> {
		this.confirmingClear = false;
		this.mapJob?.abort();
		this.patchJob?.abort();
		await this.store?.clear();
		await this.cache?.clear().catch(() => {});
		this.features = {};
		this.map = null;
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
		this.mapJob?.abort();
		this.patchJob?.abort();
		this.client?.dispose();
		for (const url of Object.values(this.urls)) URL.revokeObjectURL(url);
		this.store?.close();
		this.cache?.close();
	}
}
