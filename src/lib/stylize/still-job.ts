/**
 * "Save full size": a stylized still of a whole picture at its own resolution (up to MAX_STILL_SIDE
 * on the long side), made on tiles (stylize/tiles.ts) in a style worker of its own on the CPU path
 * (wasm, or cpu where wasm is missing), so the live picture keeps running and a large still never
 * meets a WebGL texture limit. Cancelling terminates that worker: nothing is left behind.
 */
import { proxy, transfer } from 'comlink';
import { STYLE_NET_URL, type ExtraStyle } from '../models/style-net';
import type { PixelImage } from '../render/pixels';
import { WASM_PATH, threadsFor, type CpuBackendName } from '../tf/cpu-backend';
import { WorkerOwner } from '../workers/owner';
import type { StyleWorkerApi } from '../workers/protocol';
import { MAX_STILL_SIDE, stillSize, type StillProgress, type StillResult } from './tiles';

export interface StillJobOptions {
	backend?: CpuBackendName;
	/** Learned styles after the built-in ones, when the weights refer to them. */
	extra?: readonly ExtraStyle[];
	onProgress?: (p: StillProgress) => void;
	signal?: AbortSignal;
}

/** Starts a worker, makes the still, ends the worker. `image` is transferred (its buffer is gone after). */
export async function makeStill(image: PixelImage, weights: number[], strength: number, opts: StillJobOptions = {}): Promise<StillResult> {
	const owner = new WorkerOwner<StyleWorkerApi>({
		name: 'still worker',
		create: () => new Worker(new URL('../workers/style.worker.ts', import.meta.url), { type: 'module', name: 'still' })
	});
	try {
		const backend = opts.backend ?? 'wasm';
		await owner.call((api) => api.init({ backend, threads: threadsFor('style', navigator.hardwareConcurrency), wasmPath: WASM_PATH }), { signal: opts.signal, timeoutMs: 60_000 });
		const onProgress = opts.onProgress ?? (() => {});
		return await owner.call((api) => api.still(STYLE_NET_URL, transfer(image, [image.data.buffer as ArrayBuffer]), weights, [...(opts.extra ?? [])], strength, proxy(onProgress)), { signal: opts.signal });
	} finally {
		owner.dispose();
	}
}

/**
 * Reads a picture (camera video, uploaded image, canvas) at its own size, or scaled so the long side
 * is MAX_STILL_SIDE (the message says so), mirrored when the studio shows it mirrored.
 */
export function readStillSource(source: CanvasImageSource, width: number, height: number, mirror: boolean): { image: PixelImage; message: string | null } {
	const size = stillSize(width, height);
	const canvas = document.createElement('canvas');
	canvas.width = size.width;
	canvas.height = size.height;
	const ctx = canvas.getContext('2d', { willReadFrequently: true });
	if (!ctx) throw new Error('2D canvas is not available');
	if (mirror) ctx.setTransform(-1, 0, 0, 1, size.width, 0);
	ctx.drawImage(source, 0, 0, size.width, size.height);
	const image = { width: size.width, height: size.height, data: ctx.getImageData(0, 0, size.width, size.height).data };
	const message = size.scaled
		? `The picture is ${width}×${height}; the full-size still is made at ${size.width}×${size.height} (at most ${MAX_STILL_SIDE} pixels on the long side).`
		: null;
	return { image, message };
}
