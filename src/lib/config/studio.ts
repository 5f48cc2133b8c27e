/**
 * How the studio starts, read from its address (the kiosk reads the same options through
 * readStudioOptions). Pure: no tfjs, no state — the kiosk's config imports it.
 */
import type { BackendName } from '../tf/backend-choice';
import { OptionReader, machineFromBrowser, type Machine } from './options';
import { MAX_STYLE_WORKERS } from '../tf/threads';

/** Where frames are processed on the CPU path: auto (workers where the browser can), main (the page), worker. */
export type PipelineChoice = 'auto' | 'main' | 'worker';

export const BACKEND_NAMES: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];
export const PIPELINE_CHOICES: readonly PipelineChoice[] = ['auto', 'main', 'worker'];

/** How the studio starts: read from the address by the page, never inside the state. */
export interface StudioConfig {
	/** Force a backend (?backend=webgl|wasm|cpu). */
	backend: BackendName | null;
	/** Try the camera first (?camera=0 starts on the demo scene). */
	camera: boolean;
	/** Turn explanations on at start (?explain=1). */
	explain: boolean;
	/** Where frames are processed on the CPU path (?pipeline=main keeps everything in the page). */
	pipeline: PipelineChoice;
	/** Threads of each style worker's wasm backend (?threads=N, at most the machine's cores; default: threadPlan's liveThreads — the style cores shared among the style workers). */
	threads: number | null;
	/** Style workers, each on its own frames (?styleWorkers=N, 1…MAX_STYLE_WORKERS; default: threadPlan's — 2 on 2 cores, 3 from 4). */
	styleWorkers: number | null;
	/**
	 * Largest share of the time spent explaining (?explainShare=0.05…1; null: 0.4 in the page, 0.3 in the
	 * explain worker). More: explanations (and the faithfulness score) come more often, frames less.
	 */
	explainShare: number | null;
	/** Score the heat map's faithfulness with every N-th explanation (?scoreEvery=N, 1…100; null: every 4th). */
	scoreEvery: number | null;
	/** Frames per second of the built-in demo scene (?demoFps=N, 1…120; default 30, a camera's rate). */
	demoFps: number;
}

/** The demo scene's default frame rate: a camera's. */
export const DEMO_FPS = 30;

/** ?backend=…: a backend name, or null (chosen by the machine) with a message for anything else. */
export function readBackend(r: OptionReader): BackendName | null {
	return r.choice('backend', BACKEND_NAMES, null, 'choosing the backend by this machine');
}

/** The studio's own options, from a reader the caller may share (the kiosk reads its own options with it too). */
export function readStudioOptions(r: OptionReader): StudioConfig {
	return {
		backend: readBackend(r),
		camera: r.flag('camera', true),
		explain: r.flag('explain', false),
		pipeline: r.choice('pipeline', PIPELINE_CHOICES, 'auto'),
		threads: r.threads('threads', 'using the default (the style cores shared among the style workers)'),
		styleWorkers: r.int('styleWorkers', { min: 1, max: MAX_STYLE_WORKERS, fallback: null, unit: 'a whole number', fallbackText: 'using the default for this machine\'s cores' }),
		explainShare: r.number('explainShare', { min: 0.05, max: 1, fallback: null, unit: 'a number', fallbackText: 'using the default (0.4 in the page, 0.3 in the explain worker)' }),
		scoreEvery: r.int('scoreEvery', { min: 1, max: 100, fallback: null, unit: 'a whole number', fallbackText: 'scoring every 4th explanation' }),
		demoFps: r.int('demoFps', { min: 1, max: 120, fallback: DEMO_FPS, unit: 'a whole number', fallbackText: `drawing the demo scene at ${DEMO_FPS} frames a second` })
	};
}

export function parseStudioConfig(params: URLSearchParams, machine: Machine = machineFromBrowser()): { config: StudioConfig; problems: string[] } {
	const r = new OptionReader(params, machine);
	const config = readStudioOptions(r);
	return { config, problems: r.problems };
}
