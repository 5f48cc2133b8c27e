/**
 * Where a frame of the style network goes, for the bench (the /bench page on each backend, and
 * `node bench/profile-net.mjs` on tfjs-wasm in Node): the per-kernel table of one frame (tf.profile),
 * the kernel count (on WebGL, the shader passes of a frame), the network's arithmetic rate, and its
 * convolution floor (the network's convolutions alone, the same shapes, the same backend and threads).
 */
import * as tf from '@tensorflow/tfjs';
import type { StyleNet, StyleNetManifest } from '../models/style-net';
import { time, type Clock, type Timing } from './timing';

/** One convolution of the op program at a given frame size (input as the conv reads it, padded). */
export interface ConvStep {
	name: string;
	depthwise: boolean;
	/** [height, width, channels] the convolution reads (after its reflection padding). */
	input: [number, number, number];
	/** [height, width, channels] it writes. */
	output: [number, number, number];
	kernel: [number, number];
	stride: number;
	/** Multiply-adds. */
	macs: number;
}

/** The convolutions the op program runs on an H×W frame, in order (the frame padded to padToMultiple first). */
export function convSteps(manifest: StyleNetManifest, H: number, W: number): ConvStep[] {
	const m = manifest.input.padToMultiple;
	let h = Math.ceil(H / m) * m;
	let w = Math.ceil(W / m) * m;
	let c = 3;
	const steps: ConvStep[] = [];
	for (const o of manifest.ops) {
		if (o.op === 'conv') {
			const [kh, kw] = o.kernel;
			const ih = h + 2 * o.pad;
			const iw = w + 2 * o.pad;
			h = Math.floor((ih - kh) / o.stride) + 1;
			w = Math.floor((iw - kw) / o.stride) + 1;
			const perOut = o.depthwise ? kh * kw : kh * kw * o.cin;
			steps.push({ name: o.name, depthwise: o.depthwise, input: [ih, iw, c], output: [h, w, o.cout], kernel: [kh, kw], stride: o.stride, macs: h * w * o.cout * perOut });
			c = o.cout;
		} else if (o.op === 'upsample') {
			h *= o.factor;
			w *= o.factor;
		}
	}
	return steps;
}

export interface KernelRow {
	kernel: string;
	calls: number;
	ms: number;
	/** Fraction of the summed kernel time. */
	share: number;
}

/** Kernels that only relabel a tensor's shape or dtype (no pass over the data on WebGL when the
 * dtype already matches, as it does in the network). */
const VIEW_KERNELS = new Set(['Reshape', 'ExpandDims', 'Squeeze', 'Cast', 'Identity']);

export interface FrameProfile {
	/** Kernels run in one frame. */
	kernelCount: number;
	/** The kernels that pass over data: on WebGL, about the shader passes of a frame. */
	passCount: number;
	/** Sum of the kernels' own times (ms). */
	kernelMs: number;
	/** By kernel name, most time first. */
	kernels: KernelRow[];
}

/**
 * tf.profile over `frames` calls of `fn` (which returns a tensor, disposed here), summed by kernel
 * name. With several frames each kernel call keeps its shortest time (the calls come in the same
 * order every frame), so a loaded machine's interruptions fall out of the table.
 */
export async function profileFrame(fn: () => tf.Tensor, frames = 1): Promise<FrameProfile> {
	let calls: { name: string; ms: number }[] | null = null;
	for (let f = 0; f < Math.max(1, frames); f++) {
		const info = await tf.profile(async () => {
			const y = fn();
			await y.data();
			y.dispose();
		});
		// Names ending in __op are tfjs's wrappers around a fused kernel (counted once, as the kernel).
		const list = info.kernels.filter((k) => !k.name.endsWith('__op'));
		const these = await Promise.all(list.map(async (k) => ({ name: k.name, ms: Number(await k.kernelTimeMs) || 0 })));
		calls = calls && calls.length === these.length ? calls.map((c, i) => ({ name: c.name, ms: Math.min(c.ms, these[i].ms) })) : these;
	}
	const by = new Map<string, { calls: number; ms: number }>();
	for (const k of calls!) {
		const row = by.get(k.name) ?? { calls: 0, ms: 0 };
		row.calls++;
		row.ms += k.ms;
		by.set(k.name, row);
	}
	const kernelMs = [...by.values()].reduce((a, r) => a + r.ms, 0);
	const kernels = [...by.entries()]
		.map(([kernel, r]) => ({ kernel, calls: r.calls, ms: r.ms, share: kernelMs > 0 ? r.ms / kernelMs : 0 }))
		.sort((a, b) => b.ms - a.ms);
	const views = calls!.filter((k) => VIEW_KERNELS.has(k.name)).length;
	return { kernelCount: calls!.length, passCount: calls!.length - views, kernelMs, kernels };
}

