/**
 * PCA to 2-D, for the map's instant first view: the top two eigenvectors of the small n × n Gram matrix
 * of the centred data (n pictures ≪ 2048 features), by power iteration with deflation. Deterministic:
 * a fixed start vector, and each axis's sign chosen so its largest coordinate is positive.
 */

export interface Pca2 {
	/** [x0, y0, x1, y1, …]: each point's coordinates on the two principal axes. */
	positions: Float64Array;
	/** Variance along each axis. */
	variance: [number, number];
}

/** The centred Gram matrix G = Xc · Xcᵀ (n × n). */
function centredGram(data: ArrayLike<number>, n: number, d: number): Float64Array {
	const mean = new Float64Array(d);
	for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += data[i * d + k] / n;
	const X = new Float64Array(n * d);
	for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) X[i * d + k] = data[i * d + k] - mean[k];
	const G = new Float64Array(n * n);
	for (let i = 0; i < n; i++) {
		for (let j = i; j < n; j++) {
			let s = 0;
			for (let k = 0, a = i * d, b = j * d; k < d; k++) s += X[a + k] * X[b + k];
			G[i * n + j] = s;
			G[j * n + i] = s;
		}
	}
	return G;
}

/** Largest eigenpair of a symmetric matrix by power iteration. */
function topEigen(G: Float64Array, n: number, iterations = 300): { value: number; vector: Float64Array } {
	let v = new Float64Array(n);
	for (let i = 0; i < n; i++) v[i] = 1 + ((i * 7919) % 13) / 13; // fixed, not orthogonal to anything in practice
	let value = 0;
	for (let it = 0; it < iterations; it++) {
		const w = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			let s = 0;
			for (let j = 0; j < n; j++) s += G[i * n + j] * v[j];
			w[i] = s;
		}
		let norm = 0;
		for (let i = 0; i < n; i++) norm += w[i] * w[i];
		norm = Math.sqrt(norm);
		if (norm < 1e-300) return { value: 0, vector: new Float64Array(n) };
		for (let i = 0; i < n; i++) w[i] /= norm;
		let delta = 0;
		for (let i = 0; i < n; i++) delta += Math.abs(w[i] - v[i]);
		v = w;
		const converged = Math.abs(norm - value) <= 1e-12 * norm && delta < 1e-10;
		value = norm;
		if (converged) break;
	}
	return { value, vector: v };
}

export function pca2(data: ArrayLike<number>, n: number, d: number): Pca2 {
	if (data.length !== n * d) throw new RangeError(`pca2: ${data.length} values for ${n} × ${d}`);
	const positions = new Float64Array(2 * n);
	if (n < 2) return { positions, variance: [0, 0] };
	const G = centredGram(data, n, d);
	const variance: [number, number] = [0, 0];
	for (let axis = 0; axis < 2; axis++) {
		const { value, vector } = topEigen(G, n);
		// Sign: the largest coordinate positive.
		let big = 0;
		for (let i = 0; i < n; i++) if (Math.abs(vector[i]) > Math.abs(vector[big])) big = i;
		const sign = vector[big] < 0 ? -1 : 1;
		// Projection of point i on the axis = u_i · sqrt(λ) (eigenvector of the Gram matrix).
		const s = Math.sqrt(Math.max(value, 0));
		for (let i = 0; i < n; i++) positions[2 * i + axis] = sign * vector[i] * s;
		variance[axis] = value / n;
		// Deflate.
		for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) G[i * n + j] -= value * vector[i] * vector[j];
	}
	return { positions, variance };
}
