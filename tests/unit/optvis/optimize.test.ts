import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import * as obj from '../../../src/lib/optvis/objectives';
import { optimize, type StepRule } from '../../../src/lib/optvis/optimize';
import { fourierParam, pixelParam, type ImageParam } from '../../../src/lib/optvis/param';
import { compose, jitter, rotate, scale } from '../../../src/lib/optvis/transforms';
import { smallNet } from './small-net';

const net = smallNet();
afterAll(() => net.dispose());

const photo = () => tf.tidy(() => tf.add(tf.mul(tf.randomUniform([1, 24, 24, 3], 0, 1, 'float32', 3), 0.6), 0.2) as tf.Tensor4D);

/** Targets computed from other images, the way the presets compute them (once, kept by the caller). */
function targets() {
	return tf.tidy(() => {
		const style = tf.randomUniform([1, 32, 20, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
		const fs = net.forward(style, ['a', 'b']);
		const content = net.forward(photo(), ['b']).b as tf.Tensor4D;
		return {
			content,
			gram: { a: obj.styleStatistic(fs.a as tf.Tensor4D, 'gram', 'none'), b: obj.styleStatistic(fs.b as tf.Tensor4D, 'gram', 'none') },
			covmean: { a: obj.styleStatistic(fs.a as tf.Tensor4D, 'covmean', 'none'), b: obj.styleStatistic(fs.b as tf.Tensor4D, 'covmean', 'none') },
			swag: { a: obj.styleStatistic(fs.a as tf.Tensor4D, 'gram', 'softmax'), b: obj.styleStatistic(fs.b as tf.Tensor4D, 'gram', 'softmax') }
		};
	});
}

async function run(objective: obj.Objective, param: ImageParam, rule: StepRule = 'adam', lr?: number, steps = 12) {
	const losses: number[] = [];
	for await (const p of optimize({ forward: net.forward, objective, param, steps, rule, lr, seed: 1 })) losses.push(p.loss);
	param.dispose();
	return losses;
}

describe('optimize: every objective decreases on a small model', () => {
	const t = targets();
	afterAll(() => tf.dispose(t as unknown as tf.TensorContainer));
	const noise = () => {
		const init = tf.randomUniform([1, 24, 24, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
		const param = pixelParam(init);
		init.dispose();
		return param;
	};
	const cases: [string, () => obj.Objective, () => ImageParam, StepRule?, number?][] = [
		['content', () => obj.content('b', t.content), noise],
		['style, Gram', () => obj.style({ a: 1, b: 0.5 }, t.gram, 'gram', 'none'), noise],
		['style, covariance + means', () => obj.style({ a: 1, b: 0.5 }, t.covmean, 'covmean', 'none'), noise],
		['style, softmax-smoothed (SWAG)', () => obj.style({ a: 1, b: 0.5 }, t.swag, 'gram', 'softmax'), noise],
		['total variation', () => obj.totalVariation(), noise],
		['layer power (DeepDream), normalized steps', () => obj.neg(obj.layerPower('b')), noise, 'normalized', 0.02],
		['one channel', () => obj.neg(obj.channel('b', 3)), noise],
		['class logit, Fourier image', () => obj.neg(obj.classLogit(2)), () => fourierParam(24, 24, { seed: 2 }), 'adam', 0.1],
		['cross-entropy, sign steps', () => obj.crossEntropy(4), noise, 'sign', 0.01],
		['l2 decay', () => obj.l2(), noise],
		['sum of scaled parts', () => obj.sum(obj.scale(obj.content('b', t.content), 2), obj.scale(obj.totalVariation(), 10)), noise]
	];
	it.each(cases)('%s', async (_name, make, param, rule, lr) => {
		const before = tf.memory().numTensors;
		const losses = await run(make(), param(), rule ?? 'adam', lr);
		expect(losses).toHaveLength(12);
		expect(losses.every(Number.isFinite)).toBe(true);
		expect(losses.at(-1)!).toBeLessThan(losses[0]);
		expect(tf.memory().numTensors).toBe(before);
	});

	it('runs through random transforms (jitter, scale, rotate) and keeps pixels in [0, 1]', async () => {
		const before = tf.memory().numTensors;
		const param = noise();
		const losses: number[] = [];
		const transform = compose(jitter(2), scale([0.9, 1, 1.1]), rotate([-5, 0, 5]));
		for await (const p of optimize({ forward: net.forward, objective: obj.neg(obj.channel('b', 1)), param, steps: 15, transform, previewEvery: 5, seed: 3 })) {
			losses.push(p.loss);
			if (p.step % 5 === 0) expect(p.preview).toMatchObject({ width: 24, height: 24 });
			else expect(p.preview).toBeUndefined();
		}
		const range = tf.tidy(() => tf.stack([tf.min(param.image()), tf.max(param.image())]));
		const [lo, hi] = await range.data();
		range.dispose();
		expect(lo).toBeGreaterThanOrEqual(0);
		expect(hi).toBeLessThanOrEqual(1);
		param.dispose();
		expect(losses.at(-1)!).toBeLessThan(losses[0]);
		expect(tf.memory().numTensors).toBe(before);
	});

	it('stops on abort within a step and frees everything (the optimizer state too)', async () => {
		const before = tf.memory().numTensors;
		const param = noise();
		const ctl = new AbortController();
		const seen: number[] = [];
		await expect(
			(async () => {
				for await (const p of optimize({ forward: net.forward, objective: obj.neg(obj.layerPower('a')), param, steps: 100, signal: ctl.signal })) {
					seen.push(p.step);
					if (p.step === 3) ctl.abort();
				}
			})()
		).rejects.toMatchObject({ name: 'AbortError' });
		expect(seen).toEqual([1, 2, 3]);
		param.dispose();
		expect(tf.memory().numTensors).toBe(before);
	});
});
