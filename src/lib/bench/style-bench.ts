import * as tf from '@tensorflow/tfjs';
import { DemoSource } from '../camera/demo';
import { FrameEngine } from '../live/engine';
import type { FrameSettings } from '../live/settings';
import { load, oneHot, STYLE_NET_URL } from '../models/style-net';
import type { FrameRenderer } from '../render/renderer';
import { frameToTensor } from '../tf/image';
import { johnsonGmac, johnsonNet } from './johnson';
import { time, type Timing } from './timing';
import { profileNet, type NetProfileRow } from './net-profile';
import { median } from '../live/stats';

export const SIZES: [number, number][] = [
	[256, 256],
	[360, 480],
	[480, 640]
];

export interface NetRow {
	size: string;
	ours: Timing;
	johnson: Timing | null;
	speedup: number | null;
	oursGmac: number | null;
	johnsonGmac: number;
}

export interface ChainRow {
	size: string;
	frames: number;
	medianMs: number;
	fps: number;
}

/** Our style network vs the Johnson reference, the same input, backend and run. */
export async function benchStyleNets(opts: { runs: number; johnson: boolean; sizes?: [number, number][]; log: (s: string) => void }): Promise<NetRow[]> {
	const net = await load({ url: STYLE_NET_URL });
	const ref = opts.johnson ? johnsonNet() : null;
	const blend = oneHot(0, net.styles.length);
	const rows: NetRow[] = [];
	try {
		for (const [h, w] of opts.sizes ?? SIZES) {
			const x3 = tf.randomUniform([h, w, 3], 0, 1, 'float32', 7) as tf.Tensor3D;
			const x4 = tf.expandDims(x3, 0) as tf.Tensor4D;
			const ours = await time(() => net.stylize(x3, blend), opts.runs);
			opts.log(`style-net ${w}×${h}: ${ours.medianMs.toFixed(1)} ms`);
			const johnson = ref ? await time(() => ref.run(x4), Math.max(2, Math.ceil(opts.runs / 3))) : null;
			if (johnson) opts.log(`johnson ${w}×${h}: ${johnson.medianMs.toFixed(1)} ms`);
			const gmac = net.manifest.gmac?.[`${w}x${h}`]?.ours ?? null;
			rows.push({
				size: `${w}×${h}`,
				ours,
				johnson,
				speedup: johnson ? johnson.medianMs / ours.medianMs : null,
				oursGmac: gmac,
				johnsonGmac: johnsonGmac(h, w)
			});
			tf.dispose([x3, x4]);
		}
	} finally {
		ref?.dispose();
		net.dispose();
	}
	return rows;
}

/** "h×w" size list from the address (`sizes=256x256,480x360`, width × height as the rows name them); null: all. */
export function parseSizes(param: string | null): [number, number][] | null {
	if (!param) return null;
	const sizes = param.split(',').map((s) => s.split(/[x×]/).map(Number));
	return sizes.every((s) => s.length === 2 && s.every((n) => n > 0)) ? sizes.map(([w, h]) => [h, w] as [number, number]) : null;
}

export interface NetAtRow {
	size: string;
	ours: Timing;
	/** Where it ran (the page); the studio runs it in the style worker on the CPU path. */
	where: 'page';
}

/**
 * The network alone at the size the studio processes the demo scene at (640×480 at short side 256 →
 * 340×256), so the studio's per-step timings can be read against it (bench/studio.mjs).
 */
export async function benchStyleNetAt(opts: { size: [number, number]; runs: number; log: (s: string) => void }): Promise<NetAtRow> {
	const net = await load({ url: STYLE_NET_URL });
	const [h, w] = opts.size;
	const x3 = tf.randomUniform([h, w, 3], 0, 1, 'float32', 7) as tf.Tensor3D;
	try {
		const ours = await time(() => net.stylize(x3, oneHot(0, net.styles.length)), opts.runs);
		opts.log(`style-net ${w}×${h} (the studio's demo scene at 256): ${ours.medianMs.toFixed(1)} ms`);
		return { size: `${w}×${h}`, ours, where: 'page' };
	} finally {
		x3.dispose();
		net.dispose();
	}
}

/**
 * Where a frame goes on the current backend at the studio's demo size (340×256): time, the
 * convolution floor and the ratio, GFLOP/s, and the per-kernel table of one frame (net-profile.ts).
 */
export async function benchNetProfile(opts: { size: [number, number]; runs: number; log: (s: string) => void }): Promise<NetProfileRow> {
	const net = await load({ url: STYLE_NET_URL });
	try {
		const r = await profileNet(net, opts.size[0], opts.size[1], opts.runs, { profileFrames: 3 });
		opts.log(`style-net ${r.size} profile: ${r.frame.medianMs.toFixed(1)} ms, floor ${r.floor.medianMs.toFixed(1)} ms (${r.ratio.toFixed(2)}×), ${r.gflops.toFixed(1)} GFLOP/s, ${r.profile.kernelCount} kernels`);
		return r;
	} finally {
		net.dispose();
	}
}

export interface NetWorkerRow {
	size: string;
	/** Threads asked for, and those that ran (read back from tfjs-wasm). */
	threadsAsked: number;
	threads: number;
	ours: Timing;
	where: 'worker';
}

/**
 * The network alone in a worker with `threads` threads, as the style worker runs it (the page's own
 * wasm is capped at hardwareConcurrency / 2 threads; a worker is allowed more, cpu-backend.ts).
 */
