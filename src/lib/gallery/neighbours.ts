/**
 * Nearest neighbours for the lecture's side-by-side (Krizhevsky et al. 2012, fig. 4): by cosine distance
 * between ResNet50's penultimate features, and by Euclidean distance between tiny pictures (pixel space).
 * Pure; brute force (a gallery holds hundreds of pictures, not millions).
 */

export type Metric = 'cosine' | 'l2';

export interface Neighbour {
	index: number;
	distance: number;
}

/** 1 − cos(a, b); 1 when either vector is zero. */
export function cosineDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let dot = 0;
	let na = 0;
	let nb = 0;
	for (let i = 0; i < a.length; i++) {
		dot += a[i] * b[i];
		na += a[i] * a[i];
		nb += b[i] * b[i];
	}
	if (na === 0 || nb === 0) return 1;
	return 1 - dot / Math.sqrt(na * nb);
}

/** Euclidean distance. */
export function l2Distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < a.length; i++) {
		const t = a[i] - b[i];
		s += t * t;
	}
	return Math.sqrt(s);
}

/** The k vectors nearest to vectors[query] (itself left out), nearest first; ties by index. */
export function nearest(vectors: readonly ArrayLike<number>[], query: number, k: number, metric: Metric): Neighbour[] {
	const dist = metric === 'cosine' ? cosineDistance : l2Distance;
	const q = vectors[query];
	if (!q) throw new RangeError(`nearest: no vector ${query}`);
	const all: Neighbour[] = [];
	for (let i = 0; i < vectors.length; i++) if (i !== query) all.push({ index: i, distance: dist(q, vectors[i]) });
	all.sort((a, b) => a.distance - b.distance || a.index - b.index);
	return all.slice(0, k);
}

/** A neighbour with its picture's id. */
export interface NamedNeighbour extends Neighbour {
	id: string;
}

/**
 * The gallery's two neighbour lists of picture `query` among `ids` (in gallery order): by features
 * (cosine between pooled features) and by pixels (L2 between tiny pictures). Null when the query is
 * not among them or there is nobody else.
 */
export function neighbourLists(
	ids: readonly string[],
	vectors: (id: string) => { pooled: ArrayLike<number>; tiny: ArrayLike<number> },
	query: string | null,
	k: number
): { features: NamedNeighbour[]; pixels: NamedNeighbour[] } | null {
	const q = query === null ? -1 : ids.indexOf(query);
	if (q < 0 || ids.length < 2) return null;
	const withId = (n: Neighbour) => ({ ...n, id: ids[n.index] });
	return {
		features: nearest(ids.map((id) => vectors(id).pooled), q, k, 'cosine').map(withId),
		pixels: nearest(ids.map((id) => vectors(id).tiny), q, k, 'l2').map(withId)
	};
}
