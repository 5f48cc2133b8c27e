/**
 * What the gallery knows about a picture, from ONE forward pass of ResNet50: the penultimate features
 * (2048-d, for neighbours and the map), the top-1 class (the map's colours), and a 32 × 32 copy of the
 * picture (pixel space: 7 × 7 average pooling of the 224² input). And, per layer, every channel's
 * strongest response (patches.ts). Each call is one tidy; what is read back is plain data.
 */
import * as tf from '@tensorflow/tfjs';
import type { Classifier } from '../models/classifier';
import { channelMaxima, type ChannelMaxima } from './patches';
import type { Top1 } from './feature-cache';

export interface PictureFeatures {
	pooled: Float32Array;
	tiny: Float32Array;
	top1: Top1;
}

/** Side of the pixel-space vectors. */
export const TINY_SIDE = 32;

/** Features of one frame [H, W, 3] RGB in [0, 1] (any size: squashed to 224², like every view of the studio). */
export async function pictureFeatures(clf: Classifier, frame: tf.Tensor3D): Promise<PictureFeatures> {
	const size = clf.inputSize;
	const net = clf.net({ outputs: ['pooled', 'logits'] });
	const [pooled, tiny, probs] = tf.tidy(() => {
		const rgb = frame.shape[0] === size && frame.shape[1] === size ? frame : tf.image.resizeBilinear(frame, [size, size], false, true);
		const out = net(clf.preprocess(rgb));
		const k = size / TINY_SIDE;
		return [tf.reshape(out.pooled, [-1]), tf.reshape(tf.avgPool(rgb as tf.Tensor3D, k, k, 'valid'), [-1]), tf.reshape(tf.softmax(out.logits), [-1])];
	});
	try {
		const [p, t, pr] = await Promise.all([pooled.data(), tiny.data(), probs.data()]);
		let best = 0;
		for (let i = 1; i < pr.length; i++) if (pr[i] > pr[best]) best = i;
		return { pooled: Float32Array.from(p), tiny: Float32Array.from(t), top1: { index: best, label: clf.labels[best] ?? String(best), prob: pr[best] } };
	} finally {
		tf.dispose([pooled, tiny, probs]);
	}
}

/** Every channel's strongest response at `layer` (a stage, a block or a Keras layer name) and where it is. */
export async function layerMaxima(clf: Classifier, layer: string, frame: tf.Tensor3D, id: string): Promise<ChannelMaxima> {
	const net = clf.net({ outputs: [layer] });
	const act = tf.tidy(() => net(clf.preprocess(frame))[layer] as tf.Tensor4D);
	try {
		return await channelMaxima(id, act);
	} finally {
		act.dispose();
	}
}
