import { describe, expect, it } from 'vitest';
import { nextTask, throwIfCancelled } from '../../../src/lib/cancel';
import type { FeatureRecord } from '../../../src/lib/gallery/feature-cache';
import { neighbourLists } from '../../../src/lib/gallery/neighbours';
import { patchBox, type ChannelMaxima } from '../../../src/lib/gallery/patches';
import { pca2 } from '../../../src/lib/gallery/pca';
import type { SnapshotMeta } from '../../../src/lib/gallery/store';
import { Tsne } from '../../../src/lib/gallery/tsne';
import { GalleryState } from '../../../src/lib/state/gallery.svelte';
import { GalleryMapState, type MapWork } from '../../../src/lib/state/gallery-map.svelte';
import { GalleryPatchesState, type PatchWork } from '../../../src/lib/state/gallery-patches.svelte';
import type { GalleryItem } from '../../../src/lib/workers/protocol';

const meta = (id: string, width = 640, height = 480): SnapshotMeta => ({ id, width, height, source: 'upload', createdAt: 0 });
const record = (id: string, pooled: number[], tiny: number[]): FeatureRecord => ({
	id,
	model: 'test',
	pooled: Float32Array.from(pooled),
	tiny: Float32Array.from(tiny),
	top1: { index: 0, label: 'thing', prob: 1 }
});

describe('GalleryState: the grid, the selection and its neighbours', () => {
	it('ready, selectedMeta and neighbours follow the pictures, their features and the selection', () => {
		const g = new GalleryState();
		g.items = ['a', 'b', 'c', 'd'].map((id) => meta(id));
		g.selected = 'a';
		expect(g.selectedMeta?.id).toBe('a');
		expect(g.ready).toEqual([]);
		expect(g.neighbours).toBeNull();
		g.features = { a: record('a', [1, 0], [0, 0]), c: record('c', [0, 1], [1, 1]) };
		expect(g.ready.map((m) => m.id)).toEqual(['a', 'c']);
		expect(g.neighbours?.features.map((n) => n.id)).toEqual(['c']);
		g.features = { ...g.features, d: record('d', [5, 0.5], [9, 9]), b: record('b', [-1, 0], [0.1, 0]) };
		// Gallery order, not the order the features came in.
		expect(g.ready.map((m) => m.id)).toEqual(['a', 'b', 'c', 'd']);
		const expected = neighbourLists(['a', 'b', 'c', 'd'], (id) => g.features[id], 'a', 8);
		expect(g.neighbours).toEqual(expected);
		expect(g.neighbours?.features.map((n) => n.id)).toEqual(['d', 'c', 'b']);
		expect(g.neighbours?.pixels.map((n) => n.id)).toEqual(['b', 'c', 'd']);
		g.select('c');
		expect(g.selectedMeta?.id).toBe('c');
		// (0, 1) leans towards (5, 0.5) only; it is at right angles to (1, 0) and (-1, 0), which tie (by order).
		expect(g.neighbours?.features.map((n) => n.id)).toEqual(['d', 'a', 'b']);
		g.items = g.items.filter((m) => m.id !== 'b');
		expect(g.ready.map((m) => m.id)).toEqual(['a', 'c', 'd']);
		g.dispose();
	});

	it('move() steps the selection through the gallery and wraps around', () => {
		const g = new GalleryState();
		g.move(1);
		expect(g.selected).toBeNull();
		g.items = ['a', 'b', 'c'].map((id) => meta(id));
		g.selected = 'c';
		g.move(1);
		expect(g.selected).toBe('a');
		g.move(-1);
		expect(g.selected).toBe('c');
		g.selected = null;
		g.move(1);
		expect(g.selected).toBe('b');
		g.dispose();
	});
});

/** The map's work in this thread, with the code the gallery worker runs (pca2, Tsne stepped 10 at a time). */
function inProcessMap(opts: { hold?: Promise<void> } = {}) {
	const calls = { pca: 0, tsne: 0 };
	const signals: AbortSignal[] = [];
	const work: MapWork = {
		async pca(data, n, d) {
			calls.pca++;
			return pca2(data, n, d).positions;
		},
		async tsne(data, n, d, options, onProgress, signal) {
			calls.tsne++;
			signals.push(signal!);
			const t = new Tsne(data, n, d, options);
			await opts.hold;
			while (!t.done) {
				throwIfCancelled(signal);
				t.run(10);
				onProgress({ iteration: t.iteration, total: t.iterations, method: t.method, positions: Float64Array.from(t.positions) });
				await nextTask();
			}
			return Float64Array.from(t.positions);
		}
	};
	return { work, calls, signals };
}

