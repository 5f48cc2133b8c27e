/**
 * The backend and everything that holds its resources, made in one place: the tfjs backend, the
 * pipeline that processes frames, and where explanations run. WebGL → both in the page (tensors on
 * the GPU); wasm or cpu → the style worker and the explain worker (the page only sends frames and
 * settings). A lost or restored WebGL context replaces the whole runtime (StudioState.switchBackend),
 * and the features that hold backend resources (style, explanations) load into the new one.
 */
import { planBackend, type BackendName } from '../tf/backend-choice';
import { probeBrowser, startBackend, type BackendInfo } from '../tf/backend';
import type { Pipeline } from './pipeline';
import { MainPipeline } from './main-pipeline';
import { WebGLRenderer } from '../render/webgl-renderer';
import { Canvas2DRenderer } from '../render/canvas2d-renderer';
import { LocalExplainClient, type ExplainClient } from '../explain/client';
import { WorkerPipeline, workerPipelineSupported } from './worker-pipeline';
import { WorkerExplainClient } from '../explain/worker-client';
import type { WorkerCrashedError } from '../workers/owner';
import type { PipelineChoice } from '../config/studio';


export interface Runtime {
	readonly backend: BackendInfo;
	readonly pipeline: Pipeline;
	readonly explainer: ExplainClient;
	dispose(): void;
}

/** A feature that holds backend resources: loaded into each new runtime, unloaded before it goes. */
export interface BackendFeature {
	readonly name: string;
	load(rt: Runtime): Promise<void>;
	unload(): void;
}

export interface RuntimeOptions {
	forced: BackendName | null;
	/** 'auto': workers on the CPU path where the browser can; 'main': everything in the page. */
	pipeline: PipelineChoice;
	/** Threads of each style worker (null: threadPlan's liveThreads for this machine). */
	styleThreads?: number | null;
	/** How many style workers (null: threadPlan's styleWorkers for this machine). */
	styleWorkers?: number | null;
	/** The canvas to show (once per runtime). */
	onCanvas: (canvas: HTMLCanvasElement) => void;
	onWorkerCrash: (err: WorkerCrashedError) => void;
}

/** Tries the plan's backends in order; the first whose pipeline starts wins. */
export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
	const probe = probeBrowser();
	const plan = planBackend(probe, opts.forced);
	const failures: string[] = [];
	for (const name of plan.order) {
		try {
			const reason = failures.length ? `${plan.reason} (${failures.join('; ')})` : plan.reason;
			let pipeline: Pipeline;
			let explainer: ExplainClient;
			let backend: BackendInfo;
			if (name !== 'webgl' && opts.pipeline !== 'main' && workerPipelineSupported()) {
				const wp = await WorkerPipeline.start({
					backend: name,
					onCrash: opts.onWorkerCrash,
					threads: opts.styleThreads ?? undefined,
					workers: opts.styleWorkers ?? undefined
				});
				pipeline = wp;
				opts.onCanvas(wp.canvas);
				explainer = new WorkerExplainClient(name, opts.onWorkerCrash);
				backend = { name, reason, renderer: probe.renderer, threads: wp.info.threads, styleWorkers: wp.info.workers, failures };
			} else {
				const started = await startBackend(name, probe);
				const renderer = name === 'webgl' && started.glCanvas ? new WebGLRenderer(started.glCanvas) : new Canvas2DRenderer();
				pipeline = new MainPipeline({ kind: 'main', backend: name, threads: started.threads }, renderer);
				explainer = new LocalExplainClient();
				backend = { ...started, renderer: started.renderer ?? probe.renderer, reason, failures };
				opts.onCanvas(pipeline.canvas);
			}
			return {
				backend,
				pipeline,
				explainer,
				dispose() {
					explainer.dispose();
					pipeline.dispose();
				}
			};
		} catch (err) {
			failures.push(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
		}
	}
	throw new Error(`No tfjs backend could start: ${failures.join('; ')}`);
}
