/**
 * ImageNet classifier (ResNet50, Keras weights, quantized by scripts/prepare-classifier.mjs) with the
 * stage activations the explanation views need, from ONE multi-output model built at load.
 *
 *   const clf = await load({ taps: ['conv5'] });
 *   const top = await clf.classify(frame);           // [{ index, label, prob }, …]
 *   const { logits, taps } = clf.forward(frame);     // tensors: caller disposes
 *   clf.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { compileGraph, compileTail, ConstCache, findBlockLayers, findStageLayers, type TailFn } from './graph';
import { preprocessFrame } from './preprocess';
import { topKFromProbs } from './topk';
import {
	STAGES,
	type Classifier,
	type ClassifierConfig,
	type ForwardResult,
	type NetFn,
	type NetOptions,
	type Prediction,
	type ResolvedClassifierConfig,
	type StageName
} from './types';

export * from './types';
export { preprocessFrame, deprocess, caffeInput, IMAGENET_MEAN_BGR, MEAN_RGB01 } from './preprocess';
export { compileGraph, compileTail, ConstCache, findBlockLayers, findStageLayers, type GraphFn, type TailFn } from './graph';
export { reluWith, RELU_RULES, type ReluRule } from './relu';
export { topKFromProbs } from './topk';

const DEFAULT_URL = '/models/resnet50/';
const INPUT_SIZE = 224;

/** Fills load-time defaults (the one place they live). */
function fillConfig(config: ClassifierConfig = {}): ResolvedClassifierConfig {
	const url = config.url ?? DEFAULT_URL;
	const taps = config.taps ?? [...STAGES];
	for (const t of taps) if (!STAGES.includes(t)) throw new Error(`classifier: unknown tap "${t}" (use ${STAGES.join(', ')})`);
	return {
		url: url.endsWith('/') ? url : `${url}/`,
		// Stage order, no duplicates.
		taps: STAGES.filter((s) => taps.includes(s)),
		fetchFunc: config.fetchFunc,
		warmUp: config.warmUp ?? true
	};
}

async function loadLabels(url: string, fetchFunc?: typeof fetch): Promise<string[]> {
	const res = await (fetchFunc ?? fetch)(`${url}labels.json`);
	if (!res.ok) throw new Error(`classifier: could not load ${url}labels.json (${res.status})`);
	const labels = (await res.json()) as unknown;
	if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string')) {
		throw new Error(`classifier: ${url}labels.json is not a list of labels`);
	}
	return labels as string[];
}

export async function load(config: ClassifierConfig = {}): Promise<Classifier> {
	const cfg = fillConfig(config);
	const [model, labels] = await Promise.all([
		tf.loadLayersModel(`${cfg.url}model.json`, cfg.fetchFunc ? { fetchFunc: cfg.fetchFunc } : undefined),
		loadLabels(cfg.url, cfg.fetchFunc)
	]);
	try {
		return build(model, labels, cfg);
	} catch (err) {
		model.dispose();
		throw err;
	}
}

