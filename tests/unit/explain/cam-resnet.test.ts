/**
 * CAMs on the real classifier (quantized ResNet50, wasm backend). The model is loaded once for the file.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelGrid, filterGrid } from '../../../src/lib/explain/activations';
import { CAM_METHODS, createCamFor, type CamMethodName } from '../../../src/lib/explain/cam';
import type { Classifier } from '../../../src/lib/models/classifier';
import { overlay } from '../../../src/lib/render/colormap';
import { loadClassifier, photo, readPhoto } from '../models/classifier-helpers';
import { spearman } from './tiny-model';

let clf: Classifier;
const frames = new Map<string, tf.Tensor3D>();
const frame = (name: string) => {
	if (!frames.has(name)) frames.set(name, readPhoto(photo(name)));
	return frames.get(name)!;
};

beforeAll(async () => {
	clf = await loadClassifier({ taps: ['conv1', 'conv3', 'conv4', 'conv5'] });
});
afterAll(() => {
	tf.dispose([...frames.values()]);
	clf?.dispose();
});

const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;

describe('CAMs on ResNet50', () => {
	it('Grad-CAM at conv5 equals the CAM identity relu(Σ_k W[k,c]·A_k) / max', async () => {
		const x = frame('darknet__eagle.jpg');
		const cam = createCamFor(clf, 'gradcam');
		const t0 = performance.now();
		const res = await cam.explain(x);
		console.log(`Grad-CAM explain ${ms(t0)}`, res.label, res.prob.toFixed(2));
		expect(res.label).toBe('bald eagle');
		expect(res.heatmap.shape).toEqual([7, 7]);
		const diff = tf.tidy(() => {
			const { taps } = clf.forward(x);
			const wc = tf.squeeze(tf.slice(clf.fc.kernel, [0, res.classIndex], [-1, 1]), [1]);
			const raw = tf.relu(tf.sum(tf.mul(taps.conv5!, wc), [0, 3]));
			const identity = tf.div(raw, tf.max(raw));
			return tf.max(tf.abs(tf.sub(identity, res.heatmap))).dataSync()[0];
		});
		expect(diff).toBeLessThan(1e-3);
		res.heatmap.dispose();
	});

	it('explains any class index asked for, and the map differs from the top class', async () => {
		const x = frame('darknet__dog.jpg');
		const cam = createCamFor(clf, 'gradcam');
		const top = await cam.explain(x);
		const other = await cam.explain(x, { classIndex: 22 });
		expect(other.classIndex).toBe(22);
		expect(other.label).toBe('bald eagle');
		const r = spearman(await top.heatmap.data(), await other.heatmap.data());
		expect(r).toBeLessThan(0.99);
		tf.dispose([top.heatmap, other.heatmap]);
	});

	it('deletion: blurring the top-CAM pixels lowers the class probability more than blurring random ones', async () => {
		// Deleted pixels are replaced by a strongly blurred copy of the image (as in RISE's deletion
		// metric); the random baseline deletes blobs of the same 7×7-upsampled smoothness as the CAM.
		const names = ['darknet__eagle.jpg', 'darknet__dog.jpg', 'opencv-doc__orange.jpg', 'darknet__horses.jpg', 'darknet__giraffe.jpg'];
		const fractions = [0.1, 0.2, 0.3];
		const cam = createCamFor(clf, 'gradcam');
		let camSum = 0;
		let randSum = 0;
		for (const [p, name] of names.entries()) {
			const x = frame(name);
			const { heatmap, classIndex } = await cam.explain(x);
			const probs = tf.tidy(() => {
				const input = clf.preprocess(x);
				const blurred = tf.avgPool(tf.avgPool(input, 21, 1, 'same'), 21, 1, 'same');
				const up = (m: tf.Tensor) => tf.reshape(tf.image.resizeBilinear(tf.reshape(m, [1, 7, 7, 1]) as tf.Tensor4D, [224, 224], false, true), [224 * 224]);
				const heat = up(heatmap);
				const rand = up(tf.randomUniform([7, 7], 0, 1, 'float32', 42 + p));
				const n = 224 * 224;
				const masked: tf.Tensor4D[] = [];
				for (const score of [heat, rand]) {
					for (const f of fractions) {
						const thr = tf.min(tf.topk(score, Math.round(f * n)).values);
						const gone = tf.reshape(tf.cast(tf.greaterEqual(score, thr), 'float32'), [1, 224, 224, 1]);
						masked.push(tf.add(input, tf.mul(tf.sub(blurred, input), gone)) as tf.Tensor4D);
					}
				}
				const logits = clf.logits(tf.concat(masked));
				return tf.slice(tf.softmax(logits), [0, classIndex], [-1, 1]);
			});
			const v = Array.from(await probs.data());
			tf.dispose([probs, heatmap]);
			const k = fractions.length;
			const camMean = v.slice(0, k).reduce((s, a) => s + a, 0) / k;
			const randMean = v.slice(k).reduce((s, a) => s + a, 0) / k;
			console.log(`deletion ${name}: class prob after CAM deletion ${camMean.toFixed(3)}, after random ${randMean.toFixed(3)}`);
			camSum += camMean;
			randSum += randMean;
		}
		console.log(`deletion mean: CAM ${(camSum / names.length).toFixed(3)}, random ${(randSum / names.length).toFixed(3)}`);
		expect(camSum / names.length).toBeLessThan(randSum / names.length);
	});

	it.each(['gradcam++', 'hirescam', 'eigencam', 'layercam', 'scorecam'] as CamMethodName[])('%s gives a sensible [0,1] map for the eagle', async (name) => {
		const x = frame('darknet__eagle.jpg');
		const stage = name === 'layercam' ? 'conv4' : 'conv5';
		const cam = createCamFor(clf, name, { stage, scoreCamChannels: 16, scoreCamBatch: 8 });
		const t0 = performance.now();
		const res = await cam.explain(x);
		console.log(`${name} (${stage}) explain ${ms(t0)}`);
		expect(res.heatmap.shape).toEqual(stage === 'conv4' ? [14, 14] : [7, 7]);
		const v = await res.heatmap.data();
		expect(Math.max(...v)).toBeCloseTo(1, 5);
		expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
		// Roughly agrees with Grad-CAM where the bird is (same resolution only).
		if (stage === 'conv5') {
			const g = await createCamFor(clf, 'gradcam').explain(x);
			const r = spearman(v, await g.heatmap.data());
			console.log(`${name} vs Grad-CAM: Spearman ${r.toFixed(2)}`);
			expect(r).toBeGreaterThan(0.3);
			g.heatmap.dispose();
		}
		res.heatmap.dispose();
	});

	it('no per-frame call leaks tensors', async () => {
		const x = frame('darknet__eagle.jpg');
		const before = tf.memory().numTensors;
		for (const name of Object.keys(CAM_METHODS) as CamMethodName[]) {
			const cam = createCamFor(clf, name, { stage: name === 'layercam' ? 'conv3' : 'conv5', scoreCamChannels: 4, scoreCamBatch: 4 });
			cam.heatmap(x).dispose();
			(await cam.explain(x, { classIndex: 1 })).heatmap.dispose();
			cam.dispose();
		}
		const fwd = clf.forward(x);
		const grid = await channelGrid(fwd.taps.conv3!, { page: 2, pageSize: 16 });
		tf.dispose([grid.grid, fwd.logits, ...Object.values(fwd.taps)]);
		filterGrid(clf.conv1Kernel).dispose();
		const heat = createCamFor(clf, 'gradcam').heatmap(x);
		overlay(x, heat, { opacity: 0.6 }).dispose();
		heat.dispose();
		await clf.classify(x);
		clf.preprocess(x).dispose();
		clf.logits(x).dispose();
		expect(tf.memory().numTensors).toBe(before);
	});

	it('conv1 filters and stage grids have the expected shapes', async () => {
		const g = filterGrid(clf.conv1Kernel, { scale: 4 });
		expect(g.shape).toEqual([8 * 29 - 1, 8 * 29 - 1, 3]);
		g.dispose();
		const fwd = clf.forward(frame('darknet__eagle.jpg'));
		expect(fwd.taps.conv1!.shape).toEqual([1, 112, 112, 64]);
		expect(fwd.taps.conv3!.shape).toEqual([1, 28, 28, 512]);
		expect(fwd.taps.conv4!.shape).toEqual([1, 14, 14, 1024]);
		const grid = await channelGrid(fwd.taps.conv5!, { pageSize: 64 });
		expect(grid.grid.shape).toEqual([8 * 8 - 1, 8 * 8 - 1]);
		expect(grid.means[0]).toBeGreaterThanOrEqual(grid.means[63]);
		tf.dispose([grid.grid, fwd.logits, ...Object.values(fwd.taps)]);
	});

	// Last: it overwrites stage-5 weights of this file's classifier.
	it('sanity check (Adebayo et al.): randomizing stage 5 weights changes the CAM', async () => {
		const x = frame('darknet__eagle.jpg');
		const cam = createCamFor(clf, 'gradcam');
		const before = await cam.explain(x, { classIndex: 22 });
		const a = await before.heatmap.data();
		let seed = 1;
		for (const layer of clf.model.layers) {
			if (!/^res5/.test(layer.name)) continue;
			const [kernel, bias] = layer.getWeights();
			const fanIn = kernel.shape.slice(0, 3).reduce((p, d) => p * d, 1);
			const rnd = tf.randomNormal(kernel.shape, 0, Math.sqrt(2 / fanIn), 'float32', seed++);
			layer.setWeights([rnd, bias]);
			rnd.dispose();
		}
		const after = await cam.explain(x, { classIndex: 22 });
		const r = spearman(a, await after.heatmap.data());
		console.log(`Spearman(CAM, CAM after randomizing stage 5) = ${r.toFixed(3)}`);
		expect(r).toBeLessThan(0.5);
		tf.dispose([before.heatmap, after.heatmap]);
	});
});
