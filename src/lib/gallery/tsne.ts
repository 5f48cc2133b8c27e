/**
 * t-SNE (van der Maaten & Hinton 2008), ours: pure TypeScript over Float64Array, stepwise so a worker
 * can report progress and stop between steps.
 *
 *   const t = new Tsne(data, n, d, { perplexity: 30 });
 *   while (!t.done) t.step();          // or t.run(50) between progress reports
 *   t.positions                        // Float64Array [n * 2]
 *
 * - Perplexity calibration: a binary search on each point's Gaussian precision until the entropy of
 *   its conditional distribution is log(perplexity); then P is symmetrized and normalized.
 * - Gradient: exact O(n²) for small sets (n ≤ `exactBelow`); Barnes-Hut beyond (van der Maaten 2014): P
 *   kept on each point's 3·perplexity nearest neighbours, repulsion summed over a quadtree whose cells
 *   count as one point when size / distance < θ.
 * - Optimization: early exaggeration (×12 for the first 250 steps), momentum 0.5 then 0.8, per-coordinate
 *   gains (delta-bar-delta), learning rate max(n / 12 / 4, 50) unless given (sklearn's "auto").
 * Why not a package: tsne-js (exact only, ndarray/cwise code generation) and @keckelt/tsne (tsnejs fork,
 * exact only, no release since 2024) have no Barnes-Hut and no stepping with progress (docs/gallery.md).
 */
import { seededRng } from '../rng';

export interface TsneOptions {
	perplexity?: number;
	iterations?: number;
	learningRate?: number;
	earlyExaggeration?: number;
	exaggerationIterations?: number;
	/** Barnes-Hut accuracy: smaller is more exact and slower. */
	theta?: number;
	/** Exact gradient for n up to this; Barnes-Hut beyond. */
	exactBelow?: number;
	/** Seed of the initial layout (deterministic). */
	seed?: number;
	/** Initial layout [n * 2] (e.g. PCA), rescaled to a small spread; overrides the random one. */
	init?: ArrayLike<number>;
}

export type TsneMethod = 'exact' | 'barnes-hut';

/** Seeded PRNG (mulberry32): the same layout for the same seed. */
export const mulberry32 = seededRng;

