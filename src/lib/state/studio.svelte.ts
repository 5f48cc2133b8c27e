import * as tf from '@tensorflow/tfjs';
import { getContext, setContext } from 'svelte';
import { parseBackendParam, type BackendName } from '../tf/backend-choice';
import { initBackend, type BackendInfo } from '../tf/backend';
import { LiveLoop, type FrameReport } from '../live/loop';
import type { FrameProcessor } from '../live/processor';
import type { FrameRenderer } from '../render/renderer';
import { Canvas2DRenderer } from '../render/canvas2d-renderer';
import { WebGLRenderer } from '../render/webgl-renderer';
import { SourceState } from './source.svelte';
import { StyleState } from './style.svelte';
import { CaptureState } from './capture.svelte';
import { ExplainState } from './explain.svelte';

export interface HudStats {
	fps: number;
	medianMs: number;
	numTensors: number;
	/** WebGL backend only. */
	gpuBytes: number | null;
	frame: number;
	width: number;
	height: number;
	dropped: number;
	/** Explanations per second (null when explanations are off). */
	explainHz: number | null;
}

export interface StudioOptions {
	/** From the address: ?backend=wasm|webgl|cpu forces a backend; ?camera=0 starts on the demo. */
	params: URLSearchParams;
}

/** The studio: backend, frame source, processing chain, renderer, live loop and HUD numbers. */
export class StudioState {
	readonly source = new SourceState();
	readonly style = new StyleState();
	readonly capture = new CaptureState();
	readonly explain = new ExplainState();
	backend = $state.raw<BackendInfo | null>(null);
	status = $state<'starting' | 'running' | 'failed'>('starting');
	error = $state<string | null>(null);
	renderer = $state.raw<FrameRenderer | null>(null);
	mirror = $state(true);
	hudVisible = $state(true);
	hud = $state<HudStats>({ fps: 0, medianMs: NaN, numTensors: 0, gpuBytes: null, frame: 0, width: 0, height: 0, dropped: 0, explainHz: null });
	sideBySide = $state(false);
	/** Tests only: a processor that busy-waits this long per frame (simulates a slow machine). */
	debugDelayMs = 0;
	private loop: LiveLoop | null = null;
	private disposed = false;

	async start({ params }: StudioOptions): Promise<void> {
		try {
			await this.startBackend(parseBackendParam(params.get('backend')));
			this.loop = new LiveLoop({
				source: () => this.source.current,
				renderer: () => this.renderer,
				chain: () => this.chain(),
				settings: () => ({
					mirror: this.mirror && this.source.kind === 'camera',
					shortSide: this.style.active ? this.style.shortSide : 480,
					sideBySide: this.sideBySide
				}),
				onFrame: (r) => this.report(r),
				onError: (err) => {
					this.error = `A frame failed: ${err instanceof Error ? err.message : String(err)}`;
				}
			});
			await Promise.all([
				this.source.init({ camera: params.get('camera') !== '0' }),
				this.style.load(),
				params.get('explain') === '1' ? this.explain.setEnabled(true) : null
			]);
			if (this.disposed) return;
			this.loop.start();
			this.status = 'running';
		} catch (err) {
			this.status = 'failed';
			this.error = err instanceof Error ? err.message : String(err);
		}
	}

	/** The per-frame chain, read on every frame. */
	private chain(): FrameProcessor[] {
		const chain: FrameProcessor[] = [];
		if (this.style.active && this.style.processor) chain.push(this.style.processor);
		if (this.explain.active) chain.push(this.explain.processor);
		if (this.debugDelayMs > 0) chain.push(delayProcessor(this.debugDelayMs));
		return chain;
	}

	private async startBackend(forced: BackendName | null): Promise<void> {
		const info = await initBackend(forced);
		this.renderer?.dispose();
		if (info.name === 'webgl' && info.glCanvas) {
			info.glCanvas.addEventListener('webglcontextlost', this.onContextLost, { once: true });
			this.renderer = new WebGLRenderer(info.glCanvas);
		} else {
			this.renderer = new Canvas2DRenderer();
		}
		this.backend = info;
	}

	private onContextLost = async (event: Event) => {
		event.preventDefault();
		this.loop?.stop();
		this.error = null;
		this.source.notice = {
			level: 'warning',
			text: 'The graphics card reset (WebGL context lost). Switched to the WebAssembly backend to keep going.'
		};
		try {
			// Everything on the dead context is gone: free our handles, restart on wasm, reload.
			const explaining = this.explain.enabled;
			this.style.unload();
			this.explain.unload();
			tf.removeBackend('webgl');
			await this.startBackend('wasm');
			await Promise.all([this.style.load(), explaining ? this.explain.load() : null]);
			this.loop?.start();
		} catch (err) {
			this.status = 'failed';
			this.error = `Could not recover from the lost WebGL context: ${String(err)}`;
		}
	};

	private report(r: FrameReport): void {
		if (this.style.active && this.style.observe(r.medianMs, performance.now())) this.loop?.stats.reset();
		const mem = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
		this.hud = {
			fps: r.fps,
			medianMs: r.medianMs,
			numTensors: mem.numTensors,
			gpuBytes: this.backend?.name === 'webgl' ? (mem.numBytesInGPU ?? null) : null,
			frame: r.frame,
			width: r.width,
			height: r.height,
			dropped: r.dropped,
			explainHz: this.explain.active ? this.explain.explainHz : null
		};
	}

	dispose(): void {
		this.disposed = true;
		this.loop?.stop();
		this.source.dispose();
		this.style.dispose();
		this.capture.dispose();
		this.explain.dispose();
		this.renderer?.dispose();
	}
}

function delayProcessor(ms: number): FrameProcessor {
	return {
		id: 'debug-delay',
		enabled: true,
		process: (frame) => {
			const end = performance.now() + ms;
			while (performance.now() < end) {
				/* busy: a slow processor */
			}
			return frame;
		}
	};
}

const KEY = Symbol('studio');
export const setStudio = (s: StudioState) => setContext(KEY, s);
export const getStudio = () => getContext<StudioState>(KEY);
