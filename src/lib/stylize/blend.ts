/**
 * Blend weights over N styles: non-negative, summing to 1. Pure helpers for sliders and the blend pad
 * (the model's own validation and one-hot live in models/style-net/blend.ts).
 */
export type Weights = number[];

/** Clamps to ≥ 0 and divides by the sum. All zeros (or NaN) → null: the caller keeps its last blend. */
export function normalize(weights: readonly number[]): Weights | null {
	const w = weights.map((x) => (Number.isFinite(x) && x > 0 ? x : 0));
	const sum = w.reduce((a, b) => a + b, 0);
	return sum > 0 ? w.map((x) => x / sum) : null;
}

/**
 * Sets style `index` to `value` (0..1) and scales the others so the total stays 1, keeping their
 * proportions (a slider that "pushes" the rest). When the rest are all zero they share equally.
 */
export function setWeight(weights: readonly number[], index: number, value: number): Weights {
	const v = Math.min(1, Math.max(0, value));
	const rest = weights.reduce((a, b, i) => (i === index ? a : a + Math.max(0, b)), 0);
	const others = weights.length - 1;
	return weights.map((w, i) => {
		if (i === index) return v;
		if (others === 0) return 0;
		return rest > 0 ? (Math.max(0, w) / rest) * (1 - v) : (1 - v) / others;
	});
}

/**
 * Weights from a point (x, y) in the unit square for 2–4 styles at the pad's corners:
 * 2 styles: left ↔ right (x only); 3: a triangle's barycentric weights (top-left, top-right, bottom
 * centre); 4: bilinear over the corners top-left, top-right, bottom-left, bottom-right.
 */
export function padWeights(count: 2 | 3 | 4, x: number, y: number): Weights {
	const cx = Math.min(1, Math.max(0, x));
	const cy = Math.min(1, Math.max(0, y));
	if (count === 2) return [1 - cx, cx];
	if (count === 4) return [(1 - cx) * (1 - cy), cx * (1 - cy), (1 - cx) * cy, cx * cy];
	// Triangle A(0,0) B(1,0) C(0.5,1): barycentric, clamped to the triangle.
	const c = cy;
	const b = cx - 0.5 * cy;
	const a = 1 - b - c;
	return normalize([Math.max(0, a), Math.max(0, b), Math.max(0, c)]) ?? [1, 0, 0];
}

/** Where each corner sits on the pad (for drawing it). */
export function padCorners(count: 2 | 3 | 4): { x: number; y: number }[] {
	if (count === 2) return [{ x: 0, y: 0.5 }, { x: 1, y: 0.5 }];
	if (count === 3) return [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0.5, y: 1 }];
	return [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0, y: 1 }, { x: 1, y: 1 }];
}

/** Expands weights over the pad's chosen styles into weights over all N styles. */
export function expand(n: number, chosen: readonly number[], local: readonly number[]): Weights {
	const w = new Array(n).fill(0);
	chosen.forEach((styleIndex, k) => (w[styleIndex] += local[k] ?? 0));
	return w;
}

/** What a blend keeps when the style list changes (learned styles saved or deleted elsewhere). */
export interface CarriedBlend {
	/** The weights over the new list, normalized; null when every weighted style is gone. */
	weights: Weights | null;
	/** The selected style's new index (0 when it is gone). */
	selected: number;
	/** The blend pad's styles still there (the first four when fewer than two are left). */
	padStyles: number[];
	/** Old indices of the styles that had weight and are gone. */
	lost: number[];
}

/**
 * Carries a blend over from the style list `fromIds` to `toIds`: each weight, the selected style and the
 * pad's styles follow their ids; a style no longer there loses its weight. With no list before (the first
 * load) the indices are kept as they are.
 */
export function carryBlend(fromIds: readonly string[], toIds: readonly string[], blend: { weights: readonly number[]; selected: number; padStyles: readonly number[] }): CarriedBlend {
	const n = toIds.length;
	const where = new Map(toIds.map((id, j) => [id, j]));
	const to = (i: number): number => (fromIds.length ? (where.get(fromIds[i]) ?? -1) : i < n ? i : -1);
	const w = new Array<number>(n).fill(0);
	const lost: number[] = [];
	blend.weights.forEach((x, i) => {
		const j = to(i);
		if (j >= 0) w[j] += x;
		else if (x > 0) lost.push(i);
	});
	const selected = Math.max(0, to(blend.selected));
	let padStyles = blend.padStyles.map(to).filter((j) => j >= 0);
	if (padStyles.length < 2) padStyles = [0, 1, 2, 3].filter((i) => i < n);
	return { weights: normalize(w), selected, padStyles, lost };
}
