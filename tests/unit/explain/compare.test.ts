/**
 * The comparison sheet of docs/explanations.md (skipped unless COMPARE=1; slow, wasm backend):
 *   COMPARE=1 nice -n 10 npx vitest run tests/unit/explain/compare.test.ts
 * For each CAM method, on labelled ImageNet photos (../shared/data/content/imagenet, every
 * ⌊1000/PHOTOS⌋-th), explaining the labelled class: deletion / insertion AUC (8 steps, blur fill)
 * against a random map of the same resolution, the median time of one map, and the cascading
 * model-randomization check (Spearman of the map with the original after randomizing fc1000, res5c,
 * res5b, res5a, res4f) on the first RANDOMIZE photos. Score-CAM (16 forward passes per map) runs only the
 * first SCORECAM_STEPS steps of that cascade (default 2: fc1000, res5c; 5 for all); the rest stay null.
 * Writes bench/results/explain-compare.json (means, and each photo's numbers named by class).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCamFor, type CamMethodName } from '../../../src/lib/explain/cam';
import { faithfulness, type Curves } from '../../../src/lib/explain/faithfulness';
import { cascadingRandomization, resnetCascade } from '../../../src/lib/explain/sanity';
import { CONTENT, ROOT, loadClassifier, readPhoto } from '../models/classifier-helpers';

const PHOTOS = Number(process.env.PHOTOS ?? 12);
const RANDOMIZE = Number(process.env.RANDOMIZE ?? 2);
const SCORECAM_STEPS = Number(process.env.SCORECAM_STEPS ?? 2);
const ALL_METHODS: { name: CamMethodName; stage: 'conv4' | 'conv5'; label: string }[] = [
	{ name: 'gradcam', stage: 'conv5', label: 'Grad-CAM' },
	{ name: 'gradcam++', stage: 'conv5', label: 'Grad-CAM++' },
	{ name: 'hirescam', stage: 'conv5', label: 'HiResCAM' },
	{ name: 'layercam', stage: 'conv4', label: 'Layer-CAM (conv4)' },
	{ name: 'eigencam', stage: 'conv5', label: 'EigenCAM' },
	{ name: 'scorecam', stage: 'conv5', label: 'Score-CAM (16 channels)' }
];
/** METHODS=gradcam,eigencam picks some (the slow Score-CAM can be left out on a busy machine). */
const METHODS = process.env.METHODS ? ALL_METHODS.filter((m) => process.env.METHODS!.split(',').includes(m.name)) : ALL_METHODS;

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

