import * as tf from '@tensorflow/tfjs';
import { load } from '../models/classifier';
import { CAM_METHODS, createCam } from '../explain/cam';
import { channelGrid } from '../explain/activations';
import { time, type Timing } from './timing';

export interface ExplainBench {
	size: string;
	classify: Timing;
	classifyPlusGradcam: Timing;
	gradcamOverheadPct: number;
	classifyPlusActivations: Timing;
	methods: Record<string, Timing>;
}

/**
 * ResNet50 at 224²: plain classification (logits), Grad-CAM on the last stage (same forward plus the
 * gradient through the head), activations of conv3 as a channel grid, and each CAM method.
 */
export async function benchExplain(opts: { runs: number; log: (s: string) => void }): Promise<ExplainBench> {
	const clf = await load({});
	const frame = tf.randomUniform([224, 224, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
	try {
		const classify = await time(() => clf.logits(frame), opts.runs);
		opts.log(`classify 224²: ${classify.medianMs.toFixed(1)} ms`);
		const gradcam = createCam(clf, CAM_METHODS.gradcam, { stage: 'conv5' });
		// The studio's path: one forward gives the logits (top-5) and the heat map.
		const classifyPlusGradcam = await time(() => gradcam.heatmap(frame), opts.runs);
		const overhead = (classifyPlusGradcam.medianMs / classify.medianMs - 1) * 100;
		opts.log(`classify + Grad-CAM: ${classifyPlusGradcam.medianMs.toFixed(1)} ms (+${overhead.toFixed(1)} %)`);
		const classifyPlusActivations = await time(
			() => {
				const { logits, taps } = clf.forward(frame);
				const act = taps.conv3!;
				for (const [k, t] of Object.entries(taps)) if (k !== 'conv3') t?.dispose();
				logits.dispose();
				return act; // the forward with the stage taps is what the activation view adds

			},
			opts.runs
		);
		opts.log(`classify + conv3 activations: ${classifyPlusActivations.medianMs.toFixed(1)} ms`);
		// One full grid call, to be sure it works at this size (not timed separately).
		const { logits, taps } = clf.forward(frame);
		const g = await channelGrid(taps.conv3!, { pageSize: 16 });
		tf.dispose([logits, ...Object.values(taps).filter((t): t is tf.Tensor4D => t != null), g.grid]);

		const methods: Record<string, Timing> = {};
		for (const [name, method] of Object.entries(CAM_METHODS)) {
			const cam = createCam(clf, method, { stage: name === 'layercam' ? 'conv4' : 'conv5' });
			methods[name] = await time(() => cam.heatmap(frame), name === 'scorecam' ? Math.max(2, Math.ceil(opts.runs / 3)) : opts.runs);
			opts.log(`${name}: ${methods[name].medianMs.toFixed(1)} ms`);
			cam.dispose();
		}
		gradcam.dispose();
		return { size: '224×224', classify, classifyPlusGradcam, gradcamOverheadPct: overhead, classifyPlusActivations, methods };
	} finally {
		frame.dispose();
		clf.dispose();
	}
}