export function benchStyleNetInWorker(opts: { size: [number, number]; runs: number; threads: number; log: (s: string) => void }): Promise<NetWorkerRow> {
	const worker = new Worker(new URL('./net.worker.ts', import.meta.url), { type: 'module', name: 'bench-net' });
	const [h, w] = opts.size;
	return new Promise<NetWorkerRow>((resolve, reject) => {
		worker.onmessage = (e: MessageEvent<{ ok: boolean; threads?: number; ours?: Timing; error?: string }>) => {
			const d = e.data;
			if (!d.ok) return reject(new Error(`bench worker: ${d.error}`));
			opts.log(`style-net ${w}×${h} in a worker, ${d.threads} thread(s) (asked ${opts.threads}): ${d.ours!.medianMs.toFixed(1)} ms`);
			resolve({ size: `${w}×${h}`, threadsAsked: opts.threads, threads: d.threads!, ours: d.ours!, where: 'worker' });
		};
		worker.onerror = (e) => reject(new Error(`bench worker: ${e.message}`));
		worker.postMessage({ threads: opts.threads, size: opts.size, runs: opts.runs });
	}).finally(() => worker.terminate());
}

/**
 * The live chain as the studio runs it: demo frame → tensor at the size → style (+ stabilization)
 * → renderer, `frames` times back to back. Frames per second = 1000 / median ms.
 */
export async function benchLiveChain(opts: {
	renderer: FrameRenderer;
	frames: number;
	stabilize: boolean;
	sizes?: [number, number][];
	log: (s: string) => void;
}): Promise<ChainRow[]> {
	const net = await load({ url: STYLE_NET_URL });
	const weights = net.styles.map((_, i) => (i < 2 ? 0.5 : 0)); // a two-style blend, as people use it
	const engine = new FrameEngine();
	engine.setNet(net);
	const demo = new DemoSource(640, 480);
	const rows: ChainRow[] = [];
	try {
		for (const [h, w] of opts.sizes ?? SIZES) {
			const ms: number[] = [];
			for (let i = 0; i < opts.frames + 2; i++) {
				demo.advance(performance.now() + i * 1000);
				const t0 = performance.now();
				const input = frameToTensor(demo.element, { width: w, height: h });
				const { output: out } = engine.run(input, settingsFor(w, h, { weights, strength: 1, stabilize: opts.stabilize, keepColours: 0, detail: 0 }));
				await opts.renderer.draw(out);
				// WebGL work is asynchronous: read one pixel back so the time includes the GPU's work
				// (the benchmark only; the live loop never reads back).
				if (opts.renderer.path === 'gpu') {
					const gl = opts.renderer.canvas.getContext('webgl2') as WebGL2RenderingContext;
					gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
				}
				tf.dispose([input, out]);
				if (i >= 2) ms.push(performance.now() - t0);
			}
			const m = median(ms);
			rows.push({ size: `${w}×${h}`, frames: opts.frames, medianMs: m, fps: 1000 / m });
			opts.log(`live chain ${w}×${h}: ${m.toFixed(1)} ms, ${(1000 / m).toFixed(1)} fps`);
		}
	} finally {
		engine.dispose();
	}
	return rows;
}

function settingsFor(width: number, height: number, style: FrameSettings['style']): FrameSettings {
	return { width, height, guide: null, mirror: false, sideBySide: false, style, overlay: null, capture: false, debugDelayMs: 0 };
}

export interface FlickerRow {
	stabilize: boolean;
	/** mean |out_t − out_{t−1}| / mean |in_t − in_{t−1}| over the frames: lower is steadier. */
	flicker: number;
	frames: number;
}

/**
 * Flicker on a static scene with camera-like noise: the demo frame held still, independent Gaussian
 * noise (σ = noise) added to each frame, run through the live style step with and without temporal
 * stabilization. Same number as training/evaluate.py's, measured over a sequence.
 */
export async function benchFlicker(opts: { size: [number, number]; frames: number; noise: number; log: (s: string) => void }): Promise<FlickerRow[]> {
	const net = await load({ url: STYLE_NET_URL });
	const weights = oneHot(0, net.styles.length);
	const demo = new DemoSource(640, 480);
	demo.advance(performance.now());
	const [h, w] = opts.size;
	const still = frameToTensor(demo.element, { width: w, height: h });
	const engine = new FrameEngine(); // owns the net from here; stabilization off resets it between frames
	engine.setNet(net);
	const rows: FlickerRow[] = [];
	try {
		for (const stabilize of [false, true]) {
			let prevIn: tf.Tensor3D | null = null;
			let prevOut: tf.Tensor3D | null = null;
			let dOut = 0;
			let dIn = 0;
			for (let i = 0; i < opts.frames; i++) {
				const input = tf.tidy(() => tf.clipByValue(tf.add(still, tf.randomNormal(still.shape, 0, opts.noise, 'float32', 1000 + i)), 0, 1)) as tf.Tensor3D;
				const { output: out } = engine.run(input, settingsFor(w, h, { weights, strength: 1, stabilize, keepColours: 0, detail: 0 }));
				if (prevIn && prevOut && i >= 3) {
					dIn += tf.tidy(() => tf.mean(tf.abs(tf.sub(input, prevIn!))).dataSync()[0]);
					dOut += tf.tidy(() => tf.mean(tf.abs(tf.sub(out, prevOut!))).dataSync()[0]);
				}
				tf.dispose([prevIn, prevOut].filter((t): t is tf.Tensor3D => t != null));
				prevIn = input;
				prevOut = out;
			}
			tf.dispose([prevIn, prevOut].filter((t): t is tf.Tensor3D => t != null));
			rows.push({ stabilize, flicker: dOut / dIn, frames: opts.frames });
			opts.log(`flicker ${w}×${h}, noise σ=${opts.noise}, stabilization ${stabilize ? 'on' : 'off'}: ${(dOut / dIn).toFixed(3)}`);
		}
	} finally {
		still.dispose();
		engine.dispose();
	}
	return rows;
}
