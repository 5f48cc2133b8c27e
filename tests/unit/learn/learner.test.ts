/**
 * The style learner on the real style network (version 2's manifest and weights) at a tiny size, with a
 * small random conv net standing in for ResNet50 (cpu backend): only the rows get gradients, and they are
 * the loss's true derivatives (finite differences); the loss goes down; nothing leaks, cancelled or not.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadParts, type StyleNetParts } from '../../../src/lib/models/style-net';
import { disposeParams } from '../../../src/lib/models/style-net/forward';
import {
	blendFromDistances,
	contentFeatures,
	learnRows,
	lossOf,
	rowOfBlend,
	styleDistances,
	styleTargets,
	type LearnLoss,
	type LearnProblem
} from '../../../src/lib/learn/learner';
import { smallNet, type SmallNet } from '../optvis/small-net';
import { diskFetch, MODEL_URL } from '../models/style-net-helpers';

const LOSS: LearnLoss = { contentWeight: 1, styleWeight: 2, tvWeight: 2, styleLayers: { a: 1, b: 1 }, contentLayer: 'b', stat: 'covmean', smooth: 'none' };

let net: StyleNetParts;
let lossNet: SmallNet;
let problem: LearnProblem;

/** A painting stand-in: coloured stripes, nothing like the smooth content photos. */
function stripes(): tf.Tensor3D {
	return tf.tidy(() => {
		const i = tf.range(0, 48).reshape([48, 1, 1]);
		const j = tf.range(0, 48).reshape([1, 48, 1]);
		const c = tf.tensor1d([1, 0.3, 0.6]).reshape([1, 1, 3]);
		return tf.sigmoid(tf.mul(tf.sin(tf.add(tf.mul(i, 0.9), tf.mul(j, 0.4))), tf.mul(c, 4))) as tf.Tensor3D;
	});
}

beforeAll(async () => {
	await tf.setBackend('cpu');
	net = await loadParts({ url: MODEL_URL, fetch: diskFetch() });
	lossNet = smallNet(3);
	const contents = tf.tidy(() => tf.stack([tf.randomUniform([32, 32, 3], 0.2, 0.8, 'float32', 1), tf.randomUniform([32, 32, 3], 0, 1, 'float32', 2)]) as tf.Tensor4D);
	const art = stripes();
	problem = { net, lossNet: lossNet.forward, contents, contentFeats: contentFeatures(lossNet.forward, contents, LOSS), targets: styleTargets(lossNet.forward, art, LOSS, [32]), loss: LOSS };
	art.dispose();
});

afterAll(() => {
	tf.dispose([problem.contents, problem.contentFeats, ...Object.values(problem.targets)]);
	disposeParams(net.params);
	lossNet.dispose();
});

const uniform = () => Array.from({ length: 12 }, () => 1 / 12);

describe('style learner', () => {
	it('gives gradients to the rows only, equal to finite differences', async () => {
		const init = await rowOfBlend(net, uniform());
		const row0 = tf.tensor2d(init, [1, init.length]);
		const f = (r: tf.Tensor) => lossOf(problem, r as tf.Tensor2D, problem.contents, problem.contentFeats);
		const g = tf.grad(f)(row0);
		const grad = await g.data();
		g.dispose();
		// coordinates: the largest gradients (a γ or β of some cin op) and a few spread over the row
		const order = Array.from(grad.keys()).sort((a, b) => Math.abs(grad[b]) - Math.abs(grad[a]));
		const coords = [...order.slice(0, 4), order[Math.floor(order.length / 3)], order[Math.floor(order.length / 2)]];
		const h = 1e-3;
		const lossAt = async (d: Float32Array) => {
			const v = tf.tidy(() => f(tf.tensor2d(d, [1, d.length])));
			const [x] = await v.data();
			v.dispose();
			return x;
		};
		const scale = Math.abs(grad[order[0]]);
		for (const c of coords) {
			const up = Float32Array.from(init);
			const down = Float32Array.from(init);
			up[c] += h;
			down[c] -= h;
			const fd = ((await lossAt(up)) - (await lossAt(down))) / (2 * h);
			expect(Math.abs(fd - grad[c]), `coordinate ${c}: analytic ${grad[c]}, finite difference ${fd}`).toBeLessThan(0.02 * scale + 1e-4);
		}
		expect(scale).toBeGreaterThan(0);
		// the body gets none: the only variable of the run is the row (the network's tensors are constants)
		const v = tf.variable(row0, true, 'fd-row');
		const { value, grads } = tf.variableGrads(() => f(v) as tf.Scalar);
		expect(Object.keys(grads)).toEqual(['fd-row']);
		tf.dispose([row0, value, v, ...Object.values(grads)]);
	});

	it('lowers the loss over a few steps and leaks nothing', async () => {
		const before = tf.memory().numTensors;
		const init = await rowOfBlend(net, uniform());
		const losses: number[] = [];
		let previews = 0;
		const gen = learnRows(problem, { steps: 6, lr: 0.05, batch: 2, init, previewEvery: 2, preview: async (r) => void (previews += r.shape[1] === init.length ? 1 : 0) });
		let r = await gen.next();
		while (!r.done) {
			losses.push(r.value.loss);
			r = await gen.next();
		}
		expect(r.value.length).toBe(init.length);
		expect(previews).toBe(3);
		expect(Math.min(...losses.slice(-3))).toBeLessThan(losses[0] * 0.9);
		expect(tf.memory().numTensors).toBe(before);
	});

	it('stops on cancel within a step and leaks nothing', async () => {
		const before = tf.memory().numTensors;
		const init = await rowOfBlend(net, uniform());
		const ac = new AbortController();
		const gen = learnRows(problem, { steps: 50, lr: 0.05, batch: 1, init, signal: ac.signal });
		let steps = 0;
		await expect(
			(async () => {
				for await (const s of gen) {
					steps = s.step;
					if (s.step === 2) ac.abort();
				}
			})()
		).rejects.toThrow();
		expect(steps).toBe(2);
		expect(tf.memory().numTensors).toBe(before);
	});

	it('starts from the nearest styles: the blend favours the smallest distance', async () => {
		const d = await styleDistances(problem);
		expect(d).toHaveLength(12);
		const w = blendFromDistances(d);
		const best = d.indexOf(Math.min(...d));
		expect(w.indexOf(Math.max(...w))).toBe(best);
		expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
		expect(blendFromDistances([1, 2, 3])).toEqual([1, Math.exp(-10), Math.exp(-20)].map((v, _, a) => v / a.reduce((s, x) => s + x, 0)));
	});
});