/** Two tight groups of pictures, far apart in feature space. */
function twoGroups(n: number, tag = ''): { id: string; pooled: Float32Array }[] {
	return Array.from({ length: n }, (_, i) => {
		const f = new Float32Array(8);
		f[i % 2 === 0 ? 0 : 4] = 1;
		f[1 + (i % 3)] = 0.05 * (i + 1);
		return { id: `${tag}${i}`, pooled: f };
	});
}

describe('GalleryMapState', () => {
	it('draws nothing for fewer than three pictures', async () => {
		const { work, calls } = inProcessMap();
		const m = new GalleryMapState(() => 100, () => {});
		await m.compute(work, twoGroups(2));
		expect(m.layout).toBeNull();
		expect(calls.pca).toBe(0);
	});

	it('PCA at once, then t-SNE with progress; the finished layout keeps the groups apart and is not computed twice', async () => {
		const notices: string[] = [];
		const m = new GalleryMapState(() => 100, (t) => notices.push(t));
		const seen: { done: number; total: number; kind?: string }[] = [];
		const inner = inProcessMap();
		const work: MapWork = {
			pca: inner.work.pca,
			tsne: (data, n, d, options, onProgress, signal) =>
				inner.work.tsne(data, n, d, options, (p) => {
					onProgress(p);
					if (m.progress) seen.push({ ...m.progress, kind: m.layout?.kind });
				}, signal)
		};
		const items = twoGroups(12);
		await m.compute(work, items);
		expect(notices).toEqual([]);
		expect(m.layout?.kind).toBe('tsne');
		expect(m.layout?.method).toBe('exact');
		expect(m.layout?.ms).toBeGreaterThanOrEqual(0);
		expect(m.layout?.ids).toEqual(items.map((x) => x.id));
		expect(seen.length).toBe(10);
		expect(seen.at(-1)).toMatchObject({ done: 100, total: 100, kind: 'tsne' });
		expect(seen[0]).toMatchObject({ done: 10, total: 100, kind: 'pca' }); // under a third of the way: still the PCA view
		expect(m.progress).toBeNull();
		expect(m.job.running).toBe(false);
		// Every picture's nearest neighbour on the map is in its own group.
		const p = m.layout!.positions;
		for (let i = 0; i < 12; i++) {
			let best = -1;
			let bestD = Infinity;
			for (let j = 0; j < 12; j++) {
				const dd = j === i ? Infinity : Math.hypot(p[2 * i] - p[2 * j], p[2 * i + 1] - p[2 * j + 1]);
				if (dd < bestD) [best, bestD] = [j, dd];
			}
			expect(best % 2).toBe(i % 2);
		}
		await m.compute(work, items);
		expect(inner.calls).toEqual({ pca: 1, tsne: 1 });
	});

	it('a newer gallery supersedes the layout in progress: the old run is cancelled and nobody is told', async () => {
		const notices: string[] = [];
		const m = new GalleryMapState(() => 50, (t) => notices.push(t));
		let release!: () => void;
		const slow = inProcessMap({ hold: new Promise<void>((r) => (release = r)) });
		const first = m.compute(slow.work, twoGroups(6, 'old'));
		while (slow.calls.tsne === 0) await nextTask();
		expect(m.layout?.kind).toBe('pca');
		const fresh = inProcessMap();
		await m.compute(fresh.work, twoGroups(5, 'new'));
		expect(slow.signals[0].aborted).toBe(true);
		release();
		await first;
		expect(m.layout?.kind).toBe('tsne');
		expect(m.layout?.ids).toEqual(['new0', 'new1', 'new2', 'new3', 'new4']);
		expect(notices).toEqual([]);
		expect(m.job.running).toBe(false);
	});

	it('a failure becomes one notice', async () => {
		const notices: string[] = [];
		const m = new GalleryMapState(() => 50, (t) => notices.push(t));
		const work: MapWork = { pca: async () => Promise.reject(new Error('the gallery worker crashed')), tsne: async () => new Float64Array() };
		await m.compute(work, twoGroups(4));
		expect(notices).toEqual(['The map could not be computed: the gallery worker crashed']);
		expect(m.layout).toBeNull();
		expect(m.job.running).toBe(false);
	});
});

