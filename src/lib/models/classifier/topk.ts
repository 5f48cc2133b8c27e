import type { Prediction } from './types';

/** Top-k of a probability vector, as plain data (highest first). */
export function topKFromProbs(probs: ArrayLike<number>, labels: readonly string[], k: number): Prediction[] {
	const idx = Array.from({ length: probs.length }, (_, i) => i);
	idx.sort((a, b) => probs[b] - probs[a]);
	return idx.slice(0, k).map((index) => ({ index, label: labels[index] ?? `class ${index}`, prob: probs[index] }));
}