async function build(model: tf.LayersModel, labels: readonly string[], cfg: ResolvedClassifierConfig): Promise<Classifier> {
	const last = model.layers[model.layers.length - 1];
	if (last.getClassName() !== 'Dense') throw new Error('classifier: the model does not end in a Dense layer');
	const pooledName = last.inboundNodes[0].inboundLayers[0].name;
	const [kernel, bias] = last.getWeights() as [tf.Tensor2D, tf.Tensor1D];
	const conv1Kernel = model.getLayer('conv1').getWeights()[0] as tf.Tensor4D;
	const stageLayers = findStageLayers(model);
	const blockLayers = findBlockLayers(model);
	const inputName = model.inputs[0].sourceLayer.name;

	// ONE multi-output model for every tap plus the pooled features (logits = pooled · W + b: the
	// softmax of fc1000 is applied only where probabilities are asked for).
	const outputs = [...cfg.taps.map((t) => model.getLayer(stageLayers[t]).output), model.getLayer(pooledName).output] as tf.SymbolicTensor[];
	const multi = tf.model({ inputs: model.inputs, outputs, name: 'classifier_taps' });
	// The rest of the network after each tapped stage, built once.
	// Folded batch norms and flipped kernels, shared by every compiled graph and tail of this classifier.
	const consts = new ConstCache();
	const tails = new Map<StageName, TailFn>();
	for (const t of cfg.taps) tails.set(t, compileTail(model, stageLayers[t], pooledName, consts));

	const linear = (pooled: tf.Tensor2D): tf.Tensor2D => tf.add(tf.matMul(pooled, kernel), bias);
	const asInput = (x: tf.Tensor3D | tf.Tensor4D): tf.Tensor4D => (x.rank === 3 ? preprocessFrame(x as tf.Tensor3D, INPUT_SIZE) : (x as tf.Tensor4D));

	/** A net() output name → the Keras layer it reads. */
	const layerOf = (name: string): string => {
		if (name === 'logits' || name === 'pooled') return pooledName;
		if ((STAGES as readonly string[]).includes(name)) return stageLayers[name as StageName];
		const block = blockLayers.get(name);
		if (block) return block;
		try {
			model.getLayer(name);
		} catch {
			throw new Error(`classifier: no layer "${name}" (use logits, pooled, ${STAGES.join(', ')}, res2a … res5c or a Keras layer name)`);
		}
		return name;
	};
	const nets = new Map<string, NetFn>();

	const compileNet = ({ outputs, relu = 'plain' }: NetOptions): NetFn => {
		if (outputs.length === 0) throw new Error('classifier: net() needs at least one output');
		const layers = [...new Set(outputs.map(layerOf))];
		const graph = compileGraph(model, inputName, layers, relu, consts, true);
		return (input) => {
			alive();
			const values = graph(input);
			const out: Record<string, tf.Tensor> = {};
			for (const name of outputs) {
				const v = values.get(layerOf(name))!;
				out[name] = name === 'logits' ? linear(v as tf.Tensor2D) : v;
			}
			return out;
		};
	};

	let disposed = false;
	const alive = () => {
		if (disposed) throw new Error('classifier: used after dispose()');
	};

	const forward = (input: tf.Tensor3D | tf.Tensor4D): ForwardResult => {
		alive();
		return tf.tidy(() => {
			const res = multi.apply(asInput(input), { training: false }) as tf.Tensor[];
			const out: ForwardResult = { logits: linear(res[res.length - 1] as tf.Tensor2D), taps: {} };
			cfg.taps.forEach((t, i) => (out.taps[t] = res[i] as tf.Tensor4D));
			return out as unknown as tf.TensorContainer;
		}) as unknown as ForwardResult;
	};

	const logits = (input: tf.Tensor3D | tf.Tensor4D): tf.Tensor2D => {
		alive();
		return tf.tidy(() => {
			// Only the pooled features are needed: run the original graph to that layer.
			const res = multi.apply(asInput(input), { training: false }) as tf.Tensor[];
			return linear(res[res.length - 1] as tf.Tensor2D);
		});
	};

	const topK = async (lg: tf.Tensor2D, k = 5): Promise<Prediction[]> => {
		const probs = tf.tidy(() => tf.softmax(tf.squeeze(tf.slice(lg, [0, 0], [1, -1]), [0])));
		const data = await probs.data();
		probs.dispose();
		return topKFromProbs(data, labels, k);
	};

	const classifier: Classifier = {
		labels,
		taps: cfg.taps,
		inputSize: INPUT_SIZE,
		stageLayers,
		blocks: [...blockLayers.keys()],
		net(options) {
			alive();
			const key = `${options.relu ?? 'plain'}|${options.outputs.join(',')}`;
			let fn = nets.get(key);
			if (!fn) nets.set(key, (fn = compileNet(options)));
			return fn;
		},
		fc: { kernel, bias },
		conv1Kernel,
		model,
		preprocess: (frame) => preprocessFrame(frame, INPUT_SIZE),
		forward,
		logits,
		topK,
		async classify(frame, k = 5) {
			const lg = logits(frame);
			try {
				return await topK(lg, k);
			} finally {
				lg.dispose();
			}
		},
		head(stage, activation) {
			alive();
			const tail = tails.get(stage);
			if (!tail) throw new Error(`classifier: stage ${stage} is not tapped (taps: ${cfg.taps.join(', ')})`);
			return tf.tidy(() => linear(tail(activation) as tf.Tensor2D));
		},
		dispose() {
			if (disposed) return;
			disposed = true;
			// The tails, nets and the multi-output model share the loaded model's weights; only the folded
			// batch-norm constants of the compiled graphs are their own.
			tails.clear();
			nets.clear();
			consts.dispose();
			model.dispose();
		}
	};

	if (cfg.warmUp) {
		const warm = tf.tidy(() => {
			const out = forward(tf.zeros([1, INPUT_SIZE, INPUT_SIZE, 3]) as tf.Tensor4D);
			const last = cfg.taps[cfg.taps.length - 1];
			// Touch the gradient path too, so the first explanation is not slow either.
			const tail = last ? tf.sum(classifier.head(last, out.taps[last]!)) : tf.scalar(0);
			return tf.add(tf.sum(out.logits), tail);
		});
		await warm.data();
		warm.dispose();
	}
	return classifier;
}
