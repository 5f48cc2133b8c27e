/**
 * The model-randomization sanity check (Adebayo et al. 2018) as a lab mode: explain the picture with a
 * CAM method, then re-initialize the network from the top down (fc1000, res5c, res5b, … down to the
 * chosen block), one block more at each step, and explain again. The row of maps with their rank
 * correlation to the original shows whether the method explains the network (the maps fall apart) or
 * only the picture (they stay). The weights are restored at the end. The pure part is explain/sanity.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { createCamFor, type CamMethodName } from '../../explain/cam';
import { cascade, resnetCascade } from '../../explain/sanity';
import { batchAt, checkClass, className, classify, mapPictures } from './common';
import type { LabMode, LabPicture, LabProgress, LabResult } from './types';

export interface SanityParams {
	method: Exclude<CamMethodName, 'scorecam'>;
	classIndex: number | null;
	/** The lowest residual block randomized ('res5a' … 'res2a'). */
	lowest: string;
}

/** Maps of a run: the original, fc1000, then the blocks from res5c down to `lowest` (ResNet50 has 16 blocks). */
const BLOCKS = ['res5c', 'res5b', 'res5a', 'res4f', 'res4e', 'res4d', 'res4c', 'res4b', 'res4a', 'res3d', 'res3c', 'res3b', 'res3a', 'res2c', 'res2b', 'res2a'];
const mapsFor = (lowest: string) => 2 + Math.max(0, BLOCKS.indexOf(lowest)) + 1;

export const sanity: LabMode<SanityParams> = {
	id: 'sanity',
	title: 'Sanity check: randomize the model',
	source: 'Adebayo et al., “Sanity Checks for Saliency Maps”, NeurIPS 2018',
	caption:
		'A heat map is only an explanation of the network if it changes when the network changes. Here the network’s layers are replaced by random ones, ' +
		'from the top down, one block more at each step, and the picture is explained again each time. The number under each map is its rank correlation ' +
		'with the original map: near 1 means “still the same map” — then the method shows the picture, not what the network learned.',
	defaults: { method: 'gradcam', classIndex: null, lowest: 'res4f' },
	uses: (p, labels) =>
		`${p.method} for ${p.classIndex == null ? 'the top class' : `class ${className(labels, p.classIndex)}`}; fc1000 then res5c … ${p.lowest} randomized in turn (weights restored afterwards)`,
	units: (p) => mapsFor(p.lowest),
	async *run(ctx, input, p): AsyncGenerator<LabProgress, LabResult> {
		checkClass(p.classIndex, ctx.classifier.labels);
		if (!BLOCKS.includes(p.lowest)) throw new Error(`The lowest block must be one of ${BLOCKS.join(', ')}.`);
		const t0 = performance.now();
		const clf = ctx.classifier;
		const image = batchAt(input, [clf.inputSize, clf.inputSize]);
		const frame = tf.squeeze(image, [0]) as tf.Tensor3D;
		try {
			const c = p.classIndex ?? (await classify(clf, image)).index;
			const cam = createCamFor(clf, p.method, { stage: p.method === 'layercam' ? 'conv4' : 'conv5' });
			const [h, w] = cam.method.name === 'layercam' ? [14, 14] : [7, 7];
			const steps = resnetCascade(clf.model.layers, { lowest: p.lowest });
			const explain = async () => {
				const heat = cam.heatmap(frame, { classIndex: c });
				try {
					return (await heat.data()) as Float32Array;
				} finally {
					heat.dispose();
				}
			};
			const pictures: LabPicture[] = [];
			const facts: LabResult['facts'] = [{ label: 'class', value: className(clf.labels, c) }];
			let done = 0;
			for await (const row of cascade(steps, explain)) {
				ctx.signal.throwIfAborted();
				const map = tf.tensor2d(row.map, [h, w]);
				const [, over] = await mapPictures(row.name === 'original' ? 'original model' : `random down to ${row.name} (ρ ${row.spearman.toFixed(2)})`, map, frame);
				map.dispose();
				pictures.push(over);
				if (row.name !== 'original') facts.push({ label: `rank correlation, random down to ${row.name}`, value: row.spearman.toFixed(2) });
				done++;
				yield { phase: row.name === 'original' ? 'the original map' : `randomized down to ${row.name}`, done, total: steps.length + 1, elapsedMs: performance.now() - t0, preview: over.image };
			}
			const last = facts[facts.length - 1];
			facts.push({
				label: 'verdict',
				value: Number(last.value) < 0.5 ? 'the map changes with the network: it explains the model' : 'the map stays close to the original: it shows the picture more than the model'
			});
			return { pictures, facts, elapsedMs: performance.now() - t0 };
		} finally {
			tf.dispose([image, frame]);
		}
	}
};
