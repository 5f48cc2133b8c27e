/**
 * Where explanations are computed, behind one interface: in the page next to the WebGL pipeline
 * (LocalExplainClient: the captured frames are GPU tensors already), or in the explain worker on the
 * CPU path (workers/explain-client.ts: the captured frames arrive as pixels). Both give plain data.
 */
import type { FrameCapture } from '../live/pipeline';
import { disposeCapture } from '../live/pipeline';
import type { PixelImage } from '../render/pixels';
import { pixelsToTensor } from '../render/pixels';
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

	async explain(capture: FrameCapture, request: ExplainRequest, signal?: AbortSignal): Promise<ExplainResult> {
		const owned = capture.kind === 'tensors';
		const raw = capture.kind === 'tensors' ? capture.raw : capture.raw ? pixelsToTensor(capture.raw) : null;
		const shown = capture.kind === 'tensors' ? capture.shown : pixelsToTensor(capture.shown);
		try {
			if (!this.explainer) throw new Error('the classifier is not loaded');
			if (signal?.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
			return await this.explainer.explain({ raw, shown }, request);
		} finally {
			if (owned) disposeCapture(capture);
			else {
				raw?.dispose();
				shown.dispose();
			}
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
