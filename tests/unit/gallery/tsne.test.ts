import { describe, expect, it } from 'vitest';
import { calibrateRow, Tsne } from '../../../src/lib/gallery/tsne';
import { blobs } from './blobs';

/** For each cluster: the largest distance to its centroid; and the smallest distance between centroids. */
function separation(Y: Float64Array, labels: number[]) {
	const k = Math.max(...labels) + 1;
	const cx = new Array(k).fill(0);
	const cy = new Array(k).fill(0);
	const cnt = new Array(k).fill(0);
	labels.forEach((l, i) => {
		cx[l] += Y[2 * i];
		cy[l] += Y[2 * i + 1];
		cnt[l]++;
	});
	for (let c = 0; c < k; c++) {
		cx[c] /= cnt[c];
		cy[c] /= cnt[c];
	}
	let radius = 0;
	labels.forEach((l, i) => (radius = Math.max(radius, Math.hypot(Y[2 * i] - cx[l], Y[2 * i + 1] - cy[l]))));
	let gap = Infinity;
	for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) gap = Math.min(gap, Math.hypot(cx[a] - cx[b], cy[a] - cy[b]));
	return { radius, gap };
}

/** Share of points whose nearest neighbour in the layout has their label. */
function nnAccuracy(Y: Float64Array, labels: number[]): number {
	let ok = 0;
	for (let i = 0; i < labels.length; i++) {
		let best = -1;
		let bd = Infinity;
		for (let j = 0; j < labels.length; j++) {
			if (j === i) continue;
			const d = Math.hypot(Y[2 * i] - Y[2 * j], Y[2 * i + 1] - Y[2 * j + 1]);
			if (d < bd) [bd, best] = [d, j];
		}
		if (labels[best] === labels[i]) ok++;
	}
	return ok / labels.length;
}

describe('t-SNE', () => {
	it('calibrates a row to the perplexity asked for', () => {
		const dist = Float64Array.from({ length: 50 }, (_, i) => i * 0.3);
		const p = new Float64Array(50);
		calibrateRow(dist, 10, p);
		const H = -p.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0);
		expect(Math.exp(H)).toBeCloseTo(10, 3);
		expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
	});

	it('exact: keeps three well-separated Gaussian blobs separated', () => {
		const { data, labels, n } = blobs(3, 30, 10);
		const t = new Tsne(data, n, 10, { perplexity: 15, iterations: 400, seed: 3 });
		expect(t.method).toBe('exact');
		t.run(400);
		expect(t.done).toBe(true);
		const { radius, gap } = separation(t.positions, labels);
		expect(gap).toBeGreaterThan(2 * radius);
		expect(nnAccuracy(t.positions, labels)).toBe(1);
		expect(t.kl).toBeLessThan(1.5);
	});

	it('Barnes-Hut (beyond a few hundred points): keeps three blobs separated', () => {
		const { data, labels, n } = blobs(3, 120, 10);
		const t = new Tsne(data, n, 10, { perplexity: 30, iterations: 400, seed: 3 });
		expect(t.method).toBe('barnes-hut');
		while (!t.done) t.run(50);
		const { radius, gap } = separation(t.positions, labels);
		expect(gap).toBeGreaterThan(2 * radius);
		expect(nnAccuracy(t.positions, labels)).toBe(1);
	});

	it('is deterministic for a seed, and Barnes-Hut with θ = 0 follows the exact gradient', () => {
		const { data, n } = blobs(3, 10, 5);
		const a = new Tsne(data, n, 5, { perplexity: 5, iterations: 30, seed: 9 });
		const b = new Tsne(data, n, 5, { perplexity: 5, iterations: 30, seed: 9 });
		const bh = new Tsne(data, n, 5, { perplexity: 5, iterations: 30, seed: 9, exactBelow: 0, theta: 0 });
		a.run(30);
		b.run(30);
		bh.run(30);
		expect(Array.from(a.positions)).toEqual(Array.from(b.positions));
		// Barnes-Hut keeps P on the 3·perplexity = 15 nearest neighbours only (exact keeps all 29), so compare loosely: the same spread.
		const spread = (Y: Float64Array) => Math.sqrt(Y.reduce((s, v) => s + v * v, 0) / Y.length);
		expect(spread(bh.positions) / spread(a.positions)).toBeGreaterThan(0.5);
		expect(spread(bh.positions) / spread(a.positions)).toBeLessThan(2);
	});

	it('refuses data of the wrong length', () => {
		expect(() => new Tsne(new Float64Array(5), 2, 3)).toThrow(/6|5/);
		expect(() => new Tsne(new Float64Array(3), 1, 3)).toThrow(/at least 2/);
	});
});
