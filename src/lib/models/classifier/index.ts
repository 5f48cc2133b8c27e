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

/** Fetches the model and its labels, builds the classifier and warms it up; a failure frees everything it loaded. */
export async function load(config: ClassifierConfig = {}): Promise<Classifier> {
	const cfg = fillConfig(config);
	const [model, labels] = await Promise.allSettled([
		tf.loadLayersModel(`${cfg.url}model.json`, cfg.fetchFunc ? { fetchFunc: cfg.fetchFunc } : undefined),
		loadLabels(cfg.url, cfg.fetchFunc)
	]);
	if (model.status === 'rejected') throw model.reason;
	if (labels.status === 'rejected') {
		model.value.dispose();
		throw labels.reason;
	}
	return LoadedClassifier.build(model.value, labels.value, cfg);
}

/** ResNet50 with its taps, compiled graphs and tails; owns the loaded model and the constants folded from it. */
class LoadedClassifier implements Classifier {
	readonly taps: readonly StageName[];
	readonly inputSize = INPUT_SIZE;
	readonly stageLayers: Readonly<Record<StageName, string>>;
	readonly blocks: readonly string[];
	readonly fc: { kernel: tf.Tensor2D; bias: tf.Tensor1D };
	readonly conv1Kernel: tf.Tensor4D;
	private readonly pooledName: string;
	private readonly blockLayers: Map<string, string>;
	private readonly inputName: string;
	/** ONE multi-output model for every tap plus the pooled features (logits = pooled · W + b). */
	private readonly multi: tf.LayersModel;
	/** The rest of the network after each tapped stage, built once. */
	private readonly tails = new Map<StageName, TailFn>();
	/** Compiled differentiable nets, by outputs and ReLU rule. */
	private readonly nets = new Map<string, NetFn>();
	private disposed = false;

	/**
	 * Builds and warms up a classifier over a loaded model. On any failure (no Dense head, a missing
	 * layer, a warm-up that throws) the model and every constant made so far are freed before the error
	 * goes on: a failed load leaves no tensor behind.
	 */
	static async build(model: tf.LayersModel, labels: readonly string[], cfg: ResolvedClassifierConfig): Promise<LoadedClassifier> {
		// Folded batch norms and flipped kernels, shared by every compiled graph and tail of this classifier.
		const consts = new ConstCache();
		try {
			const classifier = new LoadedClassifier(model, labels, cfg.taps, consts);
			if (cfg.warmUp) await classifier.warmUp();
			return classifier;
		} catch (err) {
			consts.dispose();
			model.dispose();
			throw err;
		}
	}

	private constructor(
		readonly model: tf.LayersModel,
		readonly labels: readonly string[],
		taps: readonly StageName[],
		private readonly consts: ConstCache
	) {
		const last = model.layers[model.layers.length - 1];
		if (last.getClassName() !== 'Dense') throw new Error('classifier: the model does not end in a Dense layer');
		this.taps = taps;
		this.pooledName = last.inboundNodes[0].inboundLayers[0].name;
		const [kernel, bias] = last.getWeights() as [tf.Tensor2D, tf.Tensor1D];
		this.fc = { kernel, bias };
		this.conv1Kernel = model.getLayer('conv1').getWeights()[0] as tf.Tensor4D;
		this.stageLayers = findStageLayers(model);
		this.blockLayers = findBlockLayers(model);
		this.blocks = [...this.blockLayers.keys()];
		this.inputName = model.inputs[0].sourceLayer.name;
		// The softmax of fc1000 is applied only where probabilities are asked for.
		const outputs = [...taps.map((t) => model.getLayer(this.stageLayers[t]).output), model.getLayer(this.pooledName).output] as tf.SymbolicTensor[];
		this.multi = tf.model({ inputs: model.inputs, outputs, name: 'classifier_taps' });
		for (const t of taps) this.tails.set(t, compileTail(model, this.stageLayers[t], this.pooledName, consts));
	}

	/** One prediction on zeros, through the gradient path too, so the first real frame is not slow either. */
	private async warmUp(): Promise<void> {
		const warm = tf.tidy(() => {
			const out = this.forward(tf.zeros([1, INPUT_SIZE, INPUT_SIZE, 3]) as tf.Tensor4D);
			const last = this.taps[this.taps.length - 1];
			const tail = last ? tf.sum(this.head(last, out.taps[last]!)) : tf.scalar(0);
			return tf.add(tf.sum(out.logits), tail);
		});
		try {
			await warm.data();
		} finally {
			warm.dispose();
		}
	}

