/**
 * The model-randomization sanity check (Adebayo et al. 2018) as a lab mode: explain the picture with a
 * CAM method, then re-initialize the network from the top down (fc1000, res5c, res5b, … down to the
 * chosen block), one block more at each step, and explain again. The row of maps with their rank
 * correlation to the original shows whether the method explains the network (the maps fall apart) or
 * only the picture (they stay). The weights are restored at the end. The pure part is explain/sanity.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { createCamFor } from '../../explain/cam';
import { cascade, resnetCascade } from '../../explain/sanity';
import { batchAt, checkClass, className, classify, mapPictures } from './common';
import { SANITY_BLOCKS, sanityInfo, type SanityParams } from '../catalogue/sanity';
import type { LabMode, LabPicture, LabProgress, LabResult } from './types';

export type { SanityParams };

export const sanity: LabMode<SanityParams> = {
	...sanityInfo,
	async *run(ctx, input, p): AsyncGenerator<LabProgress, LabResult> {
		checkClass(p.classIndex, ctx.classifier.labels);
		if (!SANITY_BLOCKS.includes(p.lowest)) throw new Error(`The lowest block must be one of ${SANITY_BLOCKS.join(', ')}.`);
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
