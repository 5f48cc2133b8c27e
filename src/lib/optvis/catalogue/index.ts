/**
 * The lab's modes as plain data, in the order the lab lists them, and the checks every run passes
 * before it starts: each number within its field's bounds, each class a class, the memory a run needs
 * within LAB_MEMORY_LIMIT_BYTES. Pure: the /lab page and the lab worker both check with it.
 */
import { classvizInfo } from './classviz';
import { deepdreamInfo } from './deepdream';
import { foolingInfo } from './fooling';
import { gatysInfo } from './gatys';
import { inversionInfo } from './inversion';
import { occlusionInfo } from './occlusion';
import { saliencyInfo } from './saliency';
import { sanityInfo } from './sanity';
import type { InputSize, LabModeId, LabParams, ModeInfo, RunCost, RunPhase } from './types';

export * from './types';
export type { GatysParams } from './gatys';
export type { DeepDreamParams } from './deepdream';
export type { ClassVizParams } from './classviz';
export type { SaliencyParams, SaliencyMethod } from './saliency';
export type { OcclusionParams, OcclusionFill } from './occlusion';
export type { InversionParams } from './inversion';
export type { FoolingParams } from './fooling';
export type { SanityParams } from './sanity';

export type LabCatalogue = { readonly [K in LabModeId]: ModeInfo<LabParams[K]> };

export const LAB_CATALOGUE: LabCatalogue = {
	gatys: gatysInfo,
	deepdream: deepdreamInfo,
	classviz: classvizInfo,
	saliency: saliencyInfo,
	occlusion: occlusionInfo,
	inversion: inversionInfo,
	fooling: foolingInfo,
	sanity: sanityInfo
};
export const LAB_MODE_IDS = Object.keys(LAB_CATALOGUE) as LabModeId[];

/** Every mode's defaults (a fresh copy). */
export function labDefaults(): LabParams {
	return JSON.parse(JSON.stringify(Object.fromEntries(LAB_MODE_IDS.map((id) => [id, LAB_CATALOGUE[id].defaults])))) as LabParams;
}

/**
 * The most memory a run may need (tensors of the forward pass kept for the backward one, and the
 * images), stated so a run that would exhaust the backend (a wasm "memory access out of bounds", an
 * out-of-memory on the GPU) is refused before it starts. Every default run needs far less (see the test).
 */
export const LAB_MEMORY_LIMIT_BYTES = 1536 * 2 ** 20;
/**
 * Bytes per input pixel the network holds: ResNet50's activations at all depths add up to ≈ 300 floats per
 * input pixel (conv1 at ½ resolution with 64 channels: 16; stage 2 at ¼ with 256: 16 per output … and
 * the ReLU and Add outputs beside each), kept for the backward pass and matched by their gradients.
 */
export const BYTES_PER_GRADIENT_PIXEL = 300 * 4 * 2;
/** Forward only (tidy frees each layer's input after it): a few layers alive at once. */
export const BYTES_PER_FORWARD_PIXEL = 100 * 4;

export function memoryNeedBytes(cost: RunCost): number {
	return cost.gradientPixels * BYTES_PER_GRADIENT_PIXEL + cost.forwardPixels * BYTES_PER_FORWARD_PIXEL;
}

const mib = (b: number) => `${Math.round(b / 2 ** 20)} MB`;

/**
 * Problems with a run's parameters, by field (the form shows each beside its field); '' for the run as a
 * whole (memory). Empty when the run may start.
 */
export function checkParams<K extends LabModeId>(mode: K, params: LabParams[K], input: InputSize, labels: number): Record<string, string> {
	const info = LAB_CATALOGUE[mode] as ModeInfo<LabParams[K]>;
	const problems: Record<string, string> = {};
	const values = params as unknown as Record<string, unknown>;
	for (const f of info.fields) {
		const v = values[f.key];
		if (f.kind === 'number') {
			if (typeof v !== 'number' || !Number.isFinite(v)) problems[f.key] = 'not a number';
			else if (v < f.min) problems[f.key] = `${v} is less than ${f.min}, the least this field takes`;
			else if (v > f.max) problems[f.key] = `${v} is more than ${f.max}, the most this field takes`;
			else if (f.integer && !Number.isInteger(v)) problems[f.key] = `${v} is not a whole number`;
		} else if (f.kind === 'class') {
			if (v == null && f.optional) continue;
			if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || (labels > 0 && v >= labels)) problems[f.key] = `not one of the ${labels || 1000} classes (0–${(labels || 1000) - 1})`;
		} else if (f.kind === 'select') {
			if (!f.options.some((o) => o.value === v)) problems[f.key] = `should be ${f.options.map((o) => o.value).join(', ')}`;
		}
	}
	if (Object.keys(problems).length === 0) {
		const need = memoryNeedBytes(info.cost(params, input));
		if (need > LAB_MEMORY_LIMIT_BYTES) problems[''] = `this run would need about ${mib(need)} of memory, more than the lab's limit of ${mib(LAB_MEMORY_LIMIT_BYTES)}: make the picture smaller`;
	}
	return problems;
}

/** The first problem as one sentence, or null (the worker refuses a run with it). */
export function paramsRefusal<K extends LabModeId>(mode: K, params: LabParams[K], input: InputSize, labels: number): string | null {
	const problems = checkParams(mode, params, input, labels);
	const [key, text] = Object.entries(problems)[0] ?? [];
	if (text === undefined) return null;
	const field = LAB_CATALOGUE[mode].fields.find((f) => f.key === key);
	return field ? `${field.label}: ${text}` : text;
}

/** The phases of a run (one, the whole run, for a mode without phases). */
export function runPhases<K extends LabModeId>(mode: K, params: LabParams[K], input: InputSize): RunPhase<LabParams[K]>[] {
	const info = LAB_CATALOGUE[mode] as ModeInfo<LabParams[K]>;
	return info.phases?.(params, input) ?? [{ params: {}, units: info.units(params) }];
}

/** A warm-up of one phase: time per step after the first, the first step (setup and compile), the phase's steps. */
export interface PhaseTiming {
	units: number;
	msPerUnit: number;
	firstUnitMs: number;
}

/**
 * Expected time of a whole run from its phases' warm-ups: each phase's steps at its own measured time
 * per step (a larger octave, a deeper layer), plus its first step's setup and compile.
 */
export function expectedRunMs(phases: readonly PhaseTiming[]): number {
	return phases.reduce((ms, p) => ms + p.units * p.msPerUnit + Math.max(0, p.firstUnitMs - p.msPerUnit), 0);
}
