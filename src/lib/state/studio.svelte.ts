import * as tf from '@tensorflow/tfjs';
import { pixelsToPng, readPixels } from '../render/pixels';
import { sendToLab } from '../gallery/handoff';
import { keepSnapshot } from '../gallery/keep';
import { BurstState } from './burst.svelte';
import { getContext, setContext } from 'svelte';
import type { BackendName } from '../tf/backend-choice';
import type { StudioConfig } from '../config/studio';
import type { BackendInfo } from '../tf/backend';
import { scaleToShortSide } from '../tf/image';
import { guideShortSide } from '../stylize/guided';
import { readStillSource } from '../stylize/still-job';
import { StillState } from './still.svelte';
import { LiveScheduler, type FrameReport } from '../live/scheduler';
import type { FrameSettings, StepTimings } from '../live/settings';
import type { FrameResult } from '../live/pipeline';
import type { FrameSource } from '../camera/types';
import { FrozenFrame } from '../camera/frozen';
import { StillImageSource } from '../camera/still-image';
import { SourceState, type Notice } from './source.svelte';
import { StyleState } from './style.svelte';
import { CaptureState } from './capture.svelte';
import { ExplainState } from './explain.svelte';
import { createRuntime, type BackendFeature, type Runtime } from '../live/runtime';
import { WorkerPipeline } from '../live/worker-pipeline';
import { watchLearnedStyles } from '../learn/store';

export interface HudStats {
	fps: number;
	medianMs: number;
	/** Live tensors where frames are processed (the style worker on the CPU path, else the page). */
	numTensors: number;
	/** Live tensors in the explain worker (null when explanations run in the page or are off). */
	explainTensors: number | null;
	/** WebGL backend only. */
	gpuBytes: number | null;
	frame: number;
	width: number;
	height: number;
	dropped: number;
	/** Explanations per second (null when explanations are off). */
	explainHz: number | null;
	/** Where the last frame's time went. */
	timings: StepTimings | null;
}

/** Something that happened to the runtime, for a listener that keeps a log (the kiosk). */
export interface StudioEvent {
	kind: 'backend' | 'webgl' | 'worker' | 'frame' | 'model';
	level: 'info' | 'warning' | 'error';
	message: string;
}

/** The studio: runtime (backend, pipeline, explainer), frame source, scheduler and HUD numbers. */
export class StudioState {
	readonly source = new SourceState();
	readonly style = new StyleState();
	readonly capture = new CaptureState();
	readonly explain = new ExplainState();
	/** Frames into the gallery: one, or a burst (every N seconds). */
	readonly burst = new BurstState();
	/** "Save full size": the stylized still at the picture's own resolution. */
	readonly still = new StillState();
	backend = $state.raw<BackendInfo | null>(null);
	status = $state<'starting' | 'running' | 'failed'>('starting');
	error = $state<string | null>(null);
	/** Runtime events a person should know of (a worker restarted, the graphics card reset). */
	notice = $state.raw<Notice>(null);
	/** The canvas the frames appear on (replaced when the runtime or its worker is). */
	canvas = $state.raw<HTMLCanvasElement | null>(null);
	/** Where frames are processed: 'worker' on the CPU path, 'main' with WebGL. */
	pipelineKind = $state<'main' | 'worker' | null>(null);
	/** Threads the explain worker runs (read from it). */
	explainThreads = $state<number | null>(null);
	mirror = $state(true);
	hudVisible = $state(true);
	hud = $state<HudStats>({
		fps: 0,
		medianMs: NaN,
		numTensors: 0,
		explainTensors: null,
		gpuBytes: null,
		frame: 0,
		width: 0,
		height: 0,
		dropped: 0,
		explainHz: null,
		timings: null
	});
	sideBySide = $state(false);
	/** Freeze frame: a held copy of one frame the live loop reads instead of the source (null: live). */
	frozen = $state.raw<FrozenFrame | null>(null);
	/** Tests: busy-wait this long per frame where frames are processed (a slow machine). */
	debugDelayMs = 0;
	/** Told of runtime events: backend started, WebGL lost/restored, a worker crashed/back, a frame failed. */
	onEvent: ((event: StudioEvent) => void) | null = null;
	/** Called before each frame's settings are taken (the kiosk animates its blend here). */
	beforeFrame: ((now: number) => void) | null = null;
	/** A source shown instead of the live one while the live one stays open (the kiosk's attract loop). */
	showSource = $state.raw<FrameSource | null>(null);
	/** Frames stopped on request (pause/resume: the kiosk while its tab is hidden). */
	paused = $state(false);

