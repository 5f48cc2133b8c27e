import type * as tf from '@tensorflow/tfjs';

/** Load-time configuration (see `resolveConfig` for the defaults). */
export interface StyleNetConfig {
	/** Base URL of the exported model folder, e.g. '/models/style-net/'. */
	url: string;
	/** Injected fetch (tests read files from disk). Defaults to the global fetch. */
	fetch?: typeof fetch;
	/** Size [height, width] of the zero frame used for the warm-up run inside load(). */
	warmupSize?: [number, number];
}

export interface ResolvedStyleNetConfig {
	url: string;
	fetch: typeof fetch;
	warmupSize: [number, number];
}

/** Per-call options of `stylize`. */
export interface StylizeOptions {
	/** 0..1: output = (1 - strength) * input + strength * stylized. Default 1. */
	strength?: number;
}

export interface StyleInfo {
	id: string;
	title: string;
	artist: string;
	year: string;
	file: string;
	/** Our network's output on a fixed photo, relative to the model folder (made at export). */
	preview?: string;
}

export type StyleNetOp =
	| {
			op: 'conv';
			name: string;
			kernel: [number, number];
			stride: number;
			cin: number;
			cout: number;
			depthwise: boolean;
			bias: boolean;
			pad: number;
			weights: string[];
	  }
	| { op: 'cin'; name: string; channels: number; eps: number; weights: string[] }
	| { op: 'relu' }
	| { op: 'sigmoid' }
	| { op: 'upsample'; factor: number }
	| { op: 'save'; slot: string }
	| { op: 'add'; slot: string };

export interface TensorEntry {
	name: string;
	shape: number[];
	dtype: 'float16';
	offset: number;
	byteLength: number;
	layout?: string;
}

export interface StyleNetManifest {
	format: string;
	version: number;
	name: string;
	description?: string;
	input: {
		layout: 'NHWC';
		channels: 'RGB';
		range: [number, number];
		padToMultiple: number;
		padMode: 'reflect';
	};
	output: { range: [number, number] };
	ops: StyleNetOp[];
	styles: StyleInfo[];
	weights: { file: string; byteLength: number; tensors: TensorEntry[] };
	quantization: { dtype: 'float16'; scheme?: string };
	gmac?: Record<string, { ours: number; johnson2016: number }>;
	params?: Record<string, number>;
	training?: unknown;
}

/** A style learned after training (learn/): its info and its γ/β row (the cinTable's layout). */
export interface ExtraStyle {
	info: StyleInfo;
	row: readonly number[];
	/** manifest.version of the network the row was learned for: a row only fits the body it was learned with. */
	networkVersion: number;
}

export interface StyleNet {
	readonly manifest: StyleNetManifest;
	/** The manifest's styles, then the extra ones (setExtraStyles): blends have one weight per entry. */
	readonly styles: readonly StyleInfo[];
	/** Replaces the extra styles after the built-in ones (their rows must have the table's width). */
	setExtraStyles(extra: readonly ExtraStyle[]): void;
	/** frame: [H, W, 3] RGB in [0, 1]; blend: one weight per style (normalized here). The caller
	 * disposes the returned tensor. */
	stylize(frame: tf.Tensor3D, blend: readonly number[], options?: StylizeOptions): tf.Tensor3D;
	dispose(): void;
}

/**
 * Stills larger than one run (stylize/tiles.ts): the instance-norm statistics of a picture once, then
 * any part of it normalized with them (models/style-net/forward-stats.ts).
 */
export interface StyleNetStats {
	readonly minSide: number;
	/** Every cin op's mean and variance on `frame` [H, W, 3] with this blend; the caller disposes them (tf.dispose). */
	statistics(frame: tf.Tensor3D, blend: readonly number[]): import('./forward-stats').CinStats;
	/** stylize() with the statistics given instead of the frame's own; the caller disposes the result. */
	stylizeWithStats(frame: tf.Tensor3D, blend: readonly number[], stats: import('./forward-stats').CinStats, options?: StylizeOptions): tf.Tensor3D;
}