describe.runIf(process.env.COMPARE)('comparison sheet', () => {
	it('deletion / insertion AUC, time and randomization per method', { timeout: 3_600_000 }, async () => {
		const clf = await loadClassifier();
		const rows = readFileSync(join(CONTENT, 'imagenet/labels.tsv'), 'utf8')
			.trim()
			.split('\n')
			.map((l) => l.split('\t'));
		const step = Math.floor(rows.length / PHOTOS);
		const photos = Array.from({ length: PHOTOS }, (_, i) => rows[i * step]).map(([file, , idx, name]) => ({ file, classIndex: Number(idx), name }));
		const cams = METHODS.map((m) => createCamFor(clf, m.name, { stage: m.stage, scoreCamChannels: 16 }));
		const results = METHODS.map(() => ({ del: [] as number[], ins: [] as number[], first: [] as number[], ms: [] as number[], rand: [] as number[][] }));
		const random = { del: [] as number[], ins: [] as number[], first: [] as number[] };
		const base: number[] = [];
		const perPhoto: { class: string; p: number; random: { deletionAuc: number; insertionAuc: number }; methods: Record<string, { deletionAuc: number; insertionAuc: number; ms: number }> }[] = [];
		const summarize = (done: number) => {
			const steps = resnetCascade(clf.model.layers, { lowest: 'res4f' }).map((s) => s.name);
			const table = METHODS.map((m, mi) => {
				const r = results[mi];
				// null (NaN in JSON) where a step was not run (Score-CAM's shortened cascade).
				const rand = steps.map((_, si) => (r.rand.length && si < r.rand[0].length ? mean(r.rand.map((row) => row[si])) : NaN));
				return {
					method: m.label,
					deletionAuc: mean(r.del),
					insertionAuc: mean(r.ins),
					afterTop12: mean(r.first),
					msPerMap: median(r.ms),
					randomization: Object.fromEntries(steps.map((s, si) => [s, rand[si]]))
				};
			});
			const out = {
				backend: tf.getBackend(),
				photos: photos.slice(0, done).map((p) => p.file),
				classProb: mean(base),
				randomizedPhotos: Math.min(done, RANDOMIZE),
				scoreCamSteps: SCORECAM_STEPS,
				random: { deletionAuc: mean(random.del), insertionAuc: mean(random.ins), afterTop12: mean(random.first) },
				methods: table,
				perPhoto
			};
			return out;
		};
		const before = tf.memory().numTensors;
		for (const [pi, p] of photos.entries()) {
			const frame = readPhoto(join(CONTENT, 'imagenet', p.file));
			const input = clf.preprocess(frame);
			const score = (b: tf.Tensor4D) => tf.tidy(() => tf.reshape(tf.slice(tf.softmax(clf.logits(b)), [0, p.classIndex], [-1, 1]), [-1]) as tf.Tensor1D);
			const noise = tf.randomUniform([7, 7], 0, 1, 'float32', 100 + pi) as tf.Tensor2D;
			const r = await faithfulness(noise, input, score, { random: false, batch: 8 });
			random.del.push(r.map.deletionAuc);
			random.ins.push(r.map.insertionAuc);
			random.first.push(r.map.deletion[1]);
			base.push(r.map.deletion[0]);
			const row: (typeof perPhoto)[number] = { class: p.name, p: r.map.deletion[0], random: { deletionAuc: r.map.deletionAuc, insertionAuc: r.map.insertionAuc }, methods: {} };
			perPhoto.push(row);
			for (const [mi, cam] of cams.entries()) {
				const t0 = performance.now();
				const heat = cam.heatmap(frame, { classIndex: p.classIndex });
				await heat.data();
				results[mi].ms.push(performance.now() - t0);
				const f: Curves = (await faithfulness(heat, input, score, { random: false, batch: 8 })).map;
				results[mi].del.push(f.deletionAuc);
				results[mi].ins.push(f.insertionAuc);
				results[mi].first.push(f.deletion[1]);
				row.methods[METHODS[mi].label] = { deletionAuc: f.deletionAuc, insertionAuc: f.insertionAuc, ms: results[mi].ms[pi] };
				heat.dispose();
				if (pi < RANDOMIZE) {
					const all = resnetCascade(clf.model.layers, { lowest: 'res4f' });
					const steps = METHODS[mi].name === 'scorecam' ? all.slice(0, SCORECAM_STEPS) : all;
					const cascade = await cascadingRandomization(steps, async () => {
						const h = cam.heatmap(frame, { classIndex: p.classIndex });
						try {
							return (await h.data()) as Float32Array;
						} finally {
							h.dispose();
						}
					});
					results[mi].rand.push(cascade.slice(1).map((c) => c.spearman));
				}
			}
			tf.dispose([frame, input, noise]);
			// The sheet so far, after every photo (a long run can be stopped and still leaves numbers).
			writeFileSync(join(ROOT, 'bench/results/explain-compare.json'), JSON.stringify(summarize(pi + 1), null, 2) + '\n');
			console.log(`photo ${pi + 1}/${PHOTOS} ${p.file}: p=${base[pi].toFixed(3)} random del ${random.del[pi].toFixed(3)} ` + METHODS.map((m, mi) => `${m.name} ${results[mi].del[pi].toFixed(3)}`).join(' '));
		}
		expect(tf.memory().numTensors).toBe(before);
		const out = summarize(PHOTOS);
		writeFileSync(join(ROOT, 'bench/results/explain-compare.json'), JSON.stringify(out, null, 2) + '\n');
		console.log(JSON.stringify(out, null, 2));
		for (const c of cams) c.dispose();
		clf.dispose();
	});
});