	/** Features that hold backend resources, loaded into each runtime and unloaded before it goes. */
	private readonly features: BackendFeature[] = [this.style, this.explain];
	private runtime: Runtime | null = null;
	private scheduler: LiveScheduler | null = null;
	private config: StudioConfig | null = null;
	private disposed = false;
	private switching: Promise<void> | null = null;
	private recovering = false;
	/** Stops listening for learned styles saved, imported or deleted in another window. */
	private unwatchLearned: (() => void) | null = null;

	constructor() {
		this.scheduler = new LiveScheduler({
			source: () => this.frozen ?? this.showSource ?? this.source.current,
			pipeline: () => (this.switching ? null : (this.runtime?.pipeline ?? null)),
			settings: (source) => this.frameSettings(source),
			// The explain worker gets a core of its own while it explains: one style worker at a time then.
			inFlightLimit: () => (this.explain.explaining && this.pipelineKind === 'worker' ? 1 : Infinity),
			onFrame: (r, result) => this.report(r, result),
			onError: (err) => this.frameFailed(err)
		});
	}

	async start(config: StudioConfig): Promise<void> {
		this.config = config;
		this.explain.enabled = config.explain;
		this.explain.configure(config);
		this.unwatchLearned ??= watchLearnedStyles(() => void this.learnedChanged());
		try {
			await Promise.all([this.source.init({ camera: config.camera, demoFps: config.demoFps }), this.switchBackend(config.backend)]);
			if (this.disposed) return;
			if (!this.paused) this.scheduler?.start();
			this.status = 'running';
		} catch (err) {
			this.status = 'failed';
			this.error = err instanceof Error ? err.message : String(err);
		}
	}

	/** Frees the runtime and its features, starts a new one (first start, lost or restored WebGL). The one place this happens. */
	async switchBackend(forced: BackendName | null): Promise<void> {
		const run = async () => {
			for (const f of this.features) f.unload();
			this.runtime?.dispose();
			this.runtime = null;
			const rt = await createRuntime({
				forced,
				pipeline: this.config?.pipeline ?? 'auto',
				styleThreads: this.config?.threads ?? null,
				styleWorkers: this.config?.styleWorkers ?? null,
				onCanvas: (c) => (this.canvas = c),
				onWorkerCrash: (err) => {
					this.notice = { level: 'warning', text: `${capitalize(err.message)}. Restarting it…` };
					this.emit('worker', 'warning', `${err.message}; restarting it`);
					this.recovering = true;
				}
			});
			if (this.disposed) {
				rt.dispose();
				return;
			}
			this.runtime = rt;
			this.backend = rt.backend;
			this.style.runtimeChanged(rt.backend.name === 'webgl');
			this.pipelineKind = rt.pipeline.info.kind;
			rt.backend.glCanvas?.addEventListener('webglcontextlost', this.onContextLost);
			rt.backend.glCanvas?.addEventListener('webglcontextrestored', this.onContextRestored);
			await Promise.all(this.features.map((f) => f.load(rt)));
			this.explainThreads = rt.explainer.threads ?? null;
			// A backend asked for that this browser cannot run is named (the reason says what runs instead).
			const replaced = forced !== null && rt.backend.name !== forced;
			if (replaced) this.notice ??= { level: 'warning', text: rt.backend.reason };
			this.emit('backend', replaced ? 'warning' : 'info', `running on ${rt.backend.name} (${rt.pipeline.info.kind === 'worker' ? 'style worker' : 'page'}): ${rt.backend.reason}`);
		};
		await this.serially(run);
	}

	/** Runs `run` after any backend switch or style-list change in progress; no frame is processed meanwhile. */
	private async serially(run: () => Promise<void>): Promise<void> {
		const p = (this.switching ?? Promise.resolve()).then(run);
		this.switching = p;
		try {
			await p;
		} finally {
			if (this.switching === p) this.switching = null;
		}
	}

	/**
	 * A learned style was saved, imported or deleted in another window (/learn): the style list follows at
	 * once, without a reload. A style the blend used that is gone is named in a notice (and the kiosk's log).
	 */
	private learnedChanged(): Promise<void> {
		return this.serially(async () => {
			const rt = this.runtime;
			if (!rt || this.disposed) return;
			const lost = await this.style.reloadLearned(rt);
			this.emit('model', lost ? 'warning' : 'info', lost ?? `the learned styles changed: ${this.style.learnedCount} learned, ${this.style.styles.length} styles in all`);
			if (lost) this.notice = { level: 'info', text: lost };
		}).catch((err) => {
			this.notice = { level: 'error', text: `The learned styles could not be read again: ${err instanceof Error ? err.message : String(err)}` };
		});
	}