/** Standard normal from a uniform source (Box-Muller). */
export function gaussian(rand: () => number): number {
	const u = Math.max(rand(), 1e-12);
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Squared Euclidean distances, full n × n. */
export function squaredDistances(data: ArrayLike<number>, n: number, d: number): Float64Array {
	const D = new Float64Array(n * n);
	for (let i = 0; i < n; i++) {
		for (let j = i + 1; j < n; j++) {
			let s = 0;
			for (let k = 0, a = i * d, b = j * d; k < d; k++, a++, b++) {
				const t = data[a] - data[b];
				s += t * t;
			}
			D[i * n + j] = s;
			D[j * n + i] = s;
		}
	}
	return D;
}

/**
 * Conditional probabilities p_{j|i} of one row by binary search on the precision β so that the
 * entropy is log(perplexity). `dist` are squared distances to the `cols` candidates; writes into `out`.
 */
export function calibrateRow(dist: Float64Array, perplexity: number, out: Float64Array): number {
	const target = Math.log(perplexity);
	let beta = 1;
	let lo = -Infinity;
	let hi = Infinity;
	const m = dist.length;
	// Distances relative to the nearest, so exp() does not underflow on far-apart data.
	let dmin = Infinity;
	for (let j = 0; j < m; j++) if (dist[j] < dmin) dmin = dist[j];
	for (let iter = 0; iter < 200; iter++) {
		let sum = 0;
		let sumDP = 0;
		for (let j = 0; j < m; j++) {
			const p = Math.exp(-(dist[j] - dmin) * beta);
			out[j] = p;
			sum += p;
			sumDP += (dist[j] - dmin) * p;
		}
		if (sum === 0) sum = 1e-300;
		const H = Math.log(sum) + (beta * sumDP) / sum;
		for (let j = 0; j < m; j++) out[j] /= sum;
		const diff = H - target;
		if (Math.abs(diff) < 1e-5) break;
		if (diff > 0) {
			lo = beta;
			beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
		} else {
			hi = beta;
			beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
		}
	}
	return beta;
}

/** Symmetric joint probabilities as sparse rows (CSR): P_ij = (p_{j|i} + p_{i|j}) / 2n. */
interface SparseP {
	rowStart: Int32Array;
	cols: Int32Array;
	vals: Float64Array;
}

function jointP(data: ArrayLike<number>, n: number, d: number, perplexity: number, k: number): SparseP {
	const D = squaredDistances(data, n, d);
	// Each point's k nearest neighbours (all others when k = n − 1).
	const nbrs: Int32Array[] = [];
	const cond: Float64Array[] = [];
	const order = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		let idx: Int32Array;
		if (k >= n - 1) {
			idx = new Int32Array(n - 1);
			for (let j = 0, c = 0; j < n; j++) if (j !== i) idx[c++] = j;
		} else {
			for (let j = 0; j < n; j++) order[j] = j;
			const row = D.subarray(i * n, i * n + n);
			const sorted = Array.from(order).filter((j) => j !== i).sort((a, b) => row[a] - row[b] || a - b);
			idx = Int32Array.from(sorted.slice(0, k));
		}
		const dist = new Float64Array(idx.length);
		for (let c = 0; c < idx.length; c++) dist[c] = D[i * n + idx[c]];
		const p = new Float64Array(idx.length);
		calibrateRow(dist, perplexity, p);
		nbrs.push(idx);
		cond.push(p);
	}
	// Symmetrize: accumulate both directions in per-row maps.
	const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
	for (let i = 0; i < n; i++) {
		const idx = nbrs[i];
		const p = cond[i];
		for (let c = 0; c < idx.length; c++) {
			const j = idx[c];
			const v = p[c] / (2 * n);
			rows[i].set(j, (rows[i].get(j) ?? 0) + v);
			rows[j].set(i, (rows[j].get(i) ?? 0) + v);
		}
	}
	const rowStart = new Int32Array(n + 1);
	for (let i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + rows[i].size;
	const cols = new Int32Array(rowStart[n]);
	const vals = new Float64Array(rowStart[n]);
	for (let i = 0; i < n; i++) {
		let c = rowStart[i];
		for (const [j, v] of [...rows[i]].sort((a, b) => a[0] - b[0])) {
			cols[c] = j;
			vals[c++] = Math.max(v, 1e-12);
		}
	}
	return { rowStart, cols, vals };
}

/** A quadtree over 2-D points for the Barnes-Hut repulsion (flat arrays, rebuilt each step). */
class QuadTree {
	// Per node: centre of mass (sum), count, bounds centre and half-width, first child index (-1 = leaf), the point of a leaf (-1 = empty).
	cx: number[] = [];
	cy: number[] = [];
	count: number[] = [];
	mx: number[] = [];
	my: number[] = [];
	half: number[] = [];
	child: number[] = [];
	point: number[] = [];

	constructor(private readonly Y: Float64Array, n: number) {
		let x0 = Infinity;
		let x1 = -Infinity;
		let y0 = Infinity;
		let y1 = -Infinity;
		for (let i = 0; i < n; i++) {
			x0 = Math.min(x0, Y[2 * i]);
			x1 = Math.max(x1, Y[2 * i]);
			y0 = Math.min(y0, Y[2 * i + 1]);
			y1 = Math.max(y1, Y[2 * i + 1]);
		}
		const h = Math.max(x1 - x0, y1 - y0) / 2 + 1e-5;
		this.node((x0 + x1) / 2, (y0 + y1) / 2, h);
		for (let i = 0; i < n; i++) this.insert(0, i, 0);
	}

	private node(mx: number, my: number, half: number): number {
		this.cx.push(0);
		this.cy.push(0);
		this.count.push(0);
		this.mx.push(mx);
		this.my.push(my);
		this.half.push(half);
		this.child.push(-1);
		this.point.push(-1);
		return this.cx.length - 1;
	}

	private insert(nd: number, i: number, depth: number): void {
		const x = this.Y[2 * i];
		const y = this.Y[2 * i + 1];
		this.cx[nd] += x;
		this.cy[nd] += y;
		this.count[nd]++;
		if (this.child[nd] === -1) {
			if (this.point[nd] === -1 && this.count[nd] === 1) {
				this.point[nd] = i;
				return;
			}
			// Duplicate points (or too deep): keep them in this leaf as a lump.
			if (depth > 40) return;
			const h = this.half[nd] / 2;
			const first = this.cx.length;
			this.child[nd] = first;
			for (let q = 0; q < 4; q++) this.node(this.mx[nd] + (q & 1 ? h : -h), this.my[nd] + (q & 2 ? h : -h), h);
			const old = this.point[nd];
			this.point[nd] = -1;
			if (old !== -1) this.insert(first + this.quadrant(nd, old), old, depth + 1);
		}
		this.insert(this.child[nd] + this.quadrant(nd, i), i, depth + 1);
	}

	private quadrant(nd: number, i: number): number {
		return (this.Y[2 * i] > this.mx[nd] ? 1 : 0) + (this.Y[2 * i + 1] > this.my[nd] ? 2 : 0);
	}

	/** Adds point i's repulsion (unnormalized) into f and returns its share of Z = Σ q. */
	repulse(i: number, theta2: number, f: Float64Array): number {
		const x = this.Y[2 * i];
		const y = this.Y[2 * i + 1];
		let z = 0;
		const stack = [0];
		while (stack.length) {
			const nd = stack.pop()!;
			const cnt = this.count[nd];
			if (cnt === 0) continue;
			if (this.child[nd] === -1 && this.point[nd] === i && cnt === 1) continue;
			const comx = this.cx[nd] / cnt;
			const comy = this.cy[nd] / cnt;
			const dx = x - comx;
			const dy = y - comy;
			const d2 = dx * dx + dy * dy;
			const size = 2 * this.half[nd];
			if (this.child[nd] === -1 || size * size < theta2 * d2) {
				// A leaf holding i among duplicates counts the others only.
				const m = this.child[nd] === -1 && this.point[nd] === i ? cnt - 1 : cnt;
				const q = 1 / (1 + d2);
				z += m * q;
				f[0] += m * q * q * dx;
				f[1] += m * q * q * dy;
			} else {
				const c = this.child[nd];
				stack.push(c, c + 1, c + 2, c + 3);
			}
		}
		return z;
	}
}

export class Tsne {
	readonly n: number;
	readonly method: TsneMethod;
	readonly iterations: number;
	iteration = 0;
	/** Kullback-Leibler divergence estimate of the last step (exact method only; NaN otherwise). */
	kl = NaN;
	private readonly Y: Float64Array;
	private readonly gains: Float64Array;
	private readonly update: Float64Array;
	private readonly grad: Float64Array;
	private readonly P: SparseP;
	private readonly opts: Required<Omit<TsneOptions, 'init' | 'seed'>>;

	constructor(data: ArrayLike<number>, n: number, d: number, options: TsneOptions = {}) {
		if (n < 2) throw new RangeError('t-SNE needs at least 2 points');
		if (data.length !== n * d) throw new RangeError(`t-SNE: ${data.length} values for ${n} × ${d}`);
		this.n = n;
		const exag = options.earlyExaggeration ?? 12;
		// Perplexity must leave enough neighbours: at most (n − 1) / 3.
		const perplexity = Math.max(1, Math.min(options.perplexity ?? 30, (n - 1) / 3));
		this.opts = {
			perplexity,
			iterations: options.iterations ?? 1000,
			learningRate: options.learningRate ?? Math.max(n / exag / 4, 50),
			earlyExaggeration: exag,
			exaggerationIterations: options.exaggerationIterations ?? 250,
			theta: options.theta ?? 0.5,
			exactBelow: options.exactBelow ?? 300
		};
		this.iterations = this.opts.iterations;
		this.method = n <= this.opts.exactBelow ? 'exact' : 'barnes-hut';
		const k = this.method === 'exact' ? n - 1 : Math.min(n - 1, Math.floor(3 * perplexity));
		this.P = jointP(data, n, d, perplexity, k);
		this.Y = new Float64Array(2 * n);
		if (options.init) {
			let s = 0;
			for (let i = 0; i < 2 * n; i++) s += options.init[i] * options.init[i];
			const scale = 1e-4 / Math.max(Math.sqrt(s / (2 * n)), 1e-12);
			for (let i = 0; i < 2 * n; i++) this.Y[i] = options.init[i] * scale;
		} else {
			const rand = mulberry32(options.seed ?? 1);
			for (let i = 0; i < 2 * n; i++) this.Y[i] = gaussian(rand) * 1e-4;
		}
		this.gains = new Float64Array(2 * n).fill(1);
		this.update = new Float64Array(2 * n);
		this.grad = new Float64Array(2 * n);
	}

	get done(): boolean {
		return this.iteration >= this.iterations;
	}

	/** The layout now: [x0, y0, x1, y1, …] (a view: copy it to keep it). */
	get positions(): Float64Array {
		return this.Y;
	}

	/** Runs up to `steps` steps (fewer at the end). */
	run(steps: number): void {
		for (let s = 0; s < steps && !this.done; s++) this.step();
	}

	step(): void {
		const exag = this.iteration < this.opts.exaggerationIterations ? this.opts.earlyExaggeration : 1;
		if (this.method === 'exact') this.exactGradient(exag);
		else this.bhGradient(exag);
		const momentum = this.iteration < this.opts.exaggerationIterations ? 0.5 : 0.8;
		const { Y, gains, update, grad } = this;
		const lr = this.opts.learningRate;
		for (let i = 0; i < Y.length; i++) {
			const g = grad[i];
			gains[i] = Math.sign(g) !== Math.sign(update[i]) ? gains[i] + 0.2 : gains[i] * 0.8;
			if (gains[i] < 0.01) gains[i] = 0.01;
			update[i] = momentum * update[i] - lr * gains[i] * g;
			Y[i] += update[i];
		}
		// Keep the layout centred.
		let mx = 0;
		let my = 0;
		for (let i = 0; i < this.n; i++) {
			mx += Y[2 * i];
			my += Y[2 * i + 1];
		}
		mx /= this.n;
		my /= this.n;
		for (let i = 0; i < this.n; i++) {
			Y[2 * i] -= mx;
			Y[2 * i + 1] -= my;
		}
		this.iteration++;
	}

	private exactGradient(exag: number): void {
		const { n, Y, grad, P } = this;
		const num = new Float64Array(n * n);
		let Z = 0;
		for (let i = 0; i < n; i++) {
			for (let j = i + 1; j < n; j++) {
				const dx = Y[2 * i] - Y[2 * j];
				const dy = Y[2 * i + 1] - Y[2 * j + 1];
				const q = 1 / (1 + dx * dx + dy * dy);
				num[i * n + j] = q;
				num[j * n + i] = q;
				Z += 2 * q;
			}
		}
		grad.fill(0);
		// Dense P (the exact method keeps every pair).
		const Pd = new Float64Array(n * n);
		for (let i = 0; i < n; i++) for (let c = P.rowStart[i]; c < P.rowStart[i + 1]; c++) Pd[i * n + P.cols[c]] = P.vals[c];
		let kl = 0;
		for (let i = 0; i < n; i++) {
			let gx = 0;
			let gy = 0;
			for (let j = 0; j < n; j++) {
				if (i === j) continue;
				const q = num[i * n + j];
				const p = Pd[i * n + j];
				const m = (exag * p - q / Z) * q;
				gx += m * (Y[2 * i] - Y[2 * j]);
				gy += m * (Y[2 * i + 1] - Y[2 * j + 1]);
				if (p > 1e-12) kl += p * Math.log(p / Math.max(q / Z, 1e-12));
			}
			grad[2 * i] = 4 * gx;
			grad[2 * i + 1] = 4 * gy;
		}
		this.kl = kl;
	}

	private bhGradient(exag: number): void {
		const { n, Y, grad, P } = this;
		const tree = new QuadTree(Y, n);
		const rep = new Float64Array(2 * n);
		const f = new Float64Array(2);
		const theta2 = this.opts.theta * this.opts.theta;
		let Z = 0;
		for (let i = 0; i < n; i++) {
			f[0] = 0;
			f[1] = 0;
			Z += tree.repulse(i, theta2, f);
			rep[2 * i] = f[0];
			rep[2 * i + 1] = f[1];
		}
		for (let i = 0; i < n; i++) {
			let ax = 0;
			let ay = 0;
			for (let c = P.rowStart[i]; c < P.rowStart[i + 1]; c++) {
				const j = P.cols[c];
				const dx = Y[2 * i] - Y[2 * j];
				const dy = Y[2 * i + 1] - Y[2 * j + 1];
				const q = 1 / (1 + dx * dx + dy * dy);
				ax += P.vals[c] * q * dx;
				ay += P.vals[c] * q * dy;
			}
			grad[2 * i] = 4 * (exag * ax - rep[2 * i] / Z);
			grad[2 * i + 1] = 4 * (exag * ay - rep[2 * i + 1] / Z);
		}
		this.kl = NaN;
	}
}
