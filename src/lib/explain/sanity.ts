/**
 * The model-randomization sanity check (Adebayo et al. 2018, "Sanity checks for saliency maps"):
 * re-initialize the network's layers from the top down, one group more at each step (cascading), and
 * explain the same picture again after each. A method that explains the model gives a different map
 * once the layers it depends on are random; a map that stays the same (high rank correlation with the
 * original) shows the picture, not the network — an edge detector would pass as an "explanation".
 *
 * The weights are put back afterwards (also on error or abort), so the check can run on a live model.
 */
import * as tf from '@tensorflow/tfjs';

/** Spearman rank correlation of two equally long arrays (average ranks for ties); 0 when one is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
	if (a.length !== b.length) throw new Error(`spearman: lengths differ (${a.length} vs ${b.length})`);
	const rank = (v: ArrayLike<number>) => {
		const idx = Array.from({ length: v.length }, (_, i) => i).sort((i, j) => v[i] - v[j]);
		const r = new Array<number>(v.length);
		for (let i = 0; i < idx.length; ) {
			let j = i;
			while (j + 1 < idx.length && v[idx[j + 1]] === v[idx[i]]) j++;
			for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2;
			i = j + 1;
		}
		return r;
	};
	const ra = rank(a);
	const rb = rank(b);
	const n = ra.length;
	const ma = ra.reduce((s, x) => s + x, 0) / n;
	const mb = rb.reduce((s, x) => s + x, 0) / n;
	let num = 0;
	let da = 0;
	let db = 0;
	for (let i = 0; i < n; i++) {
		num += (ra[i] - ma) * (rb[i] - mb);
		da += (ra[i] - ma) ** 2;
		db += (rb[i] - mb) ** 2;
	}
	return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

/** Something with weights that can be replaced: a tfjs layer. */
export interface WeightedLayer {
	readonly name: string;
	getWeights(): tf.Tensor[];
	setWeights(weights: tf.Tensor[]): void;
}

/** One step of the cascade: the layers randomized at this step (on top of all earlier steps'). */
export interface CascadeStep {
	name: string;
	layers: readonly WeightedLayer[];
}

/**
 * Re-initializes the kernels (weights of rank ≥ 2) of `layers` with He-normal values (σ = √(2 / fan-in));
 * biases and normalization statistics stay. Returns a function that puts the old weights back.
 */
export function randomizeLayers(layers: readonly WeightedLayer[], seed: number): () => void {
	const saved = layers.map((l) => l.getWeights().map((w) => tf.clone(w)));
	let s = seed;
	for (const layer of layers) {
		const ws = layer.getWeights();
		const next = ws.map((w) => {
			if (w.rank < 2) return w;
			const fanIn = w.shape.slice(0, -1).reduce((p, d) => p * d, 1);
			return tf.randomNormal(w.shape, 0, Math.sqrt(2 / fanIn), 'float32', s++);
		});
		layer.setWeights(next);
		tf.dispose(next.filter((t, i) => t !== ws[i]));
	}
	return () => {
		layers.forEach((l, i) => l.setWeights(saved[i]));
		tf.dispose(saved.flat());
	};
}

export interface CascadeRow {
	/** 'original', then the step's name ("fc1000", "res5c", …): everything from the top down to it is random. */
	name: string;
	/** The map (flattened) after this step. */
	map: Float32Array;
	/** Spearman rank correlation with the original map (1 for the original). */
	spearman: number;
}

/**
 * The cascade, one row at a time: the original map, then the map after each step (steps accumulate,
 * top down). `explain` computes the map of the fixed picture with the model as it is now. The weights
 * are restored when the generator ends — finished, thrown or returned early (abort).
 */
export async function* cascade(steps: readonly CascadeStep[], explain: () => Promise<Float32Array>, opts: { seed?: number } = {}): AsyncGenerator<CascadeRow> {
	const original = await explain();
	yield { name: 'original', map: original, spearman: 1 };
	const restores: (() => void)[] = [];
	try {
		let seed = opts.seed ?? 1;
		for (const step of steps) {
			restores.push(randomizeLayers(step.layers, seed));
			seed += 1000;
			const map = await explain();
			yield { name: step.name, map, spearman: spearman(original, map) };
		}
	} finally {
		for (const restore of restores.reverse()) restore();
	}
}

/** All rows of the cascade (see `cascade`). */
export async function cascadingRandomization(steps: readonly CascadeStep[], explain: () => Promise<Float32Array>, opts: { seed?: number } = {}): Promise<CascadeRow[]> {
	const rows: CascadeRow[] = [];
	for await (const row of cascade(steps, explain, opts)) rows.push(row);
	return rows;
}

/**
 * The cascade for a Keras ResNet50: the classifier layer (fc1000) first, then each residual block from
 * the last (res5c) down to `lowest` — each block's convolution layers together — then conv1 when asked.
 */
export function resnetCascade(layers: readonly WeightedLayer[], opts: { lowest?: string; conv1?: boolean } = {}): CascadeStep[] {
	const withKernel = layers.filter((l) => l.getWeights().some((w) => w.rank >= 2));
	const blocks = new Map<string, WeightedLayer[]>();
	for (const l of withKernel) {
		const m = /^res(\d[a-f])_/.exec(l.name);
		if (m) blocks.set(`res${m[1]}`, [...(blocks.get(`res${m[1]}`) ?? []), l]);
	}
	const steps: CascadeStep[] = [];
	const fc = withKernel.find((l) => l.name === 'fc1000');
	if (fc) steps.push({ name: 'fc1000', layers: [fc] });
	const order = [...blocks.keys()].reverse();
	const stop = opts.lowest ? order.indexOf(opts.lowest) : order.length - 1;
	for (const b of order.slice(0, stop < 0 ? order.length : stop + 1)) steps.push({ name: b, layers: blocks.get(b)! });
	const conv1 = withKernel.find((l) => l.name === 'conv1');
	if (opts.conv1 && conv1) steps.push({ name: 'conv1', layers: [conv1] });
	return steps;
}