	private onContextLost = (event: Event) => {
		event.preventDefault(); // lets the browser restore it later
		(event.target as HTMLCanvasElement).removeEventListener('webglcontextlost', this.onContextLost);
		this.notice = {
			level: 'warning',
			text: 'The graphics card reset (WebGL context lost). Switched to the WebAssembly backend to keep going; WebGL comes back when the card does.'
		};
		this.emit('webgl', 'warning', 'WebGL context lost; switching to WebAssembly');
		tf.removeBackend('webgl');
		this.switchBackend('wasm').catch((err) => {
			this.status = 'failed';
			this.error = `Could not recover from the lost WebGL context: ${String(err)}`;
			this.emit('backend', 'error', this.error);
		});
	};

	private onContextRestored = (event: Event) => {
		(event.target as HTMLCanvasElement).removeEventListener('webglcontextrestored', this.onContextRestored);
		this.emit('webgl', 'info', 'WebGL context restored; switching back');
		this.switchBackend(this.config?.backend === 'wasm' || this.config?.backend === 'cpu' ? this.config.backend : 'webgl')
			.then(() => {
				if (this.backend?.name === 'webgl') this.notice = { level: 'info', text: 'The graphics card is back: running on WebGL again.' };
			})
			.catch((err) => {
				this.error = `Could not go back to WebGL: ${String(err)}`;
				this.emit('backend', 'error', this.error);
			});
	};

	/** The settings snapshot for the next frame. */
	private frameSettings(source: FrameSource): FrameSettings {
		const now = performance.now();
		this.beforeFrame?.(now);
		const size = scaleToShortSide(source.width, source.height, this.style.active ? this.style.shortSide : 480);
		return {
			...size,
			guide: this.guideSize(source, size),
			mirror: this.mirror && source.kind === 'camera',
			sideBySide: this.sideBySide,
			style: this.style.snapshot(),
			overlay: this.explain.overlay(),
			capture: this.explain.wantsCapture(now),
			debugDelayMs: this.debugDelayMs
		};
	}

	/** Detail from the camera frame: the guide frame's size (twice the processing size, capped by the camera and the screen), or null. */
	private guideSize(source: FrameSource, size: { width: number; height: number }): FrameSettings['guide'] {
		if (!this.style.active || this.style.detail <= 0) return null;
		const display = typeof screen !== 'undefined' ? Math.round(Math.min(screen.width, screen.height) * (globalThis.devicePixelRatio || 1)) : null;
		const side = guideShortSide(Math.min(size.width, size.height), Math.min(source.width, source.height), display);
		return side ? scaleToShortSide(source.width, source.height, side) : null;
	}

	private frameFailed(err: unknown): void {
		// A crashed worker already said so (and is restarted by the next frame); other errors are shown.
		if ((err as Error)?.name === 'WorkerCrashedError') return;
		this.error = `A frame failed: ${err instanceof Error ? err.message : String(err)}`;
		this.emit('frame', 'error', this.error);
	}

	private emit(kind: StudioEvent['kind'], level: StudioEvent['level'], message: string): void {
		try {
			this.onEvent?.({ kind, level, message });
		} catch (err) {
			console.error('studio event listener failed', err);
		}
	}

	/** Stops processing frames (no frame is taken from the source) until resume(). */
	pause(): void {
		this.paused = true;
		this.scheduler?.stop();
	}

	resume(): void {
		this.paused = false;
		if (this.status === 'running' && !this.disposed) this.scheduler?.start();
	}

