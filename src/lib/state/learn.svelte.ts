/**
 * The style learner's state (/learn): the picture, the effort and its expected time on this device,
 * the run (progress, loss, preview, pause, cancel), the result and its name, and the learned styles kept
 * on this device (list, save, delete, export, import). All tensor work happens in the learn worker
 * (learn/learn-client.ts); this class holds plain data and is what the /learn page reads and calls.
 */
import { findResolution } from '../camera/resolution';
import { StillImageSource } from '../camera/still-image';
import { WebcamSource } from '../camera/webcam';
import { cropPixels, fullRect, isFull, type CropRect } from '../learn/crop';
import { EFFORTS, type EffortId } from '../learn/efforts';
import { LearnClient } from '../learn/learn-client';
import type { LearnLoaded, LearnProgress, LearnRequest, LearnResult } from '../learn/protocol';
import { LearnedStyleStore, watchLearnedStyles } from '../learn/store';
import { cleanName, parseStyleFile, toStyleFile, type LearnedStyle } from '../learn/style-file';
import { pixelsToPng, readPixels, type PixelImage } from '../render/pixels';
import { planBackend } from '../tf/backend-choice';
import { probeBrowser } from '../tf/backend';
import { Job } from './job.svelte';

/** The style picture is kept at most this long side (the targets see it at 384 and 512 px short side). */
export const STYLE_MAX_SIDE = 768;
/** Camera frames added to the content set, at most. */
export const MAX_EXTRA_CONTENTS = 6;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function dataUrl(img: PixelImage): Promise<string> {
	const blob = await pixelsToPng(img);
	return new Promise((resolve, reject) => {
		const r = new FileReader();
		r.onload = () => resolve(String(r.result));
		r.onerror = () => reject(r.error ?? new Error('the thumbnail could not be read'));
		r.readAsDataURL(blob);
	});
}

export class LearnState {
	private loadStatus = $state<'loading' | 'ready' | 'error'>('loading');
	private readonly warmUp = new Job<never>({ onError: (err) => (this.error = `The warm-up failed: ${message(err)}`) });
	private readonly runner = new Job<LearnProgress>({
		onError: (err) => (this.error = `Learning failed: ${message(err)}`),
		onCancel: () => (this.notice = 'Cancelled.')
	});
	status = $derived(this.warmUp.running ? 'estimating' : this.runner.running ? 'learning' : this.loadStatus);
	busy = $derived(this.status === 'estimating' || this.status === 'learning');
	loaded = $state.raw<LearnLoaded | null>(null);
	picture = $state.raw<{ pixels: PixelImage; label: string } | null>(null);
	/** The part of the picture the style is learned from (picture pixels; the whole picture until the person crops it). */
	crop = $state.raw<CropRect | null>(null);
	/** True while the crop is less than the whole picture. */
	cropped = $derived(!!this.picture && !!this.crop && !isFull(this.crop, this.picture.pixels.width, this.picture.pixels.height));
	/** What the style targets are computed from: the crop of the picture. */
	styleImage = $derived(this.picture ? (this.crop ? cropPixels(this.picture.pixels, this.crop) : this.picture.pixels) : null);
	/** A picture is there and the learner is loaded and idle: Measure and Start can run. */
	canRun = $derived(this.status === 'ready' && !!this.picture);
	extraContents = $state.raw<PixelImage[]>([]);
	effort = $state<EffortId>('good');
	/** Steps instead of the preset's (the address option `learnSteps`, for tests and demos). */
	stepsOverride = $state<number | null>(null);
	/** The picture's short sides for its statistics instead of training's (the address option `learnSides`). */
	sidesOverride = $state.raw<number[] | null>(null);
	/** Expected time (ms) of the chosen effort, measured by a warm-up on this device. */
	expectedMs = $state<number | null>(null);
	paused = $state(false);
	/** Losses so far (one per step) and the latest preview. */
	losses = $state.raw<number[]>([]);
	preview = $state.raw<PixelImage | null>(null);
	result = $state.raw<LearnResult | null>(null);
	name = $state('');
	learned = $state.raw<LearnedStyle[]>([]);
	error = $state<string | null>(null);
	notice = $state<string | null>(null);

