/**
 * The style network's forward pass as it was before the fused rewrite (tf.moments per instance norm,
 * then subtract, scale, γ and β as separate element passes; a mirror pad before every convolution and
 * after every upsampling). Used only by tests (the parity of forward.ts with it) and by
 * `node bench/profile-net.mjs --reference` (the before/after numbers). Not shipped.
 */
import * as tf from '@tensorflow/tfjs';
import type { StyleNetParams } from '../../../src/lib/models/style-net/forward';
import type { StyleNetManifest } from '../../../src/lib/models/style-net/types';

function reflectPad(x: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
	if (!top && !bottom && !left && !right) return x;
	return tf.mirrorPad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], 'reflect');
}

/** Run the op program on x [1, H, W, 3] with blend weights [1, nStyles] (normalized). Inside tf.tidy. */
export function referenceForward(manifest: StyleNetManifest, p: StyleNetParams, x: tf.Tensor4D, blend: tf.Tensor2D): tf.Tensor4D {
	const [, H, W] = x.shape;
	const m = manifest.input.padToMultiple;
	let h: tf.Tensor4D = reflectPad(x, 0, (m - (H % m)) % m, 0, (m - (W % m)) % m);
	const table = tf.tensor2d(p.cinTable, [manifest.styles.length, p.cinWidth]);
	const cin = tf.matMul(blend, table); // [1, width]: blended gamma/beta of every cin op
	const slots = new Map<string, tf.Tensor4D>();
	for (const o of manifest.ops) {
		switch (o.op) {
			case 'conv': {
				h = reflectPad(h, o.pad, o.pad, o.pad, o.pad);
				const k = p.kernels.get(o.name)!;
				h = o.depthwise ? tf.depthwiseConv2d(h, k, o.stride, 'valid') : tf.conv2d(h, k, o.stride, 'valid');
				const b = p.biases.get(o.name);
				if (b) h = tf.add(h, b);
				break;
			}
			case 'cin': {
				const off = p.cinOffsets.get(o.name)!;
				const gamma = tf.reshape(tf.slice(cin, [0, off], [1, o.channels]), [1, 1, 1, o.channels]);
				const beta = tf.reshape(tf.slice(cin, [0, off + o.channels], [1, o.channels]), [1, 1, 1, o.channels]);
				const { mean, variance } = tf.moments(h, [1, 2], true);
				const normed = tf.mul(tf.sub(h, mean), tf.rsqrt(tf.add(variance, o.eps)));
				h = tf.add(tf.mul(normed, gamma), beta);
				break;
			}
			case 'relu':
				h = tf.relu(h);
				break;
			case 'sigmoid':
				h = tf.sigmoid(h);
				break;
			case 'upsample': {
				const [, hh, ww] = h.shape;
				h = tf.image.resizeNearestNeighbor(h, [hh * o.factor, ww * o.factor], false, false);
				break;
			}
			case 'save':
				slots.set(o.slot, h);
				break;
			case 'add':
				h = tf.add(h, slots.get(o.slot)!);
				slots.delete(o.slot);
				break;
		}
	}
	if (h.shape[1] !== H || h.shape[2] !== W) h = tf.slice(h, [0, 0, 0, 0], [1, H, W, h.shape[3]]);
	return h;
}
