/** Conditional instance norm blend math (pure; the tfjs version is one matMul in forward.ts). */

/** Validate and normalize blend weights: length n, finite, >= 0, not all zero; returns weights summing to 1. */
export function normalizeBlend(weights: readonly number[], n: number): number[] {
	if (weights.length !== n) throw new RangeError(`style-net: blend has ${weights.length} weights but the model has ${n} styles`);
	let sum = 0;
	for (const [i, w] of weights.entries()) {
		if (!Number.isFinite(w) || w < 0) throw new RangeError(`style-net: blend weight ${i} is ${w}; weights must be finite and >= 0`);
		sum += w;
	}
	if (sum <= 0) throw new RangeError('style-net: blend weights are all zero; give at least one style a positive weight');
	return weights.map((w) => w / sum);
}

/** One-hot blend for style index i of n. */
export function oneHot(i: number, n: number): number[] {
	if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`style-net: style index ${i} out of range 0..${n - 1}`);
	return Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));
}
