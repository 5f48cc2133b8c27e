/**
 * The style learner's worker protocol (workers/learn.worker.ts ↔ learn/learn-client.ts): plain data
 * only; pictures cross as RGBA pixels, the learned row as a Float32Array.
 */
import type { PixelImage } from '../render/pixels';
import type { JobWorkerApi } from '../workers/protocol';
import type { CpuBackendName } from '../tf/cpu-backend';
import type { EffortId } from './efforts';

export interface LearnWorkerInit {
	backend: 'webgl' | CpuBackendName;
	threads: number;
	wasmPath: string;
	/** The classifier's folder (default /models/resnet50/) and the style network's (default /models/style-net/). */
	classifierUrl?: string;
	styleNetUrl?: string;
}

export interface LearnLoaded {
	backend: string;
	threads: number;
	/** The style network's manifest version: a learned row belongs to it. */
	networkVersion: number;
	/** Numbers in one row (Σ 2·channels over the cin ops). */
	rowWidth: number;
}

export interface LearnRequest {
	/** The picture whose style is learned (already cropped by the page). */
	style: PixelImage;
	/** Extra content photos (camera frames the person added), besides the shipped set. */
	extraContents: PixelImage[];
	effort: EffortId;
	/** Test mode: fewer steps than the preset (the address option `learnSteps`). */
	steps?: number;
	/** Test mode: the picture's short side(s) for its statistics instead of training's 384 and 512 (`learnSides`). */
	styleSides?: number[];
}

export interface LearnProgress {
	phase: 'targets' | 'guess' | 'learning';
	step: number;
	steps: number;
	loss?: number;
	elapsedMs: number;
	/** The fixed photo in the current rows (every few steps). */
	preview?: PixelImage;
}

/** What a session learned (learn/session.ts). */
export interface LearnOutcome {
	row: Float32Array;
	/** The starting blend over the built-in styles and their style distances to the picture. */
	guess: number[];
	distances: number[];
	/** Style loss (content set) of the starting row and of the learned row. */
	styleLossGuess: number;
	styleLossLearned: number;
	steps: number;
	msPerStep: number;
	preview: PixelImage;
}

export interface LearnResult extends LearnOutcome {
	networkVersion: number;
}

export interface LearnEstimate {
	msPerStep: number;
	steps: number;
	/** Style targets and the best guess, measured once. */
	setupMs: number;
}

export interface LearnWorkerApi extends JobWorkerApi {
	load(init: LearnWorkerInit): Promise<LearnLoaded>;
	estimate(jobId: number, request: LearnRequest): Promise<LearnEstimate>;
	learn(jobId: number, request: LearnRequest, onProgress: (p: LearnProgress) => void): Promise<LearnResult>;
	/** Holds (true) or releases (false) the run between steps. */
	pause(jobId: number, paused: boolean): void;
}
