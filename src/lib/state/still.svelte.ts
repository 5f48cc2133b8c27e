import type { ExtraStyle } from '../models/style-net';
import { pixelsToPng, type PixelImage } from '../render/pixels';
import { download } from './capture.svelte';
import { makeStill } from '../stylize/still-job';
import type { StillProgress } from '../stylize/tiles';
import type { CpuBackendName } from '../tf/cpu-backend';

/** What a still is made of: the picture at full size and the style to apply. */
export interface StillRequest {
	image: PixelImage;
	/** Set when the picture was scaled down to the largest still. */
	message: string | null;
	weights: number[];
	/** The learned styles the weights after the built-in ones refer to (none: built-in styles only). */
	extra?: readonly ExtraStyle[];
	strength: number;
	/** The file name's stem. */
	name: string;
}

/**
 * "Save full size" (studio, lab, gallery): one still at a time, with progress and cancel; the PNG is
 * downloaded when it is done. The work happens in a worker of its own (stylize/still-job.ts).
 */
export class StillState {
	progress = $state.raw<StillProgress | null>(null);
	message = $state<string | null>(null);
	error = $state<string | null>(null);
	/** The last still's size (tests read it). */
	lastSize = $state.raw<{ width: number; height: number } | null>(null);
	private controller = $state.raw<AbortController | null>(null);

	get running(): boolean {
		return this.controller !== null;
	}

	get percent(): number {
		const p = this.progress;
		return p && p.stage === 'tiles' && p.total > 0 ? Math.round((100 * p.done) / p.total) : 0;
	}

	/** `take` reads the picture (null: there is none). */
	async save(take: () => StillRequest | null | Promise<StillRequest | null>, backend: CpuBackendName = 'wasm'): Promise<void> {
		if (this.controller) return;
		this.error = null;
		this.message = null;
		let req: StillRequest | null;
		try {
			req = await take();
		} catch (err) {
			this.error = `The full-size still could not be made: ${err instanceof Error ? err.message : String(err)}`;
			return;
		}
		if (!req) {
			this.error = 'The full-size still could not be made (no picture yet).';
			return;
		}
		const controller = new AbortController();
		this.controller = controller;
		this.message = req.message;
		this.progress = { done: 0, total: 1, stage: 'statistics' };
		try {
			const r = await makeStill(req.image, req.weights, req.strength, { extra: req.extra, backend, signal: controller.signal, onProgress: (p) => (this.progress = p) });
			this.lastSize = { width: r.image.width, height: r.image.height };
			download(await pixelsToPng(r.image), `${req.name}-${r.image.width}x${r.image.height}.png`);
		} catch (err) {
			if ((err as Error)?.name !== 'AbortError') this.error = `The full-size still could not be made: ${err instanceof Error ? err.message : String(err)}`;
		} finally {
			this.controller = null;
			this.progress = null;
		}
	}

	cancel(): void {
		this.controller?.abort();
	}
}
