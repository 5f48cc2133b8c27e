/**
 * A live style worker (CPU path): the style network and a frame engine. It receives frames as
 * ImageBitmaps with a settings snapshot, draws the result on a canvas of its own and answers with it
 * as an ImageBitmap (transferred: the page shows it without a copy), with timings and, when asked,
 * pixel copies for an explanation. The studio runs several, each on its own frames (threadPlan).
 */
import * as Comlink from 'comlink';
import { holdLifeline } from './lifeline';
import * as tf from '@tensorflow/tfjs';
import { FrameEngine } from '../live/engine';
import type { FrameSettings } from '../live/settings';
import { load as loadStyleNet, type ExtraStyle, type StyleInfo, type StyleNet, type StyleNetStats } from '../models/style-net';
import { stylizeTiled, type StillProgress, type StillResult } from '../stylize/tiles';
import type { PixelImage } from '../render/pixels';
import { putPixels } from '../render/pixels';
import { tensorToPixels } from '../render/pixel-tensors';
import { BitmapReader } from '../tf/image';
import { startCpuBackend } from '../tf/cpu-backend';
import type { StyleFrameDone, StyleWorkerApi, WorkerBackend, WorkerInit } from './protocol';

class StyleWorker implements StyleWorkerApi {
	private readonly engine = new FrameEngine();
	/** Where each picture is drawn before it leaves as a bitmap (its size follows the frames'). */
	private readonly canvas = new OffscreenCanvas(1, 1);
	private readonly ctx = this.canvas.getContext('2d');
	private rgba: Uint8ClampedArray | undefined;
	private readonly reader = new BitmapReader();
	/** The guide frame (detail from the camera frame) has its own size: its own canvas. */
	private readonly guideReader = new BitmapReader();

	init(init: WorkerInit): Promise<WorkerBackend> {
		return startCpuBackend(init.backend, init.threads, init.wasmPath).then((b) => ({ backend: b.name, threads: b.threads }));
	}

	numTensors(): number {
		return tf.memory().numTensors;
	}

	loadStyle(url: string): Promise<StyleInfo[]> {
		return this.engine.loadStyle(url);
	}

	setExtraStyles(extra: ExtraStyle[]): StyleInfo[] {
		return this.engine.setExtraStyles(extra);
	}

	unloadStyle(): void {
		this.engine.setNet(null);
	}

	async frame(bitmap: ImageBitmap, s: FrameSettings, guide?: ImageBitmap): Promise<StyleFrameDone> {
		const done = await this.render(bitmap, s, guide ?? null);
		// Counted after the frame's tensors are freed: flat from frame to frame.
		done.numTensors = tf.memory().numTensors;
		const c = done.capture;
		return Comlink.transfer(done, [done.bitmap, ...(c ? [c.shown.data.buffer, ...(c.raw ? [c.raw.data.buffer] : [])] : [])]);
	}

	private async render(bitmap: ImageBitmap, s: FrameSettings, guideBitmap: ImageBitmap | null): Promise<StyleFrameDone> {
		if (!this.ctx) {
			bitmap.close();
			guideBitmap?.close();
			throw new Error('the style worker could not draw: no 2D context on its canvas');
		}
		const t0 = performance.now();
		let input: tf.Tensor3D;
		let guide: tf.Tensor3D | null = null;
		try {
			input = this.reader.read(bitmap, s.mirror);
			if (guideBitmap) guide = this.guideReader.read(guideBitmap, s.mirror);
		} finally {
			bitmap.close();
			guideBitmap?.close();
		}
		const t1 = performance.now();
		let out: ReturnType<FrameEngine['run']> | null = null;
		try {
			out = this.engine.run(input, s, guide);
			const t2 = performance.now();
			const img = await tensorToPixels(out.output, this.rgba);
			putPixels(img, this.canvas, this.ctx);
			this.rgba = img.data;
			const picture = this.canvas.transferToImageBitmap();
			const t3 = performance.now();
			let capture: StyleFrameDone['capture'] = null;
			try {
				if (out.shown) capture = { raw: out.raw ? await tensorToPixels(out.raw) : null, shown: await tensorToPixels(out.shown) };
			} catch (err) {
				picture.close();
				throw err;
			}
			return {
				bitmap: picture,
				width: img.width,
				height: img.height,
				numTensors: 0,
				timings: { ...out.timings, input: t1 - t0, draw: t3 - t2, total: performance.now() - t0 },
				capture
			};
		} finally {
			input.dispose();
			guide?.dispose();
			if (out) tf.dispose([out.output, ...(out.raw ? [out.raw] : []), ...(out.shown ? [out.shown] : [])]);
		}
	}

	private stillNet: { url: string; net: StyleNet & StyleNetStats } | null = null;

	async still(url: string, image: PixelImage, weights: number[], extra: ExtraStyle[], strength: number, onProgress: (p: StillProgress) => void): Promise<StillResult> {
		if (this.stillNet?.url !== url) {
			this.stillNet?.net.dispose();
			this.stillNet = null;
			this.stillNet = { url, net: await loadStyleNet({ url }) };
		}
		this.stillNet.net.setExtraStyles(extra);
		const r = await stylizeTiled(this.stillNet.net, image, weights, { strength, onProgress: (p) => void onProgress(p) });
		return Comlink.transfer(r, [r.image.data.buffer]);
	}
}

holdLifeline();
Comlink.expose(new StyleWorker());
