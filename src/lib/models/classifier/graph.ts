/**
 * Helpers over a Keras-style functional model's layer graph (pure, build-time only: none of these
 * runs per frame).
 *
 * tfjs has no forward hooks; to get gradients of a class score with respect to an intermediate
 * activation we need the network *from that layer on* as its own model. `replayFrom` builds it once
 * by applying the original layers (same weights, no copies) to a new Input, in topological order,
 * following each layer's first inbound node.
 */
import * as tf from '@tensorflow/tfjs';
import type { StageName } from './types';

type Layer = tf.layers.Layer;

function inboundNames(layer: Layer): string[] {
	const node = layer.inboundNodes[0];
	return node ? node.inboundLayers.map((l) => l.name) : [];
}

/**
 * Keras layer names of the stage outputs of a ResNet: the relu after bn_conv1 ('conv1'), and the
 * relu after the last Add of each stage 2–5 (the Add whose residual branch comes from bn<S>…).
 */
export function findStageLayers(model: tf.LayersModel): Record<StageName, string> {
	const out: Partial<Record<StageName, string>> = {};
	for (const layer of model.layers) {
		if (layer.getClassName() !== 'Activation') continue;
		const [src] = inboundNames(layer);
		if (src === 'bn_conv1') {
			out.conv1 = layer.name;
			continue;
		}
		const srcLayer = model.layers.find((l) => l.name === src);
		if (!srcLayer || srcLayer.getClassName() !== 'Add') continue;
		const stage = inboundNames(srcLayer)
			.map((n) => /^bn([2-5])[a-z]_branch/.exec(n)?.[1])
			.find((s) => s != null);
		// Later blocks of a stage overwrite earlier ones: layers are in topological order.
		if (stage) out[`conv${stage}` as StageName] = layer.name;
	}
	for (const s of ['conv1', 'conv2', 'conv3', 'conv4', 'conv5'] as StageName[]) {
		if (!out[s]) throw new Error(`classifier: no layer found for stage ${s}`);
	}
	return out as Record<StageName, string>;
}

/**
 * A model from the output of layer `from` to the output of layer `to`, sharing the original
 * layers' weights. `from` must cut the graph: no layer after it may need a layer before it
 * (true for ResNet stage outputs, not for the inside of a residual block).
 */
export function replayFrom(model: tf.LayersModel, from: string, to: string): tf.LayersModel {
	const fromLayer = model.getLayer(from);
	const shape = fromLayer.outputShape as (number | null)[];
	const input = tf.input({ shape: shape.slice(1) as number[], name: `${from}_replay_input` });
	const sym = new Map<string, tf.SymbolicTensor>([[from, input]]);
	let started = false;
	for (const layer of model.layers) {
		if (layer.name === from) {
			started = true;
			continue;
		}
		if (!started) continue;
		const ins = inboundNames(layer);
		const have = ins.map((n) => sym.get(n));
		if (have.every((x) => x === undefined)) continue;
		const missing = ins.filter((_, i) => have[i] === undefined);
		if (missing.length) {
			throw new Error(`classifier: ${from} does not cut the graph (${layer.name} also needs ${missing.join(', ')})`);
		}
		const xs = have as tf.SymbolicTensor[];
		sym.set(layer.name, layer.apply(xs.length === 1 ? xs[0] : xs) as tf.SymbolicTensor);
		if (layer.name === to) break;
	}
	const output = sym.get(to);
	if (!output) throw new Error(`classifier: ${to} is not reachable from ${from}`);
	return tf.model({ inputs: input, outputs: output, name: `${from}_to_${to}` });
}
