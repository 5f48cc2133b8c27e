/**
 * A classifier load that fails frees everything it loaded. The models here are small Keras-style
 * models built with tf.layers, saved to model.json + weights.bin in memory and served by a fetchFunc,
 * so load() runs as it does on the real ResNet50 — fetch, parse, build, warm up — and fails for real:
 * in the Dense check, in the warm-up, or on a missing labels.json.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { load, type ClassifierConfig } from '../../../src/lib/models/classifier';

beforeAll(async () => {
	await tf.setBackend('cpu');
	await tf.ready();
});

type Files = Map<string, ArrayBuffer | string>;

/** model.json + weights.bin of a model, as tf.io would write them, and labels.json with `classes` labels. */
async function filesOf(model: tf.LayersModel, classes: number, labels = true): Promise<Files> {
	let artifacts: tf.io.ModelArtifacts | null = null;
	await model.save(
		tf.io.withSaveHandler(async (a) => {
			artifacts = a;
			return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
		})
	);
	const a = artifacts! as tf.io.ModelArtifacts;
	const data = a.weightData!;
	const files: Files = new Map();
	files.set('model.json', JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] }));
	files.set('weights.bin', Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : (data as ArrayBuffer));
	if (labels) files.set('labels.json', JSON.stringify(Array.from({ length: classes }, (_, i) => `class ${i}`)));
	return files;
}

const serve = (files: Files) =>
	(async (input: RequestInfo | URL) => {
		const url = String(input);
		const body = files.get(url.slice(url.lastIndexOf('/') + 1));
		return body === undefined ? new Response('not found', { status: 404 }) : new Response(body, { status: 200 });
	}) as typeof fetch;

const config = (files: Files, extra: ClassifierConfig = {}): ClassifierConfig => ({ url: 'http://test/models/tiny/', fetchFunc: serve(files), ...extra });

/** conv1 → pooling → Dense → softmax as a layer of its own: the model does not end in a Dense layer. */
function softmaxLast(): tf.LayersModel {
	const input = tf.input({ shape: [8, 8, 3] });
	let x = tf.layers.conv2d({ name: 'conv1', filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
	x = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
	x = tf.layers.dense({ name: 'fc1000', units: 3 }).apply(x) as tf.SymbolicTensor;
	x = tf.layers.activation({ name: 'probs', activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
	return tf.model({ inputs: input, outputs: x });
}

/**
 * A ResNet in miniature (the layer names the classifier looks for: conv1, bn_conv1, one residual block
 * per stage 2–5 with bn<S>a_branch2c) that builds fine, but flattens a fixed 32² input before its Dense
 * head: the warm-up's 224² input does not fit the head, so the warm-up throws.
 */
function fixedSizeResNet(): tf.LayersModel {
	const input = tf.input({ shape: [32, 32, 3] });
	const layer = <L extends tf.layers.Layer>(l: L, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => l.apply(x) as tf.SymbolicTensor;
	let x = layer(tf.layers.conv2d({ name: 'conv1', filters: 4, kernelSize: 3, padding: 'same' }), input);
	x = layer(tf.layers.batchNormalization({ name: 'bn_conv1' }), x);
	x = layer(tf.layers.activation({ name: 'activation', activation: 'relu' }), x);
	for (const s of [2, 3, 4, 5]) {
		let y = layer(tf.layers.conv2d({ name: `res${s}a_branch2c`, filters: 4, kernelSize: 1 }), x);
		y = layer(tf.layers.batchNormalization({ name: `bn${s}a_branch2c` }), y);
		const sum = layer(tf.layers.add({ name: `add_${s}` }), [y, x]);
		x = layer(tf.layers.activation({ name: `activation_${s}`, activation: 'relu' }), sum);
	}
	x = layer(tf.layers.flatten({ name: 'flatten' }), x);
	x = layer(tf.layers.dense({ name: 'fc1000', units: 3 }), x);
	return tf.model({ inputs: input, outputs: x });
}

/** The files of a model built here (the model itself is freed: only the files remain). */
async function saved(make: () => tf.LayersModel, labels = true): Promise<Files> {
	const model = make();
	try {
		return await filesOf(model, 3, labels);
	} finally {
		model.dispose();
	}
}

describe('classifier: a load that fails frees what it loaded', () => {
	it('the model does not end in a Dense layer: rejects, and no tensor is left', async () => {
		const files = await saved(softmaxLast);
		const before = tf.memory().numTensors;
		await expect(load(config(files))).rejects.toThrow(/does not end in a Dense layer/);
		expect(tf.memory().numTensors).toBe(before);
	});

	it('the warm-up throws: rejects, and neither the weights nor the folded constants are left', async () => {
		const files = await saved(fixedSizeResNet);
		// Without the warm-up the model builds: it is the warm-up that fails below.
		const ok = await load(config(files, { warmUp: false }));
		expect(ok.blocks).toEqual(['res2a', 'res3a', 'res4a', 'res5a']);
		ok.dispose();
		const before = tf.memory().numTensors;
		await expect(load(config(files))).rejects.toThrow();
		expect(tf.memory().numTensors).toBe(before);
	});

	it('labels.json is missing: rejects, and the model loaded beside it is freed', async () => {
		const files = await saved(softmaxLast, false);
		const before = tf.memory().numTensors;
		await expect(load(config(files))).rejects.toThrow(/could not load .*labels\.json \(404\)/);
		// The model's own load may still be on its way when the labels fail: load the same files again and
		// let that finish (it started later, so the first is done by then) before counting.
		(await tf.loadLayersModel('http://test/models/tiny/model.json', { fetchFunc: serve(files) })).dispose();
		expect(tf.memory().numTensors).toBe(before);
	});
});