	private client: LearnClient | null = null;
	private store: LearnedStyleStore | null = null;
	private unwatch: (() => void) | null = null;

	get progress(): LearnProgress | null {
		return this.runner.progress;
	}

	get steps(): number {
		return this.stepsOverride ?? EFFORTS[this.effort].steps;
	}

	/** Remaining time from the steps so far (or the warm-up's estimate before the first). */
	get etaMs(): number | null {
		const p = this.progress;
		if (p && p.phase === 'learning' && p.step > 0) return (p.elapsedMs / p.step) * (p.steps - p.step);
		return this.expectedMs;
	}

	async start(opts: { backend?: 'webgl' | 'wasm' | 'cpu' | null; steps?: number | null; sides?: number[] | null } = {}): Promise<void> {
		this.stepsOverride = opts.steps ?? null;
		this.sidesOverride = opts.sides?.length ? opts.sides : null;
		try {
			this.store = await LearnedStyleStore.open();
			this.learned = await this.store.list();
			// Another /learn tab saved, imported or deleted one: the list follows.
			this.unwatch = watchLearnedStyles(() => void this.store?.list().then((l) => (this.learned = l), () => {}));
		} catch (err) {
			this.store = null;
			this.notice = `Learned styles cannot be kept in this browser (${message(err)}); you can still learn and export one.`;
		}
		const plan = planBackend(probeBrowser(), opts.backend ?? null);
		this.client = new LearnClient(plan.order[0] ?? 'cpu', (err) => (this.notice = `${err.message}. It restarts by itself; start again.`));
		try {
			this.loaded = await this.client.load();
			this.loadStatus = 'ready';
		} catch (err) {
			this.loadStatus = 'error';
			this.error = `The learner could not load its networks: ${message(err)}`;
		}
	}

