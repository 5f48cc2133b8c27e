/** The lab's modes with the code that runs them (the lab worker's side; the page reads optvis/catalogue). */
import { classviz } from './classviz';
import { deepdream } from './deepdream';
import { fooling } from './fooling';
import { gatys } from './gatys';
import { inversion } from './inversion';
import { occlusion } from './occlusion';
import { saliency } from './saliency';
import { sanity } from './sanity';
import type { LabMode, LabModeId, LabParams } from './types';

export * from './types';
export type { GatysParams } from './gatys';
export type { DeepDreamParams } from './deepdream';
export type { ClassVizParams } from './classviz';
export type { SaliencyParams, SaliencyMethod } from './saliency';
export type { OcclusionParams } from './occlusion';
export type { InversionParams } from './inversion';
export type { FoolingParams } from './fooling';
export type { SanityParams } from './sanity';

export type LabModes = { readonly [K in LabModeId]: LabMode<LabParams[K]> };

export const LAB_MODES: LabModes = { gatys, deepdream, classviz, saliency, occlusion, inversion, fooling, sanity };
export const LAB_MODE_IDS = Object.keys(LAB_MODES) as LabModeId[];
