import * as tf from '@tensorflow/tfjs';
import type { FrameSource } from '../camera/types';
import type { FrameRenderer } from '../render/renderer';
import { frameToTensor, scaleToShortSide } from '../tf/image';
import { runChain, type FrameProcessor } from './processor';
import { FrameStats } from './stats';

export interface LoopSettings {
	mirror: boolean;
	/** Short side of the processing size; null keeps the source size. */
	shortSide: number | null;
	/** Show the input beside the output (original | processed). */
	sideBySide?: boolean;
}

export interface FrameReport {
	frame: number;
	width: number;
	height: number;
	fps: number;
	medianMs: number;
	/** Animation frames skipped because the previous frame was still being processed. */
	dropped: number;
}

export interface LoopDeps {
	source: () => FrameSource | null;
	renderer: () => FrameRenderer | null;
	chain: () => readonly FrameProcessor[];
	settings: () => LoopSettings;
	onFrame?: (r: FrameReport) => void;
	onError?: (err: unknown) => void;
}

/**
 * requestAnimationFrame loop, latest frame wins: while a frame is being processed, animation
 * frames are skipped (never queued), and the next one takes whatever the source shows then.
 */
export class LiveLoop {
	readonly stats = new FrameStats(1000);
	private raf = 0;
	private running = false;
	private busy = false;
	private frame = 0;
	private dropped = 0;

	constructor(private readonly deps: LoopDeps) {}

	get isRunning(): boolean {
		return this.running;
	}

	start(): void {
		if (this.running) return;
		this.running = true;
		this.raf = requestAnimationFrame(this.tick);
	}

	stop(): void {
		this.running = false;
		cancelAnimationFrame(this.raf);
	}

	private tick = (now: number) => {
		if (!this.running) return;
		this.raf = requestAnimationFrame(this.tick);
		if (this.busy) {
			this.dropped++;
			return;
		}
		const source = this.deps.source();
		const renderer = this.deps.renderer();
		if (!source || !renderer || source.width === 0 || !source.advance(now)) return;
		this.busy = true;
		this.process(source, renderer, now).finally(() => {
			this.busy = false;
		});
	};

	private async process(source: FrameSource, renderer: FrameRenderer, now: number): Promise<void> {
		const t0 = performance.now();
		const { mirror, shortSide, sideBySide } = this.deps.settings();
		const size = scaleToShortSide(source.width, source.height, shortSide);
		let input: tf.Tensor3D | null = null;
		let output: tf.Tensor3D | null = null;
		try {
			input = frameToTensor(source.element, { ...size, mirror });
			output = runChain(this.deps.chain(), input, { frame: this.frame, time: now });
			if (sideBySide) {
				const processed = output;
				output = tf.tidy(() => tf.concat([input!, processed], 1));
				processed.dispose();
			}
			await renderer.draw(output);
			const end = performance.now();
			this.stats.add(end, end - t0);
			this.frame++;
			this.deps.onFrame?.({
				frame: this.frame,
				width: size.width,
				height: size.height,
				fps: this.stats.fps(end),
				medianMs: this.stats.medianMs(end),
				dropped: this.dropped
			});
		} catch (err) {
			this.deps.onError?.(err);
		} finally {
			input?.dispose();
			output?.dispose();
		}
	}
}
