/**
 * Helpers over a Keras-style functional model's layer graph (pure, build-time only: none of these
 * runs per frame).
 *
 * tfjs has no forward hooks; to get gradients of a class score with respect to an intermediate
 * activation we need the network *from that layer on* as its own function. `compileTail` builds it
 * once from the layers (same weights, no copies), in topological order, following each layer's
 * first inbound node.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dFastGrad, flipKernel } from '../../tf/conv-grad';
import { reluWith, type ReluRule } from './relu';
import type { StageName } from './types';

type Layer = tf.layers.Layer;

function inboundNames(layer: Layer): string[] {
	const node = layer.inboundNodes[0];
	return node ? node.inboundLayers.map((l) => l.name) : [];
}

/**
 * Keras layer names of every residual block's output ('res2a' … 'res5c': the relu after the block's
 * Add, whose residual branch comes from bn<S><b>_branch2c), in graph order.
 */
export function findBlockLayers(model: tf.LayersModel): Map<string, string> {
	const out = new Map<string, string>();
	for (const layer of model.layers) {
		if (layer.getClassName() !== 'Activation') continue;
		const [src] = inboundNames(layer);
		const srcLayer = model.layers.find((l) => l.name === src);
		if (!srcLayer || srcLayer.getClassName() !== 'Add') continue;
		const block = inboundNames(srcLayer)
			.map((n) => /^bn([2-5][a-z])_branch/.exec(n)?.[1])
			.find((s) => s != null);
		if (block) out.set(`res${block}`, layer.name);
	}
	return out;
}

/**
 * Keras layer names of the stage outputs of a ResNet: the relu after bn_conv1 ('conv1'), and the
 * output of the last block of each stage 2–5.
 */
export function findStageLayers(model: tf.LayersModel): Record<StageName, string> {
	const out: Partial<Record<StageName, string>> = {};
	const conv1 = model.layers.find((l) => l.getClassName() === 'Activation' && inboundNames(l)[0] === 'bn_conv1');
	if (conv1) out.conv1 = conv1.name;
	// Later blocks of a stage overwrite earlier ones: the map is in graph order.
	for (const [block, layer] of findBlockLayers(model)) out[`conv${block[3]}` as StageName] = layer;
	for (const s of ['conv1', 'conv2', 'conv3', 'conv4', 'conv5'] as StageName[]) {
		if (!out[s]) throw new Error(`classifier: no layer found for stage ${s}`);
	}
	return out as Record<StageName, string>;
}

/** A differentiable function over plain tensors, replaying part of the layer graph. */
export type TailFn = ((activation: tf.Tensor4D) => tf.Tensor) & { dispose(): void };

interface Step {
	name: string;
	inputs: string[];
	run: (xs: tf.Tensor[]) => tf.Tensor;
}

function activationFn(name: string, relu: ReluRule): (x: tf.Tensor) => tf.Tensor {
	if (name === 'relu') return reluWith(relu);
	if (name === 'linear') return (x) => x;
	if (name === 'softmax') return (x) => tf.softmax(x);
	throw new Error(`classifier: activation ${name} is not supported in a tail`);
}

/** One layer as plain (unfused) tfjs ops over its own weights (no copies). */
/**
 * Constants derived from the weights (folded batch norms, flipped kernels), made once per layer and
 * shared by every graph compiled with the same cache; `dispose()` frees them.
 */
export class ConstCache {
	private readonly map = new Map<string, tf.Tensor>();
	get<T extends tf.Tensor>(key: string, make: () => T): T {
		let t = this.map.get(key) as T | undefined;
		if (!t) {
			// Made inside whatever tidy is running (a gradient pass): kept, owned by the cache.
			t = tf.keep(tf.tidy(make));
			this.map.set(key, t);
		}
		return t;
	}
	dispose(): void {
		tf.dispose([...this.map.values()]);
		this.map.clear();
	}
}