/** Maxima with known answers: picture i's channel c peaks at (value table[id][c], unit arg). */
function tableWork(table: Record<string, number[]>, opts: { hold?: Promise<void> } = {}) {
	const calls: string[] = [];
	const signals: AbortSignal[] = [];
	const work: PatchWork = {
		async maxima(layer, items, onProgress, signal) {
			calls.push(layer);
			signals.push(signal!);
			await opts.hold;
			const out: ChannelMaxima[] = [];
			for (const [i, item] of items.entries()) {
				throwIfCancelled(signal);
				const values = table[item.id];
				out.push({ id: item.id, h: 14, w: 14, max: Float32Array.from(values), arg: Int32Array.from(values, (_, c) => c) });
				onProgress(i + 1, items.length);
				await nextTask();
			}
			return out;
		}
	};
	return { work, calls, signals };
}

const LAYERS = [
	{ name: 'conv4', channels: 3, geometry: { jump: 16, size: 99, start: 0, extent: 14 } },
	{ name: 'conv5', channels: 3, geometry: { jump: 32, size: 200, start: 16, extent: 7 } }
];
const items = (ids: string[]): GalleryItem[] => ids.map((id) => ({ id, blob: new Blob() }));

describe('GalleryPatchesState', () => {
	const table = { a: [0.1, 5, 0.2], b: [0.3, 2, 4], c: [0.2, 1, 0.1] };
	const metas = [meta('a', 448, 224), meta('b'), meta('c')];

	it('computes the layer’s maxima once with progress; strongest channels and the crops follow the channel', async () => {
		const notices: string[] = [];
		const s = new GalleryPatchesState(() => metas, (t) => notices.push(t));
		s.layers = LAYERS;
		s.channel = 7; // more than conv4 has: the strongest channel is chosen
		const { work, calls } = tableWork(table);
		const seen: unknown[] = [];
		const watched: PatchWork = { maxima: (l, it, onProgress, sig) => work.maxima(l, it, (d, t) => (onProgress(d, t), seen.push(s.progress)), sig) };
		expect(s.patches).toEqual([]);
		await s.compute(watched, items(['a', 'b', 'c']));
		expect(seen).toEqual([{ done: 1, total: 3 }, { done: 2, total: 3 }, { done: 3, total: 3 }]);
		expect(s.progress).toBeNull();
		expect(s.channel).toBe(1);
		expect(s.strongest).toEqual([1, 2, 0]);
		expect(s.patches.map((p) => [p.id, p.value])).toEqual([['a', 5], ['b', 2], ['c', 1]]);
		expect(s.patches[0].box).toEqual(patchBox(LAYERS[0].geometry, 0, 1, 224, 448, 224));
		s.channel = 2;
		expect(s.patches.map((p) => p.id)).toEqual(['b', 'a', 'c']);
		// Another layer: nothing shown until its maxima are in.
		s.layer = 'conv5';
		expect(s.patches).toEqual([]);
		expect(s.strongest).toEqual([]);
		s.layer = 'conv4';
		await s.compute(watched, items(['a', 'b', 'c']));
		expect(calls).toEqual(['conv4']);
		// New pictures: computed again.
		s.forget();
		expect(s.patches).toEqual([]);
		await s.compute(watched, items(['a', 'b', 'c']));
		expect(calls).toEqual(['conv4', 'conv4']);
		expect(notices).toEqual([]);
		s.dispose();
	});

	it('a newer request supersedes the one in flight; a failure becomes one notice', async () => {
		const notices: string[] = [];
		const s = new GalleryPatchesState(() => metas, (t) => notices.push(t));
		s.layers = LAYERS;
		let release!: () => void;
		const slow = tableWork(table, { hold: new Promise<void>((r) => (release = r)) });
		const first = s.compute(slow.work, items(['a', 'b']));
		s.layer = 'conv5';
		await s.compute(tableWork(table).work, items(['a', 'b', 'c']));
		expect(slow.signals[0].aborted).toBe(true);
		release();
		await first;
		expect(s.maxima?.layer).toBe('conv5');
		expect(s.maxima?.list).toHaveLength(3);
		expect(notices).toEqual([]);
		await s.compute({ maxima: async () => Promise.reject(new Error('out of memory')) }, items(['a']));
		expect(notices).toEqual(['Patches could not be computed: out of memory']);
		expect(s.job.running).toBe(false);
	});
});
