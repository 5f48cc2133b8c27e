/**
 * The methods added over the CAM base (HiResCAM, EigenCAM) and the base's smoothing options, on tiny
 * hand-built models (cpu backend).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCamFor, firstComponent } from '../../../src/lib/explain/cam';
import { identityStage, tinyModel } from './tiny-model';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

/** relu(p) / max, as the base normalizes. */
function normalized(p: number[]): number[] {
	const r = p.map((v) => Math.max(0, v));
	const m = Math.max(...r);
	return r.map((v) => (m > 0 ? v / m : 0));
}

/** Eigenvector of the largest eigenvalue of a symmetric matrix (Jacobi rotations, plain JS). */
function topEigenvector(S: number[][]): number[] {
	const n = S.length;
	const a = S.map((r) => [...r]);
	const V: number[][] = a.map((_, i) => a.map((_, j) => (i === j ? 1 : 0)));
	for (let sweep = 0; sweep < 100; sweep++) {
		for (let p = 0; p < n; p++)
			for (let q = p + 1; q < n; q++) {
				if (Math.abs(a[p][q]) < 1e-12) continue;
				const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
				const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
				const c = 1 / Math.sqrt(t * t + 1);
				const s = t * c;
				for (let k = 0; k < n; k++) {
					const akp = a[k][p];
					const akq = a[k][q];
					a[k][p] = c * akp - s * akq;
					a[k][q] = s * akp + c * akq;
				}
				for (let k = 0; k < n; k++) {
					const apk = a[p][k];
					const aqk = a[q][k];
					a[p][k] = c * apk - s * aqk;
					a[q][k] = s * apk + c * aqk;
				}
				for (let k = 0; k < n; k++) {
					const vkp = V[k][p];
					const vkq = V[k][q];
					V[k][p] = c * vkp - s * vkq;
					V[k][q] = s * vkp + c * vkq;
				}
			}
	}
	let best = 0;
	for (let i = 1; i < n; i++) if (a[i][i] > a[best][best]) best = i;
	return V.map((r) => r[best]);
}

/** Hand computation of EigenCAM: centre X [n][C], project on the top eigenvector of XᵀX, sign by the channel sum. */
function handEigen(X: number[][]): number[] {
	const n = X.length;
	const C = X[0].length;
	const mean = Array.from({ length: C }, (_, k) => X.reduce((s, r) => s + r[k], 0) / n);
	const Xc = X.map((r) => r.map((v, k) => v - mean[k]));
	const cov = Array.from({ length: C }, (_, i) => Array.from({ length: C }, (_, j) => Xc.reduce((s, r) => s + r[i] * r[j], 0)));
	const v = topEigenvector(cov);
	const proj = Xc.map((r) => r.reduce((s, x, k) => s + x * v[k], 0));
	const agree = proj.reduce((s, p, i) => s + p * X[i].reduce((t, x) => t + x, 0), 0);
	return agree < 0 ? proj.map((p) => -p) : proj;
}

describe('EigenCAM', () => {
	it('equals the hand-computed first component of a 3×2×2 activation (closed form for 2 channels)', async () => {
		// Six positions, two channels; the spread lies along (1, 2)/√5 with a little noise.
		const X = [
			[0, 0.1],
			[1, 2],
			[2, 4.2],
			[0.5, 0.9],
			[3, 5.8],
			[1.5, 3.1]
		];
		// Closed form: covariance [[a,b],[b,d]] has top eigenvector (b, λ−a), λ = (a+d)/2 + √(((a−d)/2)² + b²).
		const mx = X.reduce((s, r) => s + r[0], 0) / 6;
		const my = X.reduce((s, r) => s + r[1], 0) / 6;
		const a = X.reduce((s, r) => s + (r[0] - mx) ** 2, 0);
		const d = X.reduce((s, r) => s + (r[1] - my) ** 2, 0);
		const b = X.reduce((s, r) => s + (r[0] - mx) * (r[1] - my), 0);
		const lambda = (a + d) / 2 + Math.sqrt(((a - d) / 2) ** 2 + b * b);
		const len = Math.hypot(b, lambda - a);
		const v = [b / len, (lambda - a) / len];
		const proj = X.map((r) => (r[0] - mx) * v[0] + (r[1] - my) * v[1]);
		expect(handEigen(X).map((p) => p.toFixed(5))).toEqual(proj.map((p) => p.toFixed(5)));

		const m = identityStage(2);
		const frame = tf.tensor3d(X.flat(), [3, 2, 2]);
		const cam = createCamFor(m, 'eigencam');
		const heat = cam.heatmap(frame);
		expect(heat.shape).toEqual([3, 2]);
		const got = Array.from(await heat.data());
		const want = normalized(proj);
		for (let i = 0; i < 6; i++) expect(got[i]).toBeCloseTo(want[i], 4);
		// No class: asking for the other class gives the same map.
		const other = cam.heatmap(frame, { classIndex: 1 });
		expect(Array.from(await other.data())).toEqual(got);
		tf.dispose([heat, other, frame]);
		m.dispose();
	});

	it.each([
		['Gram matrix (more channels than positions)', [4, 9], 11],
		['covariance (more positions than channels)', [12, 3], 12]
	] as const)('the %s path agrees with the hand computation', async (_path, shape, seed) => {
		const X = (await tf.randomUniform([...shape], 0, 1, 'float32', seed).array()) as number[][];
		const x = tf.tensor2d(X);
		const p = firstComponent(x);
		const got = Array.from(await p.data());
		const want = handEigen(X);
		for (let i = 0; i < shape[0]; i++) expect(got[i]).toBeCloseTo(want[i], 4);
		tf.dispose([x, p]);
	});

	it('sign: the map correlates positively with the sum of the activations', async () => {
		// One channel is large where the other is small; the sum is dominated by the first.
		const x = tf.tensor2d([
			[5, 0],
			[0, 1],
			[4, 0.2],
			[1, 0.9]
		]);
		const p = Array.from(await firstComponent(x).data());
		const sums = [5, 1, 4.2, 1.9];
		expect(p.reduce((s, v, i) => s + v * sums[i], 0)).toBeGreaterThan(0);
		x.dispose();
	});
});

