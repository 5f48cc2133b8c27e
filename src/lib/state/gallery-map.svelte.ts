/**
 * The gallery's map view: every picture placed by its features — PCA at once, then t-SNE in the gallery
 * worker (starting from the PCA layout), redrawn as it goes. One job at a time: a newer gallery
 * supersedes the layout being computed. Plain data only; the work runs where `MapWork` runs it (the
 * gallery worker's client).
 */
import { tsnePerplexity, unitRows } from '../gallery/embedding';
import type { TsneOptions } from '../gallery/tsne';
import type { GalleryTsneProgress } from '../workers/protocol';
import { Job } from './job.svelte';

export interface MapLayout {
	kind: 'pca' | 'tsne';
	ids: string[];
	positions: Float64Array;
	/** t-SNE only: 'exact' or 'barnes-hut', and the time it took in the worker. */
	method?: string;
	ms?: number;
}

/** What the map asks of the gallery worker (GalleryClient). */
export interface MapWork {
	pca(data: Float32Array, n: number, d: number): Promise<Float64Array>;
	tsne(data: Float32Array, n: number, d: number, options: TsneOptions, onProgress: (p: GalleryTsneProgress) => void, signal?: AbortSignal): Promise<Float64Array>;
}

/** The fewest pictures a map is drawn for. */
export const MAP_MIN_PICTURES = 3;

export class GalleryMapState {
	layout = $state.raw<MapLayout | null>(null);
	/** The t-SNE run; its progress is in t-SNE steps. */
	readonly job: Job;

	constructor(
		/** t-SNE steps (read when a run starts). */
		private readonly iterations: () => number,
		onError: (text: string) => void
	) {
		this.job = new Job({ onError: (err) => onError(`The map could not be computed: ${err instanceof Error ? err.message : String(err)}`) });
	}

	get progress() {
		return this.job.progress;
	}

	/** Lays out `items` (in gallery order), unless the finished t-SNE layout already shows exactly these. */
	async compute(work: MapWork, items: readonly { id: string; pooled: Float32Array }[]): Promise<void> {
		if (items.length < MAP_MIN_PICTURES) return;
		const ids = items.map((m) => m.id);
		if (this.layout?.kind === 'tsne' && this.layout.ids.join() === ids.join()) return;
		const d = items[0].pooled.length;
		const data = unitRows(
			items.map((m) => m.pooled),
			d
		);
		await this.job.start(async (signal, progress) => {
			const pca = await work.pca(data, ids.length, d);
			if (signal.aborted) return;
			this.layout = { kind: 'pca', ids, positions: pca };
			const iterations = this.iterations();
			progress({ done: 0, total: iterations });
			const t0 = performance.now();
			let method = '';
			const positions = await work.tsne(
				data,
				ids.length,
				d,
				{ iterations, init: pca, perplexity: tsnePerplexity(ids.length) },
				(p) => {
					// Progress arrives on its own channel: reports that land after the run answered are dropped.
					if (!progress({ done: p.iteration, total: p.total })) return;
					method = p.method;
					// Early steps are a tiny blob under exaggeration; show the layout from a third of the way in.
					if (p.iteration >= p.total / 3) this.layout = { kind: 'tsne', ids, positions: p.positions, method };
				},
				signal
			);
			if (!signal.aborted) this.layout = { kind: 'tsne', ids, positions, method, ms: performance.now() - t0 };
		});
	}

	dispose(): void {
		this.job.dispose();
	}
}
