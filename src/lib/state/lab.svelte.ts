/**
 * The lab's state: the input picture, the chosen mode and its parameters, the run (estimate, progress,
 * cancel), the result. All tensor work happens in the lab worker (optvis/worker-client.ts); this class
 * holds plain data and is what the /lab components read and call.
 */
import { DemoSource } from '../camera/demo';
import { StillImageSource } from '../camera/still-image';
import { SnapshotStore } from '../gallery/store';
import { LAB_CATALOGUE, checkParams, expectedRunMs, labDefaults, type LabModeId, type LabParams, type LabProgress, type LabResult, type ModeInfo } from '../optvis/catalogue';
import { leavesBackendBroken } from '../tf/fatal-error';
import { pixelsToPng, readPixels, type PixelImage } from '../render/pixels';
import { planBackend } from '../tf/backend-choice';
import { probeBrowser } from '../tf/probe';
import { LabClient } from '../optvis/worker-client';
import type { WorkerCrashedError } from '../workers/owner';
import type { LabWorkerInit } from '../workers/protocol';
import { Job } from './job.svelte';

/** The lab works on pictures up to this long side (every mode resizes further). */
export const LAB_MAX_SIDE = 640;

export type LabStatus = 'loading' | 'ready' | 'estimating' | 'running' | 'error';

export interface LabInput {
	pixels: PixelImage;
	label: string;
	/** The picture at its own size, when the lab works on a smaller copy (an upload, a picture from the studio). */
	original: Blob | null;
}

/** What LabState asks of the lab worker's client (a LabClient; a fake at this boundary in unit tests). */
export type LabWorkerClient = Pick<LabClient, 'load' | 'estimate' | 'run' | 'numTensors' | 'dispose'>;
/** Makes the lab's client: at start, and again after an error that can leave its backend broken. */
export type LabClientFactory = (backend: LabWorkerInit['backend'], onCrash: (err: WorkerCrashedError) => void) => LabWorkerClient;

const newLabClient: LabClientFactory = (backend, onCrash) => new LabClient(backend, onCrash);

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** What the chosen mode uses, in words (generic over the mode so its parameters keep their type). */
function usesOf<K extends LabModeId>(id: K, params: LabParams, labels: readonly string[]): string {
	const info: ModeInfo<LabParams[K]> = LAB_CATALOGUE[id];
	return info.uses(params[id], labels);
}

export class LabState {
	/** The classifier's load: 'loading', then 'ready' or 'error'. */
	private loadStatus = $state<'loading' | 'ready' | 'error'>('loading');
	/** The warm-up that measures the expected time, and the run itself: at most one of them at a time. */
	private readonly warmUp = new Job<never>({ onError: (err) => (this.error = `The warm-up failed: ${message(err)}.${this.recover(err)}`) });
	private readonly runner = new Job<LabProgress>({
		onError: (err) => (this.error = `${this.mode.title} failed: ${message(err)}.${this.recover(err)}`),
		onCancel: () => (this.notice = 'Cancelled.')
	});
	status: LabStatus = $derived(this.warmUp.running ? 'estimating' : this.runner.running ? 'running' : this.loadStatus);
	busy = $derived(this.status === 'estimating' || this.status === 'running');
	/** What the worker runs on ('wasm', 'webgl' …) and its threads. */
	backend = $state<string | null>(null);
	threads = $state(0);
	labels = $state.raw<string[]>([]);
	blocks = $state.raw<string[]>([]);
	modeId = $state<LabModeId>('gatys');
	/** Parameters of every mode (kept when switching modes). */
	params = $state<LabParams>(labDefaults());
	input = $state.raw<LabInput | null>(null);
	/** Expected run time (ms), from the measured warm-up; null when not measured yet. */
	expectedMs = $state<number | null>(null);
	result = $state.raw<LabResult | null>(null);
	/** The mode that made the result (its title and what it used). */
	resultOf = $state<string | null>(null);
	error = $state<string | null>(null);
	notice = $state<string | null>(null);

	private client: LabWorkerClient | null = null;
	/** The backend the client is made for (the plan's first choice). */
	private backendChoice: LabWorkerInit['backend'] = 'cpu';
	private store: SnapshotStore | null = null;

