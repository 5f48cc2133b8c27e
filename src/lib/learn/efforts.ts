/**
 * The learner's effort presets: content size, steps, batch and Adam's step size. The expected time of
 * each is measured on the device before a run starts (a short warm-up; see docs/learn.md for the times
 * on the 2-core test machine). One photo a step: on wasm two photos took 2.8× one (docs/learn.md), so
 * more steps of one photo each learn more per minute.
 */
export type EffortId = 'quick' | 'good' | 'best';

export interface Effort {
	id: EffortId;
	label: string;
	/** Side of the square content crops, px (a multiple of the network's padToMultiple, 8). */
	size: number;
	steps: number;
	batch: number;
	lr: number;
}

export const EFFORTS: Readonly<Record<EffortId, Effort>> = {
	quick: { id: 'quick', label: 'Quick', size: 128, steps: 60, batch: 1, lr: 0.02 },
	good: { id: 'good', label: 'Good', size: 128, steps: 200, batch: 1, lr: 0.01 },
	best: { id: 'best', label: 'Best', size: 160, steps: 500, batch: 1, lr: 0.01 }
};

export const EFFORT_IDS = Object.keys(EFFORTS) as EffortId[];

/** A preview of the fixed photo every this many steps. */
export const PREVIEW_EVERY = 10;
