/**
 * The map's input: every picture's pooled features scaled to unit length, as one flat n × d array
 * (Euclidean distance between unit vectors orders pairs like the cosine distance the neighbours use),
 * and the t-SNE perplexity for n pictures. Pure.
 */

/** The rows scaled to unit L2 length, packed as one n × d Float32Array (a zero row stays zero). */
export function unitRows(rows: readonly ArrayLike<number>[], d: number): Float32Array {
	const out = new Float32Array(rows.length * d);
	rows.forEach((f, i) => {
		if (f.length !== d) throw new RangeError(`unitRows: row ${i} has ${f.length} values, not ${d}`);
		let s = 0;
		for (let k = 0; k < d; k++) s += f[k] * f[k];
		const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
		for (let k = 0; k < d; k++) out[i * d + k] = f[k] * inv;
	});
	return out;
}

/** t-SNE's perplexity for n points: 30, or a third of the other points for a small gallery (at least 2). */
export function tsnePerplexity(n: number): number {
	return Math.min(30, Math.max(2, (n - 1) / 3));
}
