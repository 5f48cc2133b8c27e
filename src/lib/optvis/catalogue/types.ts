/**
 * The lab's catalogue, as plain data: what each mode is (title, paper, caption), its parameters with
 * their typed bounds and defaults, what it uses, how much work and memory a run needs. No tfjs: the
 * /lab page reads only this; the code that runs is in optvis/modes (the lab worker's side).
 */
import type { PixelImage } from '../../render/pixels';
import type { ClassVizParams } from './classviz';
import type { DeepDreamParams } from './deepdream';
import type { FoolingParams } from './fooling';
import type { GatysParams } from './gatys';
import type { InversionParams } from './inversion';
import type { OcclusionParams } from './occlusion';
import type { SaliencyParams } from './saliency';
import type { SanityParams } from './sanity';

export type LabModeId = 'gatys' | 'deepdream' | 'classviz' | 'saliency' | 'occlusion' | 'inversion' | 'fooling' | 'sanity';

/** Each mode's parameters, by mode. */
export interface LabParams {
	gatys: GatysParams;
	deepdream: DeepDreamParams;
	classviz: ClassVizParams;
	saliency: SaliencyParams;
	occlusion: OcclusionParams;
	inversion: InversionParams;
	fooling: FoolingParams;
	sanity: SanityParams;
}

export interface LabProgress {
	/** What is being done, in words ("octave 2 of 3", "patch 40 of 169", "stage conv3"). */
	phase: string;
	/** Work units done and in all (steps, patches, samples) for the progress bar and the ETA. */
	done: number;
	total: number;
	loss?: number;
	elapsedMs: number;
	preview?: PixelImage;
}

export interface LabPicture {
	label: string;
	image: PixelImage;
}

export interface LabResult {
	/** The main result first (what "download" and "use as input" take), then any others. */
	pictures: LabPicture[];
	/** Numbers to show beside them: confidences, L∞, score drops … */
	facts: { label: string; value: string }[];
	elapsedMs: number;
	/** Filled by the lab worker: time per work unit after the first (which compiles kernels). */
	timing?: { units: number; msPerUnit: number; firstUnitMs: number };
}

/** Keys of P whose values are numbers (or null). */
type NumberKey<P> = { [K in keyof P]-?: P[K] extends number | null | undefined ? K : never }[keyof P] & string;
type StringKey<P> = { [K in keyof P]-?: P[K] extends string ? K : never }[keyof P] & string;

/** One field of a mode's form, with the bounds a run is checked against. */
export type Field<P> =
	| { key: NumberKey<P>; label: string; kind: 'number'; min: number; max: number; step: number; integer?: boolean; hint?: string }
	| { key: StringKey<P>; label: string; kind: 'select'; options: { value: string; label: string }[]; hint?: string }
	| { key: NumberKey<P>; label: string; kind: 'class'; optional?: boolean; hint?: string }
	| { key: StringKey<P>; label: string; kind: 'layer'; withAll?: boolean; hint?: string }
	| { key: keyof P & string; label: string; kind: 'paintings'; hint?: string };

/** The picture a run starts from (its size decides the work and the memory). */
export interface InputSize {
	width: number;
	height: number;
}

/** What a run needs in memory, before it starts. */
export interface RunCost {
	/** Pixels of the largest image the network takes with gradients (backward pass kept). */
	gradientPixels: number;
	/** Pixels the network takes forward only, at once (a batch counts each image). */
	forwardPixels: number;
}

/**
 * One phase of a run with its own shapes or depth (a DeepDream octave, an inverted layer): the
 * parameters of a run of that phase alone, and its work units. "Estimate time" warms up each phase.
 */
export interface RunPhase<P> {
	params: Partial<P>;
	units: number;
}

export interface ModeInfo<P> {
	readonly id: LabModeId;
	readonly title: string;
	/** The paper(s) it comes from. */
	readonly source: string;
	/** One paragraph for students: what it shows. */
	readonly caption: string;
	readonly defaults: P;
	/** The form: every parameter a person can change, with its bounds. */
	readonly fields: readonly Field<P>[];
	/** The layer(s) and class it uses, in words (shown before running). */
	uses(params: P, labels: readonly string[]): string;
	/** Work units of a run with these parameters (the progress bar's total). */
	units(params: P): number;
	/** Memory a run on this input needs. */
	cost(params: P, input: InputSize): RunCost;
	/** The phases of a run, when they differ in size or depth (default: one, the whole run). */
	phases?(params: P, input: InputSize): RunPhase<P>[];
}

export const opts = (...vs: [string, string][]) => vs.map(([value, label]) => ({ value, label }));

/** Size with the long side `long` (multiple of 8, at least 32), aspect kept: [h, w]. */
export function fitLong(h: number, w: number, long: number): [number, number] {
	const s = long / Math.max(h, w);
	const r = (v: number) => Math.max(32, Math.round((v * s) / 8) * 8);
	return [r(h), r(w)];
}

/** The network's input side (ResNet50). */
export const NET_SIDE = 224;

export const className = (labels: readonly string[], c: number) => `${labels[c] ?? 'class'} (${c})`;

/** A run at one size with gradients. */
export function gradientCost(size: readonly [number, number]): RunCost {
	return { gradientPixels: size[0] * size[1], forwardPixels: 0 };
}
