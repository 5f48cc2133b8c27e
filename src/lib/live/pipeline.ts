/**
 * What the live scheduler drives: one frame in, one frame on screen. Two implementations behind this
 * interface — the page itself for WebGL (tensors stay on the GPU; main-pipeline.ts) and style workers
 * whose pictures the page shows for wasm and cpu (live/worker-pipeline.ts) — so the scheduler, the
 * studio and the tests do not care where the work happens.
 */
import type * as tf from '@tensorflow/tfjs';
import type { FrameSource } from '../camera/types';
import type { ExtraStyle, StyleInfo } from '../models/style-net';
import type { PixelImage } from '../render/pixels';
import type { BackendName } from '../tf/backend-choice';
import type { FrameSettings, StepTimings } from './settings';

/** Copies of the frames an explanation needs: tensors in the page, pixels from a worker. */
export type FrameCapture =
	| { kind: 'tensors'; raw: tf.Tensor3D | null; shown: tf.Tensor3D }
	| { kind: 'pixels'; raw: PixelImage | null; shown: PixelImage };

export interface FrameResult {
	/** Size of what was drawn. */
	width: number;
	height: number;
	/** Live tensors in the thread that did the work. */
	numTensors: number;
	timings: StepTimings;
	/** With settings.capture; the receiver owns it (disposeCapture when not used). */
	capture: FrameCapture | null;
	/** False when a newer frame reached the screen first (several in flight) and this one was dropped. */
	shown?: boolean;
}

export interface PipelineInfo {
	kind: 'main' | 'worker';
	backend: BackendName;
	/** Threads the wasm backend runs in that thread (each style worker), read back (undefined for webgl). */
	threads?: number;
	/** Style workers, each on its own frames (the worker pipeline). */
	workers?: number;
}

export interface Pipeline {
	readonly info: PipelineInfo;
	/** The canvas the frames appear on (the page mounts it). */
	readonly canvas: HTMLCanvasElement;
	/** Frames that may be in the pipeline at once (the scheduler starts the next while fewer are): 1 in the page, one per style worker. */
	readonly capacity: number;
	/** Every worker it runs is set up (false while one restarts after a crash); always true in the page. */
	readonly healthy: boolean;
	/** Loads the style network where the frames are processed; returns its built-in styles. */
	loadStyle(url: string): Promise<StyleInfo[]>;
	/** Sets the learned styles after the built-in ones (also for a network loaded later); returns the styles now. */
	setExtraStyles(extra: ExtraStyle[]): Promise<StyleInfo[]>;
	unloadStyle(): void;
	process(source: FrameSource, settings: FrameSettings): Promise<FrameResult>;
	/** PNG of what is on screen now. */
	snapshot(): Promise<Blob | null>;
	dispose(): void;
}

export function disposeCapture(c: FrameCapture | null): void {
	if (c?.kind === 'tensors') {
		c.raw?.dispose();
		c.shown.dispose();
	}
}