/**
 * The convolution floor: the program's convolutions alone (random weights of the same shapes on
 * inputs made beforehand), run as one frame. What no rewrite of the glue around them can beat.
 * `run` returns the last convolution's output (backends run their kernels in order: the last one
 * done means all are); `dispose` frees the inputs and weights.
 */
export function convFloor(manifest: StyleNetManifest, H: number, W: number): { run: () => tf.Tensor; dispose: () => void } {
	const steps = convSteps(manifest, H, W);
	const inputs = steps.map((s) => tf.randomUniform([1, ...s.input], -1, 1, 'float32', 1) as tf.Tensor4D);
	const kernels = steps.map((s) =>
		tf.randomNormal(s.depthwise ? [...s.kernel, s.input[2], 1] : [...s.kernel, s.input[2], s.output[2]], 0, 0.1, 'float32', 2) as tf.Tensor4D
	);
	return {
		run: () => {
			let last: tf.Tensor4D | null = null;
			steps.forEach((s, i) => {
				last?.dispose();
				last = s.depthwise ? tf.depthwiseConv2d(inputs[i], kernels[i], s.stride, 'valid') : tf.conv2d(inputs[i], kernels[i], s.stride, 'valid');
			});
			return last!;
		},
		dispose: () => tf.dispose([...inputs, ...kernels])
	};
}

export interface NetProfileRow {
	size: string;
	backend: string;
	frame: Timing;
	floor: Timing;
	/** frame / floor (medians). */
	ratio: number;
	/** The floor's own kernel table (its kernel times, like the frame's, at each call's shortest). */
	floorProfile: FrameProfile;
	/** profile.kernelMs / floorProfile.kernelMs: the ratio a loaded machine disturbs least. */
	kernelRatio: number;
	gmac: number;
	/** The network's multiply-adds × 2 over the frame's median time. */
	gflops: number;
	/** The same rate for the convolutions alone. */
	floorGflops: number;
	profile: FrameProfile;
}

/** What profileNet needs of a network (the bench's reference forward pass is not a loaded StyleNet). */
export type ProfiledNet = Pick<StyleNet, 'manifest' | 'styles' | 'stylize'>;

/**
 * The whole picture of one frame at H×W on the current backend: time, floor, rate and kernel table
 * (the table from `profileFrames` profiled frames, each kernel call at its shortest).
 */
export async function profileNet(net: ProfiledNet, H: number, W: number, runs: number, opts: { clock?: Clock; profileFrames?: number } = {}): Promise<NetProfileRow> {
	const x = tf.randomUniform([H, W, 3], 0, 1, 'float32', 7) as tf.Tensor3D;
	const blend = net.styles.map((_, i) => (i === 0 ? 1 : 0));
	const convs = convFloor(net.manifest, H, W);
	try {
		const frame = await time(() => net.stylize(x, blend), runs, 1, opts.clock);
		const floor = await time(convs.run, runs, 1, opts.clock);
		const profile = await profileFrame(() => net.stylize(x, blend), opts.profileFrames);
		const floorProfile = await profileFrame(convs.run, opts.profileFrames);
		const macs = convSteps(net.manifest, H, W).reduce((a, s) => a + s.macs, 0);
		return {
			size: `${W}×${H}`,
			backend: tf.getBackend(),
			frame,
			floor,
			ratio: frame.medianMs / floor.medianMs,
			floorProfile,
			kernelRatio: profile.kernelMs / floorProfile.kernelMs,
			gmac: macs / 1e9,
			gflops: (2 * macs) / 1e6 / frame.medianMs,
			floorGflops: (2 * macs) / 1e6 / floor.medianMs,
			profile
		};
	} finally {
		x.dispose();
		convs.dispose();
	}
}