	constructor(private readonly makeClient: LabClientFactory = newLabClient) {}

	/**
	 * What is wrong with the chosen mode's parameters, by field key ('' for the run as a whole, e.g. its
	 * memory need): a run with any problem does not start, and the form shows each beside its field.
	 */
	paramProblems = $derived(this.input ? checkParams(this.modeId, this.params[this.modeId], this.input.pixels, this.labels.length) : {});

	get mode() {
		return LAB_CATALOGUE[this.modeId];
	}

	get uses(): string {
		return this.labels.length ? usesOf(this.modeId, this.params, this.labels) : '';
	}

	/** The run's progress (null before its first step and when no run is going on). */
	get progress(): LabProgress | null {
		return this.runner.progress;
	}

	/** Remaining time, from the progress so far (or the warm-up estimate before the first step). */
	get etaMs(): number | null {
		const p = this.progress;
		if (p && p.done > 0) return (p.elapsedMs / p.done) * (p.total - p.done);
		return this.expectedMs;
	}

	async start(opts: { snapshotId: string | null; backend?: 'webgl' | 'wasm' | 'cpu' | null }): Promise<void> {
		try {
			this.store = await SnapshotStore.open();
		} catch {
			this.store = null; // private mode without IndexedDB: snapshots cannot be handed over, uploads still work
		}
		await this.openSnapshot(opts.snapshotId);
		if (!this.input) this.useDemo();
		const plan = planBackend(probeBrowser(), opts.backend ?? null);
		this.backendChoice = plan.order[0] ?? 'cpu';
		this.client = this.newClient();
		try {
			const loaded = await this.client.load();
			this.backend = loaded.backend;
			this.threads = loaded.threads;
			this.labels = loaded.labels;
			this.blocks = loaded.blocks;
			this.loadStatus = 'ready';
		} catch (err) {
			this.loadStatus = 'error';
			this.error = `The lab could not load the classifier: ${message(err)}`;
		}
	}

	private async openSnapshot(id: string | null): Promise<void> {
		if (!id) return;
		try {
			const snap = await this.store?.get(id);
			if (!snap) {
				this.notice = 'The picture sent from the studio is no longer here; showing the demo picture instead.';
				return;
			}
			const bitmap = await createImageBitmap(snap.blob);
			try {
				this.setInput(readPixels(bitmap, bitmap.width, bitmap.height, LAB_MAX_SIDE), snap.label ?? `from the ${snap.source}`, snap.blob);
			} finally {
				bitmap.close();
			}
		} catch (err) {
			this.notice = `The picture sent from the studio could not be read (${message(err)}).`;
		}
	}

	useDemo(): void {
		const demo = new DemoSource(640, 480);
		try {
			demo.advance(performance.now() + 1500);
			this.setInput(readPixels(demo.element, demo.width, demo.height, LAB_MAX_SIDE), 'demo scene');
		} finally {
			demo.stop();
		}
	}

	/** An uploaded picture: the studio's checks (empty, not an image, too many megapixels), downscaled. */
	async upload(file: File): Promise<void> {
		try {
			const still = await StillImageSource.fromFile(file);
			this.setInput(readPixels(still.element, still.width, still.height, LAB_MAX_SIDE), file.name, file);
			still.stop();
			this.notice = null;
		} catch (err) {
			this.notice = message(err);
		}
	}

	/** An uploaded style image for the optimization style transfer (same checks; long side ≤ 512). */
	async uploadStyle(file: File | null): Promise<void> {
		if (!file) {
			this.params.gatys.styleImage = null;
			return;
		}
		try {
			const still = await StillImageSource.fromFile(file);
			this.params.gatys.styleImage = readPixels(still.element, still.width, still.height, 512);
			this.params.gatys.styleImageName = file.name;
			still.stop();
			this.expectedMs = null;
		} catch (err) {
			this.notice = message(err);
		}
	}

	/** `original`: the picture at its own size when `pixels` is a smaller copy of it (for "Save full size"). */
	setInput(pixels: PixelImage, label: string, original: Blob | null = null): void {
		this.input = { pixels, label, original };
		this.expectedMs = null;
	}

	setMode(id: LabModeId): void {
		if (this.busy) return;
		this.modeId = id;
		this.expectedMs = null;
	}