	private alive(): void {
		if (this.disposed) throw new Error('classifier: used after dispose()');
	}

	private linear(pooled: tf.Tensor2D): tf.Tensor2D {
		return tf.add(tf.matMul(pooled, this.fc.kernel), this.fc.bias);
	}

	private asInput(x: tf.Tensor3D | tf.Tensor4D): tf.Tensor4D {
		return x.rank === 3 ? preprocessFrame(x as tf.Tensor3D, INPUT_SIZE) : (x as tf.Tensor4D);
	}

	/** A net() output name → the Keras layer it reads. */
	private layerOf(name: string): string {
		if (name === 'logits' || name === 'pooled') return this.pooledName;
		if ((STAGES as readonly string[]).includes(name)) return this.stageLayers[name as StageName];
		const block = this.blockLayers.get(name);
		if (block) return block;
		try {
			this.model.getLayer(name);
		} catch {
			throw new Error(`classifier: no layer "${name}" (use logits, pooled, ${STAGES.join(', ')}, res2a … res5c or a Keras layer name)`);
		}
		return name;
	}

	private compileNet({ outputs, relu = 'plain' }: NetOptions): NetFn {
		if (outputs.length === 0) throw new Error('classifier: net() needs at least one output');
		const layers = [...new Set(outputs.map((o) => this.layerOf(o)))];
		const graph = compileGraph(this.model, this.inputName, layers, relu, this.consts, true);
		return (input) => {
			this.alive();
			const values = graph(input);
			const out: Record<string, tf.Tensor> = {};
			for (const name of outputs) {
				const v = values.get(this.layerOf(name))!;
				out[name] = name === 'logits' ? this.linear(v as tf.Tensor2D) : v;
			}
			return out;
		};
	}

	net(options: NetOptions): NetFn {
		this.alive();
		const key = `${options.relu ?? 'plain'}|${options.outputs.join(',')}`;
		let fn = this.nets.get(key);
		if (!fn) this.nets.set(key, (fn = this.compileNet(options)));
		return fn;
	}

	preprocess(frame: tf.Tensor3D): tf.Tensor4D {
		return preprocessFrame(frame, INPUT_SIZE);
	}

	forward(input: tf.Tensor3D | tf.Tensor4D): ForwardResult {
		this.alive();
		return tf.tidy(() => {
			const res = this.multi.apply(this.asInput(input), { training: false }) as tf.Tensor[];
			const out: ForwardResult = { logits: this.linear(res[res.length - 1] as tf.Tensor2D), taps: {} };
			this.taps.forEach((t, i) => (out.taps[t] = res[i] as tf.Tensor4D));
			return out as unknown as tf.TensorContainer;
		}) as unknown as ForwardResult;
	}

	logits(input: tf.Tensor3D | tf.Tensor4D): tf.Tensor2D {
		this.alive();
		return tf.tidy(() => {
			// Only the pooled features are needed: run the original graph to that layer.
			const res = this.multi.apply(this.asInput(input), { training: false }) as tf.Tensor[];
			return this.linear(res[res.length - 1] as tf.Tensor2D);
		});
	}

	async topK(lg: tf.Tensor2D, k = 5): Promise<Prediction[]> {
		const probs = tf.tidy(() => tf.softmax(tf.squeeze(tf.slice(lg, [0, 0], [1, -1]), [0])));
		const data = await probs.data();
		probs.dispose();
		return topKFromProbs(data, this.labels, k);
	}

	async classify(frame: tf.Tensor3D, k = 5): Promise<Prediction[]> {
		const lg = this.logits(frame);
		try {
			return await this.topK(lg, k);
		} finally {
			lg.dispose();
		}
	}

	head(stage: StageName, activation: tf.Tensor4D): tf.Tensor2D {
		this.alive();
		const tail = this.tails.get(stage);
		if (!tail) throw new Error(`classifier: stage ${stage} is not tapped (taps: ${this.taps.join(', ')})`);
		return tf.tidy(() => this.linear(tail(activation) as tf.Tensor2D));
	}

	dispose(): void {
		if (this.disposed) return;
		this.disposed = true;
		// The tails, nets and the multi-output model share the loaded model's weights; only the folded
		// batch-norm constants of the compiled graphs are their own.
		this.tails.clear();
		this.nets.clear();
		this.consts.dispose();
		this.model.dispose();
	}
}
