/**
 * The burst's schedule (pure): shot k is due at start + k·every. A slow shot does not cause a run of
 * catch-up shots: the next one is the first slot not yet in the past (latest wins, like the live loop).
 */
export interface BurstPlan {
	everyMs: number;
	count: number;
	startedAt: number;
}

export interface BurstStep {
	/** The burst has all its shots. */
	done: boolean;
	/** Wait this long before the next shot (0: shoot now). */
	waitMs: number;
	/** Slot index of the next shot. */
	slot: number;
}

/**
 * What to do at `now`, with `taken` shots done, the last of them in slot `lastSlot` (−1 before the first).
 */
export function nextShot(plan: BurstPlan, taken: number, lastSlot: number, now: number): BurstStep {
	if (taken >= plan.count) return { done: true, waitMs: 0, slot: lastSlot };
	// The newest slot whose time has come, or the next one; never one already shot.
	const slot = Math.max(lastSlot + 1, Math.floor((now - plan.startedAt) / plan.everyMs));
	return { done: false, waitMs: Math.max(0, plan.startedAt + slot * plan.everyMs - now), slot };
}

/** Checks a burst's settings; a message for the person when they do not make sense. */
export function checkBurst(everySeconds: number, count: number): string | null {
	if (!(everySeconds >= 0.2 && everySeconds <= 600)) return 'Take a frame every 0.2 to 600 seconds.';
	if (!(Number.isInteger(count) && count >= 1 && count <= 500)) return 'A burst takes 1 to 500 frames.';
	return null;
}
