/** Helpers the lab modes share: the network as the optimizer sees it, sizes, pictures, classes. */
import * as tf from '@tensorflow/tfjs';
import { caffeInput } from '../../models/classifier/preprocess';
import { topKFromProbs } from '../../models/classifier/topk';
import type { Classifier, ReluRule } from '../../models/classifier';
import { colorize, overlay } from '../../render/colormap';
import { tensorToPixels } from '../../render/pixel-tensors';
import type { Forward } from '../optimize';
import type { LabPicture } from './types';

export { className, fitLong } from '../catalogue/types';

/** classifier.net as the optimizer's Forward: an RGB [0,1] image → the requested outputs. */
export function forwardOf(clf: Classifier, relu: ReluRule = 'plain'): Forward {
	return (image, layers) => clf.net({ outputs: layers, relu })(caffeInput(image));
}

/** [H, W, 3] → [1, h, w, 3] resized (bilinear). */
export function batchAt(image: tf.Tensor3D, size: readonly [number, number]): tf.Tensor4D {
	return tf.tidy(() => tf.expandDims(tf.image.resizeBilinear(image, [size[0], size[1]], false, true), 0) as tf.Tensor4D);
}

export async function picture(label: string, image: tf.Tensor3D | tf.Tensor4D): Promise<LabPicture> {
	const img = tf.tidy(() => tf.clipByValue(image.rank === 4 ? tf.squeeze(image, [0]) : image, 0, 1) as tf.Tensor3D);
	try {
		return { label, image: await tensorToPixels(img) };
	} finally {
		img.dispose();
	}
}

/** A map [h, w] (any range ≥ 0) as a coloured picture, and laid over `frame`. */
export async function mapPictures(label: string, map: tf.Tensor2D, frame: tf.Tensor3D): Promise<LabPicture[]> {
	const [heat, over] = tf.tidy(() => {
		const norm = tf.div(map, tf.maximum(tf.max(map), 1e-12)) as tf.Tensor2D;
		const [H, W] = frame.shape;
		const big = tf.squeeze(tf.image.resizeBilinear(tf.expandDims(norm, -1) as tf.Tensor3D, [H, W], false, true), [2]) as tf.Tensor2D;
		return [colorize(big, 'inferno'), overlay(frame, norm, { opacity: 0.6, colormap: 'jet', heatAlpha: true })];
	});
	try {
		return [await picture(label, heat), await picture(`${label} over the image`, over)];
	} finally {
		tf.dispose([heat, over]);
	}
}

/** Top-1 class of a [1,h,w,3] RGB image, with its probability, and p(c) for extra classes. */
export async function classify(clf: Classifier, image: tf.Tensor4D, extra: number[] = []): Promise<{ index: number; prob: number; label: string; probs: number[] }> {
	const probs = tf.tidy(() => tf.squeeze(tf.softmax(clf.net({ outputs: ['logits'] })(caffeInput(image)).logits), [0]));
	try {
		const p = await probs.data();
		const [top] = topKFromProbs(p, clf.labels, 1);
		return { ...top, probs: extra.map((c) => p[c]) };
	} finally {
		probs.dispose();
	}
}

export const pct = (p: number) => `${(100 * p).toFixed(1)} %`;

export function checkClass(c: number | null | undefined, labels: readonly string[]): void {
	if (c == null) return;
	if (!Number.isInteger(c) || c < 0 || c >= labels.length) throw new Error(`class ${c} is not one of the ${labels.length} ImageNet classes (0–${labels.length - 1})`);
}
