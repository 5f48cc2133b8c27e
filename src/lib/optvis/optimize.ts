/**
 * The one optimizer loop every gradient mode of the lab runs: an async generator that changes an image
 * parameterization to minimize an objective through the network, one step per iteration, each step
 * its own tidy, yielding progress (and a preview every k steps) and stopping on an AbortSignal
 * (between steps, within one step's time, freeing everything it made). Computing only: showing the
 * progress is the caller's business.
 *
 *   for await (const p of optimize({ forward, objective, param, steps: 100 })) show(p);
 */
import * as tf from '@tensorflow/tfjs';
import type { PixelImage } from '../render/pixels';
import { tensorToPixels } from '../render/pixel-tensors';
import type { Objective, Taps } from './objectives';
import type { ImageParam } from './param';
import { seededRng, type Rng, type Transform } from './transforms';

/** The network as the objective sees it: image [1,H,W,3] RGB in [0,1] → the outputs `layers` names. */
export type Forward = (image: tf.Tensor4D, layers: readonly string[]) => Record<string, tf.Tensor>;

/**
 * How a step changes the variables from the gradient g of the loss:
 *   adam        Adam (Kingma & Ba) at rate lr;
 *   normalized  v −= lr · g / mean|g|  (DeepDream's step);
 *   sign        v −= lr · sign(g)       (FGSM and its iterative form).
 */
export type StepRule = 'adam' | 'normalized' | 'sign';

export interface OptimizeOptions {
	forward: Forward;
	objective: Objective;
	param: ImageParam;
	steps: number;
	rule?: StepRule;
	/** Step size (default 0.05 for adam, 0.01 otherwise). */
	lr?: number;
	/** Random transforms applied before the network, a new draw per step. */
	transform?: Transform;
	/** After each step (and project()): e.g. blur the pixels every k steps. Runs in its own tidy. */
	afterStep?: (step: number, param: ImageParam) => void;
	/** Yield a preview every this many steps (and at the last); 0: never. */
	previewEvery?: number;
	signal?: AbortSignal;
	seed?: number;
	rng?: Rng;
}

export interface OptimizeProgress {
	/** Steps done (1-based). */
	step: number;
	steps: number;
	loss: number;
	elapsedMs: number;
	preview?: PixelImage;
}

export async function* optimize(o: OptimizeOptions): AsyncGenerator<OptimizeProgress, void> {
	const rule = o.rule ?? 'adam';
	const lr = o.lr ?? (rule === 'adam' ? 0.05 : 0.01);
	const rng = o.rng ?? seededRng(o.seed ?? 0);
	const adam = rule === 'adam' ? tf.train.adam(lr) : null;
	const layers = o.objective.layers;
	const t0 = performance.now();
	try {
		for (let step = 1; step <= o.steps; step++) {
			o.signal?.throwIfAborted();
			const value = tf.tidy(() => {
				const loss = () =>
					tf.tidy(() => {
						const image = o.param.image();
						const seen = o.transform ? o.transform(image, rng) : image;
						const taps: Taps = { ...(layers.length ? o.forward(seen, layers) : {}), image };
						return o.objective.fn(taps);
					});
				const { value, grads } = tf.variableGrads(loss, o.param.variables);
				if (adam) adam.applyGradients(grads as unknown as tf.NamedTensorMap & Record<string, tf.Variable>);
				else
					for (const v of o.param.variables) {
						const g = grads[v.name];
						const delta = rule === 'sign' ? tf.sign(g) : tf.div(g, tf.add(tf.mean(tf.abs(g)), 1e-8));
						v.assign(tf.sub(v, tf.mul(delta, lr)));
					}
				return value;
			});
			o.param.project();
			if (o.afterStep) tf.tidy(() => o.afterStep!(step, o.param));
			const [loss] = await value.data();
			value.dispose();
			const progress: OptimizeProgress = { step, steps: o.steps, loss, elapsedMs: performance.now() - t0 };
			const every = o.previewEvery ?? 0;
			if (every > 0 && (step % every === 0 || step === o.steps)) progress.preview = await previewOf(o.param);
			yield progress;
		}
	} finally {
		adam?.dispose();
	}
}

/** The parameterization's current picture as plain RGBA. */
export async function previewOf(param: ImageParam): Promise<PixelImage> {
	const img = tf.tidy(() => tf.squeeze(param.image(), [0]) as tf.Tensor3D);
	try {
		return await tensorToPixels(img);
	} finally {
		img.dispose();
	}
}
