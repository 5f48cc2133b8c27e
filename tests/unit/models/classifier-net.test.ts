import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classifier } from '../../../src/lib/models/classifier';
import { loadClassifier, photo, readPhoto } from './classifier-helpers';

let clf: Classifier;
beforeAll(async () => {
	clf = await loadClassifier({ warmUp: false });
});
afterAll(() => clf?.dispose());

describe('classifier.net: ResNet50 as a differentiable function of its input (wasm)', () => {
	it('names the 16 residual blocks', () => {
		expect(clf.blocks).toHaveLength(16);
		expect(clf.blocks[0]).toBe('res2a');
		expect(clf.blocks.at(-1)).toBe('res5c');
		expect(clf.blocks).toContain('res4f');
	});

	it('gives the same logits as the layers model, and any layer by name', async () => {
		const frame = readPhoto(photo('darknet__eagle.jpg'));
		const input = clf.preprocess(frame);
		const ref = clf.logits(input);
		const net = clf.net({ outputs: ['logits', 'conv4', 'res3b', 'activation_39'] });
		const before = tf.memory().numTensors;
		const out = tf.tidy(() => net(input));
		expect(out.conv4.shape).toEqual([1, 14, 14, 1024]);
		expect(out.res3b.shape).toEqual([1, 28, 28, 512]);
		// 'conv4' is the stage output activation_39 under another name.
		const maxDiff = async (a: tf.Tensor, b: tf.Tensor) => {
			const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
			const [v] = await d.data();
			d.dispose();
			return v;
		};
		expect(await maxDiff(out.conv4, out.activation_39)).toBe(0);
		const diff = await maxDiff(out.logits, ref);
		expect(diff).toBeLessThan(1e-2);
		tf.dispose(Object.values(out));
		expect(tf.memory().numTensors).toBe(before);
		// Any size works up to the global pooling.
		const small = tf.tidy(() => net(tf.image.resizeBilinear(input, [96, 128])).logits);
		expect(small.shape).toEqual([1, 1000]);
		tf.dispose([frame, input, ref, small]);
		expect(() => clf.net({ outputs: ['nope'] })).toThrow(/no layer "nope"/);
	});

	it('input gradients match finite differences', async () => {
		const frame = readPhoto(photo('opencv-doc__orange.jpg'), 64, 64);
		const net = clf.net({ outputs: ['logits'] });
		const cls = 950; // orange
		const f = (x: tf.Tensor) => tf.tidy(() => tf.sum(tf.slice(net(x as tf.Tensor4D).logits, [0, cls], [1, 1])) as tf.Scalar);
		const x = clf.preprocess(frame).resizeBilinear([64, 64]) as tf.Tensor4D;
		const g = tf.grad(f)(x);
		const fd = async (v: tf.Tensor, eps: number) => {
			const [fp, fm] = await Promise.all([tf.tidy(() => f(tf.add(x, tf.mul(v, eps)))), tf.tidy(() => f(tf.sub(x, tf.mul(v, eps))))].map(async (t) => {
				const [d] = await t.data();
				t.dispose();
				return d;
			}));
			return (fp - fm) / (2 * eps);
		};
		// Along the gradient: ∇f·ĝ = |∇f| against the central difference (ReLU kinks make random
		// directions noisy at float32; along the gradient and per strong pixel they are not).
		const unit = tf.tidy(() => tf.div(g, tf.norm(g)));
		const norm = (await tf.tidy(() => tf.norm(g)).data())[0];
		const along = await fd(unit, 0.1);
		console.log(`|grad| ${norm.toFixed(4)}, finite difference along it ${along.toFixed(4)}`);
		expect(Math.abs(along - norm)).toBeLessThan(0.02 * norm);
		// Per pixel, for the four pixels with the largest gradient.
		const gd = await g.data();
		const strongest = Array.from(gd.keys()).sort((i, j) => Math.abs(gd[j]) - Math.abs(gd[i])).slice(0, 4);
		for (const i of strongest) {
			const e = tf.tidy(() => tf.reshape(tf.oneHot(tf.tensor1d([i], 'int32'), gd.length), x.shape));
			const numeric = await fd(e, 0.1);
			e.dispose();
			console.log(`pixel ${i}: analytic ${gd[i].toFixed(5)}, finite difference ${numeric.toFixed(5)}`);
			expect(Math.abs(gd[i] - numeric)).toBeLessThan(0.05 * Math.abs(gd[i]));
		}
		unit.dispose();
		tf.dispose([frame, x, g]);
	});

	it('guided and deconvnet rules change the gradient, not the forward pass', async () => {
		const frame = readPhoto(photo('darknet__dog.jpg'), 96, 96);
		const x = clf.preprocess(frame).resizeBilinear([96, 96]) as tf.Tensor4D;
		const before = tf.memory().numTensors;
		const grads = (['plain', 'guided', 'deconv'] as const).map((relu) => {
			const net = clf.net({ outputs: ['logits'], relu });
			return tf.tidy(() => {
				const value = tf.max(net(x).logits);
				const grad = tf.grad((t) => tf.max(net(t as tf.Tensor4D).logits))(x);
				return { value, grad };
			});
		});
		const values = await Promise.all(grads.map((g) => g.value.data()));
		expect(values[1][0]).toBeCloseTo(values[0][0], 3);
		expect(values[2][0]).toBeCloseTo(values[0][0], 3);
		const corr = async (a: tf.Tensor, b: tf.Tensor) => {
			const c = tf.tidy(() => {
				const na = tf.sub(a, tf.mean(a));
				const nb = tf.sub(b, tf.mean(b));
				return tf.div(tf.sum(tf.mul(na, nb)), tf.sqrt(tf.mul(tf.sum(tf.square(na)), tf.sum(tf.square(nb)))));
			});
			const v = await c.data();
			c.dispose();
			return v;
		};
		const [pg] = await corr(grads[0].grad, grads[1].grad);
		const [pd] = await corr(grads[0].grad, grads[2].grad);
		console.log(`correlation with the plain gradient: guided ${pg.toFixed(3)}, deconvnet ${pd.toFixed(3)}`);
		expect(pg).toBeLessThan(0.99);
		expect(pd).toBeLessThan(0.99);
		tf.dispose(grads.flatMap((g) => [g.value, g.grad]));
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose([frame, x]);
	});
});
