/**
 * Where explanations are computed, behind one interface: in the page next to the WebGL pipeline
 * (LocalExplainClient: the captured frames are GPU tensors already), or in the explain worker on the
 * CPU path (explain/worker-client.ts: the captured frames arrive as pixels). Both give plain data.
 */
import type { FrameCapture } from '../live/pipeline';
import { disposeCapture } from '../live/pipeline';
import type { PixelImage } from '../render/pixels';
import { throwIfCancelled } from '../cancel';
import { Explainer, type ExplainRequest, type ExplainResult } from './explainer';

export interface ExplainLoadResult {
	labels: readonly string[];
	filters: PixelImage;
}

export interface ExplainClient {
	readonly kind: 'main' | 'worker';
	/** Threads the explain worker's wasm backend runs (undefined in the page). */
	readonly threads?: number;
	load(url?: string): Promise<ExplainLoadResult>;
	/** Explains the captured frames and frees them. Rejects with an AbortError when `signal` aborts. */
	explain(capture: FrameCapture, request: ExplainRequest, signal?: AbortSignal): Promise<ExplainResult>;
	/** Live tensors where the explanations run (null: counted with the page's). */
	numTensors(): Promise<number | null>;
	unload(): void;
	dispose(): void;
}

export class LocalExplainClient implements ExplainClient {
	readonly kind = 'main' as const;
	private explainer: Explainer | null = null;

	async load(url?: string): Promise<ExplainLoadResult> {
		if (!this.explainer) this.explainer = await Explainer.load(url ? { url } : {});
		return { labels: this.explainer.labels, filters: await this.explainer.filters() };
	}

	/** Takes the page pipeline's captures (tensors, on the GPU with WebGL) and frees them. */
	async explain(capture: FrameCapture, request: ExplainRequest, signal?: AbortSignal): Promise<ExplainResult> {
		try {
			if (capture.kind !== 'tensors') throw new Error('explanations in the page take tensor captures');
			if (!this.explainer) throw new Error('the classifier is not loaded');
			throwIfCancelled(signal);
			return await this.explainer.explain({ raw: capture.raw, shown: capture.shown }, request);
		} finally {
			disposeCapture(capture);
		}
	}

	async numTensors(): Promise<number | null> {
		return null;
	}

	unload(): void {
		this.explainer?.dispose();
		this.explainer = null;
	}

	dispose(): void {
		this.unload();
	}
}
