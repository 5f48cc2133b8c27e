/**
 * The gallery's top-patches view: every channel's strongest response at one layer in every picture
 * (computed once per layer in the gallery worker, then any channel is instant), and the top-9 crops of
 * the chosen channel. Plain data only; the work runs where `PatchWork` runs it (the gallery worker's
 * client).
 */
import { patchViews, strongestChannels, type ChannelMaxima, type PatchView } from '../gallery/patches';
import type { SnapshotMeta } from '../gallery/store';
import type { GalleryItem, GalleryLoaded } from '../workers/protocol';
import { Job } from './job.svelte';

/** What the patches view asks of the gallery worker (GalleryClient). */
export interface PatchWork {
	maxima(layer: string, items: GalleryItem[], onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<ChannelMaxima[]>;
}

const TOP = 9;
const STRONGEST = 12;

export class GalleryPatchesState {
	/** The layers the worker offers (with their receptive fields) and its input size, once it has loaded. */
	layers = $state.raw<GalleryLoaded['layers']>([]);
	inputSize = $state(224);
	layer = $state('conv4');
	channel = $state(0);
	maxima = $state.raw<{ layer: string; list: ChannelMaxima[] } | null>(null);
	/** The maxima run; its progress is in pictures. */
	readonly job: Job;

	layerInfo = $derived(this.layers.find((l) => l.name === this.layer) ?? null);
	/** The channels worth looking at first, at the chosen layer. */
	strongest: number[] = $derived(this.maxima && this.maxima.layer === this.layer ? strongestChannels(this.maxima.list, STRONGEST) : []);
	/** The top patches of the chosen channel, with their crops. */
	patches: PatchView[] = $derived.by(() => {
		const info = this.layerInfo;
		if (!this.maxima || this.maxima.layer !== this.layer || !info) return [];
		return patchViews(this.maxima.list, this.channel, TOP, info.geometry, this.inputSize, new Map(this.metas().map((m) => [m.id, m])));
	});

	private readonly cache = new Map<string, ChannelMaxima[]>();

	constructor(
		/** The gallery's pictures (their sizes place the crops). */
		private readonly metas: () => readonly SnapshotMeta[],
		onError: (text: string) => void
	) {
		this.job = new Job({ onError: (err) => onError(`Patches could not be computed: ${err instanceof Error ? err.message : String(err)}`) });
	}

	get progress() {
		return this.job.progress;
	}

	/** The maxima at the chosen layer for `items` (from the cache when it has them all). */
	async compute(work: PatchWork, items: GalleryItem[]): Promise<void> {
		const layer = this.layer;
		if (items.length === 0) return;
		const cached = this.cache.get(layer);
		if (cached && cached.length === items.length) {
			this.maxima = { layer, list: cached };
			return;
		}
		await this.job.start(async (signal, progress) => {
			progress({ done: 0, total: items.length });
			const list = await work.maxima(layer, items, (done, total) => void progress({ done, total }), signal);
			this.cache.set(layer, list);
			if (signal.aborted) return;
			this.maxima = { layer, list };
			const c = this.layers.find((l) => l.name === layer)?.channels ?? 0;
			if (this.channel >= c) this.channel = strongestChannels(list, 1)[0] ?? 0;
		});
	}

	/** The pictures changed: every layer's maxima are computed again when next asked for. */
	forget(): void {
		this.cache.clear();
		this.maxima = null;
	}

	dispose(): void {
		this.job.dispose();
	}
}
