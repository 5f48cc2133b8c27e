/**
 * Time per learning step of the style learner on tfjs-wasm in Node (one thread), with ResNet50 and the
 * shipped style network, at the presets' content sizes. Prints one JSON line per size; docs/learn.md
 * quotes them. Run: nice npx vitest run --config bench/learn/vitest.config.ts bench/learn/steps.measure.ts
 */
import * as tf from '@tensorflow/tfjs';
import { it } from 'vitest';
import { contentFeatures, learnRows, rowOfBlend, styleTargets, TRAINING_LOSS, type LearnProblem } from '../../src/lib/learn/learner';
import { loadParts } from '../../src/lib/models/style-net';
import { disposeParams } from '../../src/lib/models/style-net/forward';
import { forwardOf } from '../../src/lib/optvis/modes/common';
import { loadClassifier, photo, readPhoto } from '../../tests/unit/models/classifier-helpers';
import { diskFetch, MODEL_URL } from '../../tests/unit/models/style-net-helpers';

const SIZES = (process.env.LEARN_SIZES ?? '128,160').split(',').map(Number);
const BATCH = Number(process.env.LEARN_BATCH ?? 2);
const STEPS = Number(process.env.LEARN_STEPS ?? 6);

it('time per step', async () => {
	const clf = await loadClassifier();
	const net = await loadParts({ url: MODEL_URL, fetch: diskFetch() });
	const lossNet = forwardOf(clf);
	const art = readPhoto(photo('mate-backgrounds__Storm.jpg'), 512, 384);
	let t = performance.now();
	const targets = styleTargets(lossNet, art, TRAINING_LOSS);
	await Promise.all(Object.values(targets).map((x) => x.data()));
	const targetMs = performance.now() - t;
	for (const size of SIZES) {
		const contents = tf.stack(['plasma__Path.jpg', 'mate-backgrounds__Garden.jpg'].slice(0, BATCH).map((f) => readPhoto(photo(f), size, size))) as tf.Tensor4D;
		const problem: LearnProblem = { net, lossNet, contents, contentFeats: contentFeatures(lossNet, contents, TRAINING_LOSS), targets, loss: TRAINING_LOSS };
		const init = await rowOfBlend(net, Array.from({ length: 12 }, (_, i) => (i === 0 ? 1 : 0)));
		const marks: number[] = [];
		t = performance.now();
		for await (const s of learnRows(problem, { steps: STEPS, lr: 0.01, batch: BATCH, init })) marks.push(s.elapsedMs);
		const perStep = (marks[marks.length - 1] - marks[0]) / (marks.length - 1);
		console.log(JSON.stringify({ backend: tf.getBackend(), size, batch: BATCH, steps: STEPS, firstStepMs: Math.round(marks[0]), msPerStep: Math.round(perStep), targetMs: Math.round(targetMs) }));
		tf.dispose([contents, problem.contentFeats]);
	}
	tf.dispose([art, ...Object.values(targets)]);
	disposeParams(net.params);
	clf.dispose();
});