describe('HiResCAM', () => {
	it('equals Grad-CAM where the gradients are spatially constant (GAP + FC head), for both classes', async () => {
		const m = identityStage(4);
		const x = tf.randomUniform([4, 4, 4], 0, 1, 'float32', 8) as tf.Tensor3D;
		const hi = createCamFor(m, 'hirescam');
		const grad = createCamFor(m, 'gradcam');
		let nonZero = 0;
		for (const c of [0, 1]) {
			const a = hi.heatmap(x, { classIndex: c });
			const b = grad.heatmap(x, { classIndex: c });
			const av = Array.from(await a.data());
			const bv = Array.from(await b.data());
			if (Math.max(...av) > 0.5) nonZero++;
			for (let i = 0; i < av.length; i++) expect(av[i]).toBeCloseTo(bv[i], 5);
			tf.dispose([a, b]);
		}
		expect(nonZero).toBeGreaterThan(0);
		tf.dispose(x);
		m.dispose();
	});

	it('differs from Grad-CAM where the gradient varies over positions (non-linear head)', async () => {
		const m = tinyModel('nonlinear', 4);
		const x = tf.randomUniform([4, 4, 2], 0, 1, 'float32', 9) as tf.Tensor3D;
		let largest = 0;
		for (const c of [0, 1]) {
			const a = createCamFor(m, 'hirescam').heatmap(x, { classIndex: c });
			const b = createCamFor(m, 'gradcam').heatmap(x, { classIndex: c });
			const diff = tf.max(tf.abs(tf.sub(a, b)));
			largest = Math.max(largest, (await diff.data())[0]);
			tf.dispose([a, b, diff]);
		}
		expect(largest).toBeGreaterThan(1e-3);
		tf.dispose(x);
		m.dispose();
	});
});

describe('smoothing, an option of the base', () => {
	it('flip smoothing is the mean of the map and the mirrored map of the mirror image, rescaled', async () => {
		const m = tinyModel('nonlinear', 4);
		const x = tf.randomUniform([4, 4, 2], 0, 1, 'float32', 10) as tf.Tensor3D;
		const plain = createCamFor(m, 'gradcam');
		const smooth = createCamFor(m, 'gradcam', { flipSmooth: true });
		const got = smooth.heatmap(x, { classIndex: 0 });
		const want = tf.tidy(() => {
			const a = plain.heatmap(x, { classIndex: 0 });
			const b = tf.reverse(plain.heatmap(tf.reverse(x, 1) as tf.Tensor3D, { classIndex: 0 }), 1);
			const s = tf.add(a, b);
			return tf.div(s, tf.max(s));
		});
		const gv = Array.from(await got.data());
		const wv = Array.from(await want.data());
		for (let i = 0; i < gv.length; i++) expect(gv[i]).toBeCloseTo(wv[i], 5);
		tf.dispose([got, want, x]);
		m.dispose();
	});

	it('eigen-smoothing of Grad-CAM is the first component of w·A (w = Grad-CAM weights)', async () => {
		const m = identityStage(3);
		const X = (await tf.randomUniform([5, 3], 0, 1, 'float32', 13).array()) as number[][];
		const frame = tf.tensor3d(X.flat(), [5, 1, 3]);
		// Grad-CAM weights at a GAP + FC head are W[k, c] / (h·w): read them from the logit gradient.
		const g = tf.grad((a) => tf.sum(tf.mul(m.head('conv5', a as tf.Tensor4D), tf.tensor2d([[1, 0]]))))(tf.expandDims(frame, 0));
		const w = Array.from(await tf.mean(g, [0, 1, 2]).data());
		const weighted = X.map((r) => r.map((v, k) => v * w[k]));
		const want = normalized(handEigen(weighted));
		const heat = createCamFor(m, 'gradcam', { eigenSmooth: true }).heatmap(frame, { classIndex: 0 });
		const got = Array.from(await heat.data());
		for (let i = 0; i < 5; i++) expect(got[i]).toBeCloseTo(want[i], 4);
		tf.dispose([frame, g, heat]);
		m.dispose();
	});

	it.each(['hirescam', 'eigencam', 'gradcam'] as const)('%s with both smoothings: in [0,1], max 1, no tensor leak', async (name) => {
		const m = tinyModel('nonlinear', 5);
		const x = tf.randomUniform([4, 4, 2], 0, 1, 'float32', 14) as tf.Tensor3D;
		const cam = createCamFor(m, name, { eigenSmooth: true, flipSmooth: true });
		cam.heatmap(x).dispose(); // warm-up
		const before = tf.memory().numTensors;
		const heat = cam.heatmap(x);
		const r = await cam.explain(x);
		const v = Array.from(await r.heatmap.data());
		expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...v)).toBeCloseTo(1, 5);
		tf.dispose([heat, r.heatmap]);
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose(x);
		m.dispose();
	});
});
