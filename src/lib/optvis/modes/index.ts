/** The lab's modes, in the order the lab lists them. */
import { classviz } from './classviz';
import { deepdream } from './deepdream';
import { fooling } from './fooling';
import { gatys } from './gatys';
import { inversion } from './inversion';
import { occlusion } from './occlusion';
import { saliency } from './saliency';
import { sanity } from './sanity';
import type { LabMode, LabModeId } from './types';

export * from './types';
export type { GatysParams } from './gatys';
export type { DeepDreamParams } from './deepdream';
export type { ClassVizParams } from './classviz';
export type { SaliencyParams, SaliencyMethod } from './saliency';
export type { OcclusionParams } from './occlusion';
export type { InversionParams } from './inversion';
export type { FoolingParams } from './fooling';
export type { SanityParams } from './sanity';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const LAB_MODES: Record<LabModeId, LabMode<any>> = { gatys, deepdream, classviz, saliency, occlusion, inversion, fooling, sanity };
export const LAB_MODE_IDS = Object.keys(LAB_MODES) as LabModeId[];