	/** A picture to learn from: the studio's upload checks (empty, not an image, too many megapixels). */
	async choose(file: File): Promise<void> {
		try {
			const still = await StillImageSource.fromFile(file);
			const pixels = readPixels(still.element, still.width, still.height, STYLE_MAX_SIDE);
			this.picture = { pixels, label: file.name };
			this.crop = fullRect(pixels.width, pixels.height);
			still.stop();
			this.expectedMs = null;
			this.result = null;
			this.notice = null;
			if (!this.name) this.name = file.name.replace(/\.[a-z0-9]+$/i, '').replace(/[_,=&#]+/g, ' ').trim().slice(0, 40);
		} catch (err) {
			this.notice = message(err);
		}
	}

	/** A camera frame (or any picture) added to the content photos. */
	addContent(pixels: PixelImage): void {
		if (this.extraContents.length >= MAX_EXTRA_CONTENTS) {
			this.notice = `At most ${MAX_EXTRA_CONTENTS} of your own photos are used.`;
			return;
		}
		this.extraContents = [...this.extraContents, pixels];
		this.expectedMs = null;
	}

	/** One frame of the camera (opened and closed again) added to the content photos. */
	async addCameraFrame(): Promise<void> {
		let cam: WebcamSource | null = null;
		try {
			cam = await WebcamSource.open(findResolution('640x480'), null, () => {});
			this.addContent(readPixels(cam.element, cam.width, cam.height, 320));
		} catch (err) {
			this.notice = `No camera frame: ${message(err)}`;
		} finally {
			cam?.stop();
		}
	}

	/** Your own photos (same checks as any upload) added to the content photos. */
	async addContentFile(file: File): Promise<void> {
		try {
			const still = await StillImageSource.fromFile(file);
			this.addContent(readPixels(still.element, still.width, still.height, 320));
			still.stop();
		} catch (err) {
			this.notice = message(err);
		}
	}

	/** The crop (picture pixels, made by the page's crop box); `null` resets it to the whole picture. */
	setCrop(rect: CropRect | null): void {
		const p = this.picture?.pixels;
		if (!p || this.busy) return;
		this.crop = rect ?? fullRect(p.width, p.height);
	}

	clearContents(): void {
		this.extraContents = [];
		this.expectedMs = null;
	}

	setEffort(id: EffortId): void {
		if (this.busy) return;
		this.effort = id;
		this.expectedMs = null;
	}

	private request(): LearnRequest {
		const style = this.styleImage;
		if (!this.client || !style) throw new Error('choose a picture first');
		return { style, extraContents: this.extraContents, effort: this.effort, ...(this.stepsOverride ? { steps: this.stepsOverride } : {}), ...(this.sidesOverride ? { styleSides: this.sidesOverride } : {}) };
	}

	/** Measures a short warm-up (the style targets, the best guess and a few steps) for the expected time. */
	async estimate(): Promise<void> {
		if (!this.canRun) return;
		const req = this.request();
		this.error = null;
		await this.warmUp.start(async (signal) => {
			const e = await this.client!.estimate(req, signal);
			this.expectedMs = e.setupMs + e.msPerStep * (e.steps - 1);
		});
	}

	async learn(): Promise<void> {
		if (!this.canRun) return;
		const req = this.request();
		this.error = null;
		this.notice = null;
		this.result = null;
		this.losses = [];
		this.preview = null;
		this.paused = false;
		const result = await this.runner.start(async (signal, progress) =>
			this.client!.learn(
				req,
				(p) => {
					if (!progress(p)) return;
					if (p.loss !== undefined) this.losses = [...this.losses, p.loss];
					if (p.preview) this.preview = p.preview;
				},
				signal
			)
		);
		this.paused = false;
		if (result) {
			this.result = result;
			this.preview = result.preview;
			this.notice = `Learned in ${result.steps} steps: style loss ${result.styleLossGuess.toFixed(3)} → ${result.styleLossLearned.toFixed(3)}. Name it and save it.`;
		}
	}

	async togglePause(): Promise<void> {
		if (this.status !== 'learning') return;
		this.paused = !this.paused;
		await this.client?.pause(this.paused);
	}

	cancel(): void {
		this.warmUp.abort();
		this.runner.abort();
	}

	/** Keeps the learned style on this device under `name`; it appears in the studio's style list. */
	async save(): Promise<LearnedStyle | null> {
		const r = this.result;
		if (!r) return null;
		try {
			const style: LearnedStyle = { id: crypto.randomUUID(), name: cleanName(this.name), networkVersion: r.networkVersion, row: Array.from(r.row), thumbnail: await dataUrl(r.preview), createdAt: Date.now() };
			if (!this.store) throw new Error('this browser keeps no learned styles (no IndexedDB); export it instead');
			await this.store.put(style);
			this.learned = await this.store.list();
			this.notice = `Saved “${style.name}”: it is in the studio's style list.`;
			return style;
		} catch (err) {
			this.error = message(err);
			return null;
		}
	}

	/** The export file of a learned style (the result not yet saved too, under the current name). */
	async exportFile(style: LearnedStyle): Promise<Blob> {
		return new Blob([toStyleFile(style)], { type: 'application/json' });
	}

	async importFile(file: File): Promise<void> {
		try {
			if (!this.loaded) throw new Error('the learner is still loading');
			if (file.size > 2_000_000) throw new Error('This file is too large to be a learned style.');
			const style = parseStyleFile(await file.text(), { networkVersion: this.loaded.networkVersion, rowWidth: this.loaded.rowWidth });
			if (!this.store) throw new Error('this browser keeps no learned styles (no IndexedDB)');
			await this.store.put(style);
			this.learned = await this.store.list();
			this.notice = `Imported “${style.name}”.`;
		} catch (err) {
			this.error = message(err);
		}
	}

	async remove(id: string): Promise<void> {
		if (!this.store) return;
		await this.store.delete(id);
		this.learned = await this.store.list();
	}

	dispose(): void {
		this.warmUp.dispose();
		this.runner.dispose();
		this.client?.dispose();
		this.unwatch?.();
		this.store?.close();
	}
}
