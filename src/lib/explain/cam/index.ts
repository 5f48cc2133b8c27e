/**
 * Class activation maps over one shared base (base.ts). Each method file only computes channel weights.
 *
 *   const cam = createCamFor(classifier, 'gradcam');              // conv5 by default
 *   const { heatmap, label } = await cam.explain(frame);          // heatmap [7,7] in [0,1]; dispose it
 *   const heat = cam.heatmap(frame, { classIndex: 22 });          // sync, for the live chain
 */
import { createCam, type Cam } from './base';
import { gradcam } from './gradcam';
import { gradcamPlusPlus } from './gradcam-plus-plus';
import { hirescam } from './hirescam';
import { eigencam } from './eigencam';
import { layercam } from './layercam';
import { scorecam } from './scorecam';
import type { CamConfig, CamMethod, CamMethodName, CamModel } from './types';
import type { StageName } from '../../models/classifier/types';

export * from './types';
export { createCam, type Cam } from './base';
export { gradcam, gradcamPlusPlus, hirescam, layercam, scorecam, eigencam };
export { firstComponent } from './principal';

export const CAM_METHODS: Record<CamMethodName, CamMethod> = {
	gradcam,
	'gradcam++': gradcamPlusPlus,
	hirescam,
	layercam,
	scorecam,
	eigencam
};

/** Convenience: a CAM by method name. */
export function createCamFor(
	model: CamModel & { readonly taps?: readonly StageName[] },
	method: CamMethodName,
	config: Omit<CamConfig, 'method'> = {}
): Cam {
	return createCam(model, CAM_METHODS[method], config);
}