	private report(r: FrameReport, result: FrameResult): void {
		const now = performance.now();
		if (result.capture) this.explain.explainCapture(result.capture, now);
		// With several style workers the others go on after one crashed: frames are back once it is too.
		if (this.recovering && this.runtime?.pipeline.healthy) {
			this.recovering = false;
			this.notice = { level: 'info', text: 'The worker was restarted; frames are back.' };
			this.emit('worker', 'info', 'the worker was restarted; frames are back');
		}
		if (this.style.active && this.style.observe(r.costMs, now)) this.scheduler?.stats.reset();
		const onGpu = this.backend?.name === 'webgl';
		const mem = onGpu ? (tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number }) : null;
		this.hud = {
			fps: r.fps,
			medianMs: r.medianMs,
			numTensors: result.numTensors,
			explainTensors: this.explain.active ? this.explain.workerTensors : null,
			gpuBytes: mem ? (mem.numBytesInGPU ?? null) : null,
			frame: r.frame,
			width: r.width,
			height: r.height,
			dropped: r.dropped,
			explainHz: this.explain.active ? this.explain.explainHz : null,
			timings: result.timings
		};
	}

	/** PNG of the picture on screen. */
	snapshot(): Promise<Blob | null> {
		return this.runtime?.pipeline.snapshot() ?? Promise.resolve(null);
	}

	/** Freeze frame on or off: the picture holds still; style, strength and explanations still apply to it. */
	setFrozen(on: boolean): void {
		if (on === (this.frozen !== null)) return;
		this.frozen?.stop();
		this.frozen = on ? FrozenFrame.of(this.source.current) : null;
	}

	/**
	 * "Save full size": the current camera frame (or upload) at its own resolution, stylized on tiles
	 * in a worker, downloaded as a PNG (progress and cancel in `still`).
	 */
	saveFullSize(): Promise<void> {
		return this.still.save(async () => {
			if (!this.style.active) throw new Error('turn a style on first');
			const current = this.source.current;
			// An upload: read again from the file at its own size (the studio shows it at most 1920 px).
			const original = current instanceof StillImageSource ? current.original : null;
			// The style as it is now (learned styles' rows included), for either picture.
			const style = { weights: [...this.style.weights], extra: this.style.learned, strength: this.style.strength, name: 'style-studio-full' };
			if (original) {
				const bitmap = await createImageBitmap(original.file);
				try {
					return { ...readStillSource(bitmap, bitmap.width, bitmap.height, false), ...style };
				} finally {
					bitmap.close();
				}
			}
			const src = this.frozen ?? current;
			if (!src || !(src.width > 0)) return null;
			return { ...readStillSource(src.element, src.width, src.height, this.mirror && src.kind === 'camera'), ...style };
		}, this.backend?.name === 'cpu' ? 'cpu' : 'wasm');
	}

	/** PNG of the camera frame as it comes in (before any style; the held frame while frozen). */
	async rawSnapshot(): Promise<Blob | null> {
		const src = this.frozen ?? this.source.current;
		if (!src || !(src.width > 0)) return null;
		return pixelsToPng(readPixels(src.element, src.width, src.height));
	}

	/** Sends the frame on screen ('shown') or the camera frame ('raw') to the lab, opened in `win`. */
	async sendToLab(which: 'shown' | 'raw', win: Window | null): Promise<void> {
		try {
			const blob = which === 'raw' ? await this.rawSnapshot() : await this.snapshot();
			if (!blob) throw new Error('there is no picture yet');
			const bitmap = await createImageBitmap(blob);
			const meta = { width: bitmap.width, height: bitmap.height, source: which === 'raw' ? 'camera' : 'studio', label: which === 'raw' ? `camera frame (${this.source.label})` : 'studio frame' };
			bitmap.close();
			await sendToLab(blob, meta, win);
		} catch (err) {
			win?.close();
			this.notice = { level: 'error', text: `The frame could not be sent to the lab: ${err instanceof Error ? err.message : String(err)}` };
		}
	}

	/** Puts the camera frame (before any style: what the gallery's network should see) into the gallery. */
	async saveToGallery(source: 'camera' | 'burst'): Promise<void> {
		const blob = await this.rawSnapshot();
		if (!blob) throw new Error('there is no picture yet');
		const bitmap = await createImageBitmap(blob);
		const meta = { width: bitmap.width, height: bitmap.height, source, label: `${source === 'burst' ? 'burst' : 'camera'} frame (${this.source.label})` };
		bitmap.close();
		await keepSnapshot(blob, meta);
	}

	/** Diagnostics and tests: the running workers' owners (`style` is the first style worker, `styles` all of them, `styleFrames` the frames each answered). */
	get workers() {
		type Owner = import('../workers/owner').WorkerOwner<unknown>;
		const rt = this.runtime;
		const lanes = rt?.pipeline instanceof WorkerPipeline ? rt.pipeline : null;
		const styles = lanes?.owners ?? [];
		const explain = rt && 'owner' in rt.explainer ? (rt.explainer as { owner: Owner }).owner : null;
		return { style: styles[0] ?? null, styles, styleFrames: lanes?.answered ?? [], explain };
	}

	dispose(): void {
		this.disposed = true;
		this.unwatchLearned?.();
		this.unwatchLearned = null;
		this.burst.stop();
		this.scheduler?.stop();
		this.source.dispose();
		this.setFrozen(false);
		this.capture.dispose();
		for (const f of this.features) f.unload();
		this.runtime?.dispose();
		this.runtime = null;
	}
}

function capitalize(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

const KEY = Symbol('studio');
export const setStudio = (s: StudioState) => setContext(KEY, s);
export const getStudio = () => getContext<StudioState>(KEY);
