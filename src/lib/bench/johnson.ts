import * as tf from '@tensorflow/tfjs';

/**
 * The Johnson et al. 2016 transformer (32/64/128 channels, 9×9 in/out convs, 5 residual blocks of two
 * 3×3 convs, two stride-2 transposed up-convs, instance norm), random weights: the speed reference our
 * network is compared against in the same run, on the same backend. Not a model anyone sees.
 */
export interface ReferenceNet {
	run(x: tf.Tensor4D): tf.Tensor4D;
	dispose(): void;
}

export function johnsonNet(seed = 1): ReferenceNet {
	const ws: tf.Tensor[] = [];
	const w = (shape: number[]) => {
		const t = tf.randomNormal(shape, 0, 0.05, 'float32', seed + ws.length);
		ws.push(t);
		return t as tf.Tensor4D;
	};
	const inorm = (x: tf.Tensor4D) => {
		const { mean, variance } = tf.moments(x, [1, 2], true);
		return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))) as tf.Tensor4D;
	};
	const conv = (x: tf.Tensor4D, k: tf.Tensor4D, s: number) => {
		const p = (k.shape[0] - 1) / 2;
		return tf.conv2d(tf.mirrorPad(x, [[0, 0], [p, p], [p, p], [0, 0]], 'reflect'), k, s, 'valid');
	};
	const k1 = w([9, 9, 3, 32]);
	const k2 = w([3, 3, 32, 64]);
	const k3 = w([3, 3, 64, 128]);
	const res = Array.from({ length: 10 }, () => w([3, 3, 128, 128]));
	const t1 = w([3, 3, 64, 128]); // conv2dTranspose filter: [h, w, outC, inC]
	const t2 = w([3, 3, 32, 64]);
	const k4 = w([9, 9, 32, 3]);
	return {
		run: (x) =>
			tf.tidy(() => {
				let h = tf.relu(inorm(conv(x, k1, 1)));
				h = tf.relu(inorm(conv(h, k2, 2)));
				h = tf.relu(inorm(conv(h, k3, 2)));
				for (let i = 0; i < 5; i++) {
					const r = tf.relu(inorm(conv(h, res[2 * i], 1)));
					h = tf.add(h, inorm(conv(r, res[2 * i + 1], 1)));
				}
				const [b, hh, ww] = h.shape;
				h = tf.relu(inorm(tf.conv2dTranspose(h, t1, [b, hh * 2, ww * 2, 64], 2, 'same')));
				h = tf.relu(inorm(tf.conv2dTranspose(h, t2, [b, hh * 4, ww * 4, 32], 2, 'same')));
				return tf.sigmoid(conv(h, k4, 1)) as tf.Tensor4D;
			}),
		dispose: () => tf.dispose(ws)
	};
}

/**
 * Multiply-accumulates of the Johnson net for an H×W input (convolutions only), in GMAC — the same
 * count as training/stylenet.py's count_macs_johnson: a stride-2 transposed conv costs
 * input pixels × k² × cin × cout. (Counting the up-convs at their output size, as a resize-conv would
 * cost, gives the 26.6 GMAC at 480×360 quoted in the issue.)
 */
export function johnsonGmac(h: number, w: number): number {
	const px = h * w;
	const q = px / 4;
	const s = px / 16;
	const macs =
		px * 81 * 3 * 32 + // 9×9 in
		q * 9 * 32 * 64 + // down 1
		s * 9 * 64 * 128 + // down 2
		10 * s * 9 * 128 * 128 + // residual convs
		s * 9 * 128 * 64 + // up 1 (transposed: per input pixel)
		q * 9 * 64 * 32 + // up 2
		px * 81 * 32 * 3; // 9×9 out
	return macs / 1e9;
}