function compileLayer(layer: Layer, relu: ReluRule, consts: ConstCache, fastGrad: boolean): Step['run'] {
	// tfjs-layers configs use camelCase keys (poolSize, dilationRate, dataFormat, …).
	const cfg = layer.getConfig() as Record<string, unknown>;
	const w = layer.getWeights();
	switch (layer.getClassName()) {
		case 'Conv2D': {
			if (cfg.dataFormat && cfg.dataFormat !== 'channelsLast') break;
			const strides = cfg.strides as [number, number];
			const dilations = (cfg.dilationRate ?? [1, 1]) as [number, number];
			const padding = cfg.padding as 'valid' | 'same';
			const act = activationFn(cfg.activation as string, relu);
			const [kernel, bias] = w as [tf.Tensor4D, tf.Tensor1D | undefined];
			// The input gradient by a forward convolution (tf/conv-grad.ts): twice as fast on wasm, for a copy of
			// the kernel made on the first backward pass (~94 MB for all of ResNet50): for the lab's nets.
			const conv =
				fastGrad && dilations[0] === 1 && dilations[1] === 1
					? conv2dFastGrad(kernel, strides, padding, () => consts.get(`${layer.name}/flipped`, () => flipKernel(kernel)))
					: (x: tf.Tensor4D) => tf.conv2d(x, kernel, strides, padding, 'NHWC', dilations);
			return ([x]) => {
				const y = conv(x as tf.Tensor4D);
				return act(bias ? tf.add(y, bias) : y);
			};
		}
		case 'BatchNormalization': {
			const axis = cfg.axis as number[] | number;
			const ax = Array.isArray(axis) ? axis[0] : axis;
			if (ax !== -1 && ax !== 3) break;
			let i = 0;
			const gamma = cfg.scale ? w[i++] : undefined;
			const beta = cfg.center ? w[i++] : undefined;
			const mean = w[i++];
			const variance = w[i++];
			const eps = cfg.epsilon as number;
			// Inference batch norm is x·a + b with constants a = γ/√(var+ε), b = β − mean·a. As plain ops its
			// gradient is dy·a; tf.batchNorm's gradient also reduces over every pixel for the mean, variance,
			// scale and offset (53 times in ResNet50), which the lab never needs.
			const a = consts.get(`${layer.name}/scale`, () => tf.div(gamma ?? tf.onesLike(variance), tf.sqrt(tf.add(variance, eps))));
			const b = consts.get(`${layer.name}/shift`, () => tf.sub(beta ?? tf.zerosLike(mean), tf.mul(mean, a)));
			return ([x]) => tf.add(tf.mul(x, a), b);
		}
		case 'Activation': {
			const act = activationFn(cfg.activation as string, relu);
			return ([x]) => act(x);
		}
		case 'Add':
			return (xs) => tf.addN(xs);
		case 'ZeroPadding2D': {
			const [[t, b], [l, r]] = cfg.padding as [[number, number], [number, number]];
			return ([x]) => tf.pad(x, [[0, 0], [t, b], [l, r], [0, 0]]);
		}
		case 'MaxPooling2D':
			return ([x]) =>
				tf.maxPool(x as tf.Tensor4D, cfg.poolSize as [number, number], cfg.strides as [number, number], cfg.padding as 'valid' | 'same');
		case 'GlobalAveragePooling2D':
			return ([x]) => tf.mean(x, [1, 2]);
		case 'Dense': {
			const act = activationFn(cfg.activation as string, relu);
			const [kernel, bias] = w as [tf.Tensor2D, tf.Tensor1D | undefined];
			return ([x]) => act(bias ? tf.add(tf.matMul(x as tf.Tensor2D, kernel), bias) : tf.matMul(x as tf.Tensor2D, kernel));
		}
	}
	// Anything else: the layer itself (fine for layers without weights to differentiate through).
	return (xs) => layer.apply(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor;
}

/** Functions over plain tensors replaying part of the graph: named inputs → every requested output. */
export type GraphFn = ((from: tf.Tensor) => Map<string, tf.Tensor>) & {
	/** Frees the constants made for it when it has its own cache (a shared cache is its owner's to free). */
	dispose(): void;
};

/**
 * The network from the output of layer `from` (or its input layer) to every layer in `to`, as a
 * function over plain tensors sharing the layers' weights, compiled once: only the layers needed up to
 * the deepest requested output run. `from` must cut the graph: no later layer may need an earlier one
 * (true for the input and for ResNet stage outputs, not inside a residual block). `relu` picks the
 * backward rule of every ReLU (relu.ts).
 *
 * Why not a tf.LayersModel built on a new Input: tfjs-layers runs Conv2D as fused conv2d, whose
 * gradient always computes the filter gradient too — twice the backward work, and a kernel the wasm
 * backend does not have (Conv2DBackpropFilter). Plain tf.conv2d differentiates only what is asked.
 */
export function compileGraph(
	model: tf.LayersModel,
	from: string,
	to: readonly string[],
	relu: ReluRule = 'plain',
	cache?: ConstCache,
	/** Input gradients of convolutions by forward convolutions (tf/conv-grad.ts); off: the backend's kernel. */
	fastGrad = false
): GraphFn {
	const consts = cache ?? new ConstCache();
	model.getLayer(from); // throws when missing
	for (const name of to) model.getLayer(name);
	const steps: Step[] = [];
	const known = new Set([from]);
	const pending = new Set(to.filter((n) => n !== from));
	let started = false;
	for (const layer of model.layers) {
		if (pending.size === 0) break;
		if (layer.name === from) {
			started = true;
			continue;
		}
		if (!started) continue;
		const ins = inboundNames(layer);
		const have = ins.filter((n) => known.has(n));
		if (have.length === 0) continue;
		if (have.length !== ins.length) {
			const missing = ins.filter((n) => !known.has(n));
			throw new Error(`classifier: ${from} does not cut the graph (${layer.name} also needs ${missing.join(', ')})`);
		}
		steps.push({ name: layer.name, inputs: ins, run: compileLayer(layer, relu, consts, fastGrad) });
		known.add(layer.name);
		pending.delete(layer.name);
	}
	if (pending.size > 0) {
		if (!cache) consts.dispose();
		throw new Error(`classifier: ${[...pending].join(', ')} not reachable from ${from}`);
	}
	const run = (input: tf.Tensor) => {
		const values = new Map<string, tf.Tensor>([[from, input]]);
		for (const step of steps) values.set(step.name, step.run(step.inputs.map((n) => values.get(n)!)));
		return new Map(to.map((n) => [n, values.get(n)!]));
	};
	return Object.assign(run, { dispose: () => (cache ? undefined : consts.dispose()) });
}

/** The network from layer `from` to layer `to` (compileGraph with one output and plain ReLUs). */
export function compileTail(model: tf.LayersModel, from: string, to: string, cache?: ConstCache): TailFn {
	const graph = compileGraph(model, from, [to], 'plain', cache);
	return Object.assign((activation: tf.Tensor4D) => graph(activation).get(to)!, { dispose: graph.dispose });
}
