/**
 * A small random conv net standing in for ResNet50 in the optimizer tests (cpu backend, fast):
 * image [1,H,W,3] → a = relu(conv3×3, 8 ch) → b = relu(conv3×3 stride 2, 16 ch) → logits (GAP + dense, 5).
 */
import * as tf from '@tensorflow/tfjs';
import type { Forward } from '../../../src/lib/optvis/optimize';

export interface SmallNet {
	forward: Forward;
	dispose(): void;
}

export function smallNet(seed = 7): SmallNet {
	const k1 = tf.randomNormal([3, 3, 3, 8], 0, 0.5, 'float32', seed) as tf.Tensor4D;
	const k2 = tf.randomNormal([3, 3, 8, 16], 0, 0.3, 'float32', seed + 1) as tf.Tensor4D;
	const w = tf.randomNormal([16, 5], 0, 0.5, 'float32', seed + 2) as tf.Tensor2D;
	const forward: Forward = (image, layers) => {
		const x = tf.sub(image, 0.5) as tf.Tensor4D;
		const a = tf.relu(tf.conv2d(x, k1, 1, 'same')) as tf.Tensor4D;
		const b = tf.relu(tf.conv2d(a, k2, 2, 'same')) as tf.Tensor4D;
		const all: Record<string, tf.Tensor> = { a, b, logits: tf.matMul(tf.mean(b, [1, 2]) as tf.Tensor2D, w) };
		const out: Record<string, tf.Tensor> = {};
		for (const l of layers) out[l] = all[l];
		return out;
	};
	return { forward, dispose: () => tf.dispose([k1, k2, w]) };
}
