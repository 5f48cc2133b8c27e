import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCam, createCamFor, CAM_METHODS, type CamContext, type CamMethodName } from '../../../src/lib/explain/cam';
import { tinyModel, spearman } from './tiny-model';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

const frame = () => tf.randomUniform([4, 4, 2], 0, 1, 'float32', 7) as tf.Tensor3D;

describe('CAM base on a tiny hand-built model', () => {
	it('Grad-CAM equals the hand computation (GAP + FC: w_k = W[k,c] / (h·w))', async () => {
		const m = tinyModel('linear');
		const x = frame();
		const cam = createCamFor(m, 'gradcam');
		for (const c of [0, 1]) {
			const heat = cam.heatmap(x, { classIndex: c });
			const { taps } = m.forward(x);
			const A = (await taps.conv5!.array())[0]; // [4][4][3]
			const W = (await m.W.array()) as number[][];
			const hand = A.map((row) => row.map((v) => Math.max(0, v.reduce((s, a, k) => s + (a * W[k][c]) / 16, 0))));
			const max = Math.max(...hand.flat());
			const expected = hand.map((row) => row.map((v) => (max > 0 ? v / max : 0)));
			const got = (await heat.array()) as number[][];
			for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(got[i][j]).toBeCloseTo(expected[i][j], 5);
			tf.dispose([heat, taps.conv5!]);
		}
		tf.dispose(x);
		m.dispose();
	});

	it('the gradient step matches finite differences (non-linear head)', async () => {
		const m = tinyModel('nonlinear', 3);
		const x = frame();
		// A method that records what the base hands it: the stage activation and ∂ logit_c / ∂A.
		let a: Float32Array = new Float32Array(0);
		let g: Float32Array = new Float32Array(0);
		let shape: number[] = [];
		let target: number[] = [];
		const probe = {
			...CAM_METHODS.gradcam,
			weights: (ctx: CamContext) => {
				a = ctx.activation.dataSync() as Float32Array;
				g = ctx.gradient!.dataSync() as Float32Array;
				shape = ctx.activation.shape;
				target = Array.from(ctx.target.dataSync());
				return CAM_METHODS.gradcam.weights(ctx);
			}
		};
		createCam(m, probe).heatmap(x, { classIndex: 1 }).dispose();
		expect(target).toEqual([0, 1]);
		expect(g.length).toBe(a.length);
		const t = tf.tensor2d([target]);
		const f = (vals: Float32Array) =>
			tf.tidy(() => tf.sum(tf.mul(m.head('conv5', tf.tensor4d(vals, shape as [number, number, number, number])), t)).dataSync()[0]);
		const eps = 1e-2;
		let checked = 0;
		for (let i = 0; i < a.length; i += 5) {
			// eps is small against the random pre-activations, so no relu kink is crossed here.
			const plus = Float32Array.from(a);
			const minus = Float32Array.from(a);
			plus[i] += eps;
			minus[i] -= eps;
			const fd = (f(plus) - f(minus)) / (2 * eps);
			expect(g[i]).toBeCloseTo(fd, 2);
			checked++;
		}
		expect(checked).toBeGreaterThan(5);
		tf.dispose([t, x]);
		m.dispose();
	});

	it('Layer-CAM equals relu(Σ_k relu(g)·A) / max', async () => {
		const m = tinyModel('nonlinear', 5);
		const x = frame();
		const heat = createCamFor(m, 'layercam').heatmap(x, { classIndex: 0 });
		const expected = tf.tidy(() => {
			const A = m.forward(x).taps.conv5!;
			const target = tf.tensor2d([[1, 0]]);
			const g = tf.grad((a) => tf.sum(tf.mul(m.head('conv5', a as tf.Tensor4D), target)))(A);
			const cam = tf.relu(tf.sum(tf.mul(A, tf.relu(g)), [0, 3]));
			const max = tf.max(cam).dataSync()[0];
			return max > 0 ? tf.div(cam, max) : tf.zerosLike(cam);
		});
		const d = tf.tidy(() => tf.max(tf.abs(tf.sub(heat, expected))).dataSync()[0]);
		expect(d).toBeLessThan(1e-6);
		tf.dispose([heat, expected, x]);
		m.dispose();
	});

	it.each(Object.keys(CAM_METHODS) as CamMethodName[])('%s: [h,w] in [0,1] with max 1, top class by default, no leaks', async (name) => {
		const m = tinyModel('nonlinear', 11);
		const x = frame();
		const cam = createCamFor(m, name, { scoreCamChannels: 3, scoreCamBatch: 2 });
		cam.heatmap(x).dispose(); // first call may create backend constants
		const before = tf.memory().numTensors;
		const res = await cam.explain(x);
		expect(res.heatmap.shape).toEqual([4, 4]);
		const v = await res.heatmap.data();
		expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
		const mx = Math.max(...v);
		expect(mx === 0 || Math.abs(mx - 1) < 1e-6).toBe(true);
		const lgT = tf.tidy(() => m.logits(tf.expandDims(x, 0) as tf.Tensor4D));
		const lg = await lgT.data();
		lgT.dispose();
		expect(res.classIndex).toBe(lg[1] > lg[0] ? 1 : 0);
		expect(res.top.length).toBe(2);
		res.heatmap.dispose();
		cam.heatmap(x, { classIndex: 1 }).dispose();
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose(x);
		m.dispose();
	});

	it('rejects a class index outside the model', () => {
		const m = tinyModel();
		const x = frame();
		expect(() => createCamFor(m, 'gradcam').heatmap(x, { classIndex: 2 })).toThrow(/outside/);
		tf.dispose(x);
		m.dispose();
	});

	it('spearman helper: 1 for same order, -1 for reversed', () => {
		expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
		expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
	});
});
