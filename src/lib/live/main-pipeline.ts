/**
 * The pipeline in the page: today's fast path for WebGL, where tfjs runs in the display canvas's own
 * context and the result is drawn from a texture — nothing is read back. Also the fallback for wasm
 * and cpu where workers with OffscreenCanvas are missing (then the 2D renderer reads pixels back).
 */
import * as tf from '@tensorflow/tfjs';
import type { FrameSource } from '../camera/types';
import type { ExtraStyle, StyleInfo } from '../models/style-net';
import type { FrameRenderer } from '../render/renderer';
import { frameToTensor } from '../tf/image';
import { FrameEngine } from './engine';
import type { FrameSettings } from './settings';
import type { FrameResult, Pipeline, PipelineInfo } from './pipeline';

export class MainPipeline implements Pipeline {
	private readonly engine = new FrameEngine();
	/** One frame at a time: the GPU queues the work, the page never waits for it. */
	readonly capacity = 1;
	readonly healthy = true;

	constructor(
		readonly info: PipelineInfo,
		private readonly renderer: FrameRenderer
	) {}

	get canvas(): HTMLCanvasElement {
		return this.renderer.canvas;
	}

	loadStyle(url: string): Promise<StyleInfo[]> {
		return this.engine.loadStyle(url);
	}

	async setExtraStyles(extra: ExtraStyle[]): Promise<StyleInfo[]> {
		return this.engine.setExtraStyles(extra);
	}

	unloadStyle(): void {
		this.engine.setNet(null);
	}

	async process(source: FrameSource, s: FrameSettings): Promise<FrameResult> {
		const t0 = performance.now();
		const input = frameToTensor(source.element, { width: s.width, height: s.height, mirror: s.mirror });
		const guide = s.guide ? frameToTensor(source.element, { ...s.guide, mirror: s.mirror }) : null;
		const t1 = performance.now();
		let out: ReturnType<FrameEngine['run']> | null = null;
		let result: Omit<FrameResult, 'numTensors'>;
		try {
			out = this.engine.run(input, s, guide);
			const t2 = performance.now();
			await this.renderer.draw(out.output);
			const t3 = performance.now();
			const [height, width] = out.output.shape;
			const capture = out.shown ? { kind: 'tensors' as const, raw: out.raw, shown: out.shown } : null;
			result = { width, height, timings: { ...out.timings, input: t1 - t0, draw: t3 - t2, total: t3 - t0 }, capture };
		} catch (err) {
			out?.raw?.dispose();
			out?.shown?.dispose();
			throw err;
		} finally {
			input.dispose();
			guide?.dispose();
			out?.output.dispose();
		}
		// The captured copies are on their way to the explainer, which frees them: not counted here.
		const captured = result.capture ? (out.raw ? 2 : 1) : 0;
		return { ...result, numTensors: tf.memory().numTensors - captured };
	}

	async snapshot(): Promise<Blob | null> {
		const c = this.renderer.canvas;
		if (c.width === 0) return null;
		return new Promise((resolve) => c.toBlob(resolve, 'image/png'));
	}

	dispose(): void {
		this.engine.dispose();
		this.renderer.dispose();
	}
}