	setParam(key: string, value: unknown): void {
		(this.params[this.modeId] as unknown as Record<string, unknown>)[key] = value;
		this.expectedMs = null;
	}

	resetParams(): void {
		this.params = { ...this.params, [this.modeId]: clone(this.mode.defaults) };
		this.expectedMs = null;
	}

	private current(): { mode: LabModeId; params: LabParams[LabModeId]; image: PixelImage } {
		if (!this.client || !this.input) throw new Error('the lab is not ready');
		return { mode: this.modeId, params: $state.snapshot(this.params[this.modeId]) as LabParams[LabModeId], image: this.input.pixels };
	}

	/** A run with a parameter out of bounds (or too big for the memory limit) is refused, with the reason. */
	private refused(): boolean {
		const problems = Object.entries(this.paramProblems);
		if (problems.length === 0) return false;
		const field = (key: string) => this.mode.fields.find((f) => f.key === key)?.label;
		this.error = `Not started: ${problems.map(([k, v]) => (field(k) ? `${field(k)}: ${v}` : v)).join('; ')}.`;
		return true;
	}

	private newClient(): LabWorkerClient {
		return this.makeClient(this.backendChoice, (err) => {
			this.notice = `${err.message}. It restarts by itself; run again.`;
		});
	}

	/**
	 * After an error that can leave the worker's backend broken (a wasm trap, out of memory, a lost
	 * context) the client and its worker are disposed and a new client is made: the next run starts a
	 * fresh worker and loads the classifier there. Returns what to add to the message.
	 */
	private recover(err: unknown): string {
		if (!leavesBackendBroken(err) || !this.client) return '';
		this.client.dispose();
		this.client = this.newClient();
		return ' The lab worker was restarted; the next run starts afresh.';
	}

	/** Measures a short warm-up of the chosen mode, for the expected time. */
	async estimate(): Promise<void> {
		if (this.busy || this.status !== 'ready' || this.refused()) return;
		const { mode, params, image } = this.current();
		this.error = null;
		await this.warmUp.start(async (signal) => {
			const e = await this.client!.estimate(mode, params, image, signal);
			this.expectedMs = expectedRunMs(e.phases);
		});
	}

	async run(): Promise<void> {
		if (this.busy || this.status !== 'ready' || this.refused()) return;
		const { mode, params, image } = this.current();
		this.error = null;
		await this.runner.start(async (signal, progress) => {
			const result = await this.client!.run(mode, params, image, progress, signal);
			this.result = result;
			this.resultOf = `${this.mode.title} — ${this.uses}`;
		});
	}

	cancel(): void {
		this.warmUp.abort();
		this.runner.abort();
	}

	/** The result's main picture becomes the next run's input. */
	useResult(index = 0): void {
		const pic = this.result?.pictures[index];
		if (pic) this.setInput(pic.image, pic.label);
	}

	/** The input picture at its own size (the file or the studio's frame; else the lab's own pixels), for "Save full size". */
	async fullSizePicture(): Promise<Blob | null> {
		const input = this.input;
		if (!input) return null;
		return input.original ?? pixelsToPng(input.pixels);
	}

	async png(index = 0): Promise<Blob | null> {
		const pic = this.result?.pictures[index];
		return pic ? pixelsToPng(pic.image) : null;
	}

	/** Keeps a result picture in the snapshot store (the gallery shows it). */
	async saveToGallery(index = 0): Promise<void> {
		const pic = this.result?.pictures[index];
		if (!pic) return;
		try {
			if (!this.store) throw new Error('this browser keeps no local storage for this page');
			await this.store.put(await pixelsToPng(pic.image), { width: pic.image.width, height: pic.image.height, source: 'lab', label: `${this.mode.title}: ${pic.label}` });
			this.notice = 'Saved to the gallery (on this device only).';
		} catch (err) {
			this.notice = `Could not save to the gallery: ${message(err)}`;
		}
	}

	/** Live tensors in the worker (tests, diagnostics). */
	numTensors(): Promise<number> {
		return this.client?.numTensors() ?? Promise.resolve(0);
	}

	dispose(): void {
		this.warmUp.dispose();
		this.runner.dispose();
		this.client?.dispose();
		this.client = null;
		this.store?.close();
	}
}

function message(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}
