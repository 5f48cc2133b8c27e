/**
 * The kiosk's cycle: a list of stops (one style, or a blend of styles), each shown for `periodMs`,
 * the last `fadeMs` of which cross-fade into the next stop. A cross-fade is an animated blend: the
 * weights over all styles are (1 − m)·current + m·next with m eased from 0 to 1, so they always sum
 * to 1 and the style network takes them as they are. Pure: time in, weights out.
 */
export interface Stop {
	/** For people: a painting's title, or "A + B" for a blend. */
	label: string;
	/** One weight per style of the network, summing to 1. */
	weights: number[];
}

export interface CycleTiming {
	/** How long each stop lasts, its cross-fade included (ms, > 0). */
	periodMs: number;
	/** The cross-fade at the end of each stop (ms, 0 ≤ fade ≤ period). */
	fadeMs: number;
}

export interface CycleState {
	/** The stop being shown (or faded out of). */
	index: number;
	/** The stop being faded into (equals `index` outside a fade). */
	next: number;
	/** How far the fade has got: 0 = all `index`, 1 = all `next`. */
	mix: number;
	weights: number[];
	/** The label of the stop that dominates now. */
	label: string;
}

/** Smoothstep: 0 → 0, 1 → 1, monotone, flat at both ends (the fade starts and lands gently). */
export function ease(u: number): number {
	const x = Math.min(1, Math.max(0, u));
	return x * x * (3 - 2 * x);
}

/** Where the cycle is `elapsedMs` after it started. */
export function cycleAt(stops: readonly Stop[], timing: CycleTiming, elapsedMs: number): CycleState {
	if (stops.length === 0) throw new RangeError('the kiosk cycle needs at least one stop');
	const { periodMs, fadeMs } = timing;
	if (!(periodMs > 0) || !(fadeMs >= 0) || fadeMs > periodMs) throw new RangeError(`bad cycle timing: period ${periodMs} ms, fade ${fadeMs} ms`);
	const t = Math.max(0, elapsedMs);
	const index = Math.floor(t / periodMs) % stops.length;
	const phase = t % periodMs;
	const fadeStart = periodMs - fadeMs;
	const next = (index + 1) % stops.length;
	if (stops.length === 1 || phase < fadeStart || fadeMs === 0) {
		return { index, next: index, mix: 0, weights: [...stops[index].weights], label: stops[index].label };
	}
	const mix = ease((phase - fadeStart) / fadeMs);
	return { index, next, mix, weights: mixWeights(stops[index].weights, stops[next].weights, mix), label: stops[mix < 0.5 ? index : next].label };
}

/** (1 − m)·a + m·b, element-wise. */
export function mixWeights(a: readonly number[], b: readonly number[], m: number): number[] {
	if (a.length !== b.length) throw new RangeError(`cannot mix blends of ${a.length} and ${b.length} styles`);
	return a.map((x, i) => (1 - m) * x + m * b[i]);
}
