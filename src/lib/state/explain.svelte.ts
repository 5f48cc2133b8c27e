import * as tf from '@tensorflow/tfjs';
import { load as loadClassifier, STAGES, type Classifier, type Prediction, type StageName } from '../models/classifier';
import { CAM_METHODS, createCam, type Cam, type CamMethodName } from '../explain/cam';
import { channelGrid, filterGrid, type ChannelGrid, type ChannelOrder } from '../explain/activations';
import { colorize, overlay, type ColormapName } from '../render/colormap';
import type { FrameContext, FrameProcessor } from '../live/processor';
import { FrameStats } from '../live/stats';
import { Canvas2DRenderer } from '../render/canvas2d-renderer';

export type ExplainTarget = 'raw' | 'stylized';

/** What the activations view shows (a page of channel maps), with its picture already on a canvas. */
export interface ActivationView {
	stage: StageName;
	grid: Omit<ChannelGrid, 'grid' | 'allMeans'>;
}

/**
 * Live explanations. Explaining runs on its own schedule beside the live loop: after a frame is
 * drawn, when the last explanation is done and enough time has passed (at most ~40 % of the time
 * goes to explaining), a copy of the frame is explained — top-5 labels of the raw and the stylized
 * frame, a CAM heat map, a page of channel maps. The newest heat map (or an enlarged channel) is
 * blended over every frame by `processor`, so the overlay stays live while the maps update at their
 * own rate (shown as explainHz in the panel).
 */
export class ExplainState {
	enabled = $state(false);
	status = $state<'idle' | 'loading' | 'ready' | 'failed'>('idle');
	error = $state<string | null>(null);
	target = $state<ExplainTarget>('stylized');
	showCam = $state(true);
	method = $state<CamMethodName>('gradcam');
	camStage = $state<StageName>('conv5');
	/** null: the top class of each frame. */
	classIndex = $state<number | null>(null);
	opacity = $state(0.5);
	colormap = $state<ColormapName>('jet');
	showActivations = $state(false);
	actStage = $state<StageName>('conv3');
	actPage = $state(0);
	actSort = $state<ChannelOrder>('mean');
	/** Channel enlarged over the frame (instead of the heat map). */
	channel = $state<number | null>(null);

	rawTop = $state.raw<Prediction[]>([]);
	styledTop = $state.raw<Prediction[]>([]);
	camLabel = $state('');
	activation = $state.raw<ActivationView | null>(null);
	explainHz = $state(0);
	explainMs = $state(NaN);
	labels = $state.raw<readonly string[]>([]);

	/** Canvases the panel shows (the grid of channels, conv1's filters). */
	gridCanvas: HTMLCanvasElement | null = null;
	filterCanvas: HTMLCanvasElement | null = null;

	private classifier: Classifier | null = null;
	private cams = new Map<string, Cam>();
	private heat: tf.Tensor2D | null = null;
	private channelMap: tf.Tensor2D | null = null;
	private running = false;
	private nextAt = 0;
	private stats = new FrameStats(3000);
	private loading: Promise<void> | null = null;

	readonly processor: FrameProcessor = {
		id: 'explain',
		enabled: true,
		process: (frame, ctx) => this.process(frame, ctx)
	};

	get active(): boolean {
		return this.enabled && this.status === 'ready';
	}

	async load(url?: string): Promise<void> {
		if (this.classifier) return;
		if (this.loading) return this.loading;
		this.status = 'loading';
		this.error = null;
		this.loading = (async () => {
			try {
				this.classifier = await loadClassifier(url ? { url } : {});
				this.labels = this.classifier.labels;
				this.status = 'ready';
				this.drawFilters();
			} catch (err) {
				this.status = 'failed';
				this.error = `The classifier could not be loaded, so explanations are off: ${err instanceof Error ? err.message : String(err)}`;
			} finally {
				this.loading = null;
			}
		})();
		return this.loading;
	}

	async setEnabled(on: boolean): Promise<void> {
		this.enabled = on;
		if (on) await this.load();
		else this.clearMaps();
	}

	private cam(): Cam {
		const stage = this.method === 'layercam' ? this.camStage : this.method === 'scorecam' ? 'conv5' : this.camStage;
		const key = `${this.method}@${stage}`;
		let cam = this.cams.get(key);
		if (!cam) {
			cam = createCam(this.classifier!, CAM_METHODS[this.method], { stage });
			this.cams.set(key, cam);
		}
		return cam;
	}

	/** The per-frame part: overlay the newest map, and schedule an explanation when one is due. */
	private process(frame: tf.Tensor3D, ctx: FrameContext): tf.Tensor3D {
		if (!this.active) return frame;
		const now = performance.now();
		if (!this.running && now >= this.nextAt) {
			this.running = true;
			const raw = ctx.input && ctx.input !== frame ? tf.keep(tf.clone(ctx.input)) : null;
			const shown = tf.keep(tf.clone(frame));
			// After this frame is drawn, outside the chain's tidy.
			setTimeout(() => this.explain(shown, raw), 0);
		}
		const map = this.channel != null && this.showActivations ? this.channelMap : this.showCam ? this.heat : null;
		if (!map) return frame;
		return overlay(frame, map, { opacity: this.opacity, colormap: this.colormap });
	}

	/** One explanation of a frame copy; disposes the copies. */
	private async explain(shown: tf.Tensor3D, raw: tf.Tensor3D | null): Promise<void> {
		const t0 = performance.now();
		try {
			if (!this.active) return;
			const clf = this.classifier!;
			const target = this.target === 'raw' && raw ? raw : shown;
			if (this.showCam) {
				const r = await this.cam().explain(target, this.classIndex != null ? { classIndex: this.classIndex } : {});
				this.heat?.dispose();
				this.heat = tf.keep(r.heatmap);
				this.camLabel = `${r.label} (${(r.prob * 100).toFixed(1)} %)`;
				if (target === raw) this.rawTop = r.top;
				else this.styledTop = r.top;
			}
			// Labels for the other image (or both, when no CAM ran).
			if (raw && (!this.showCam || target !== raw)) this.rawTop = await clf.classify(raw, 5);
			if (!raw) this.rawTop = this.showCam ? this.styledTop : await clf.classify(shown, 5);
			if (raw && (!this.showCam || target !== shown)) this.styledTop = await clf.classify(shown, 5);
			if (!raw) this.styledTop = [];
			if (this.showActivations) await this.updateActivations(target);
		} catch (err) {
			this.error = `Explaining failed: ${err instanceof Error ? err.message : String(err)}`;
		} finally {
			tf.dispose([shown, ...(raw ? [raw] : [])]);
			const end = performance.now();
			const ms = end - t0;
			this.stats.add(end, ms);
			this.explainMs = ms;
			this.explainHz = this.stats.fps(end);
			// Leave the live view at least 60 % of the time.
			this.nextAt = end + Math.max(100, ms * 1.5);
			this.running = false;
		}
	}

	private async updateActivations(frame: tf.Tensor3D): Promise<void> {
		const clf = this.classifier!;
		const act = tf.tidy(() => {
			const { logits, taps } = clf.forward(frame);
			logits.dispose();
			for (const [k, t] of Object.entries(taps)) if (k !== this.actStage) t?.dispose();
			return taps[this.actStage]!;
		});
		try {
			const g = await channelGrid(act, { page: this.actPage, pageSize: 16, sortBy: this.actSort, columns: 4, gap: 1, gapValue: 0 });
			const { grid, allMeans: _allMeans, ...layout } = g;
			try {
				if (this.gridCanvas) await drawMap(grid, this.gridCanvas, this.colormap);
			} finally {
				grid.dispose();
			}
			this.activation = { stage: this.actStage, grid: layout };
			// The enlarged channel, for the overlay.
			this.channelMap?.dispose();
			this.channelMap = null;
			if (this.channel != null && this.channel < act.shape[3]) {
				const c = this.channel;
				this.channelMap = tf.keep(
					tf.tidy(() => {
						const m = tf.squeeze(tf.slice(act, [0, 0, 0, c], [1, -1, -1, 1]), [0, 3]) as tf.Tensor2D;
						const lo = tf.min(m);
						return tf.div(tf.sub(m, lo), tf.maximum(tf.sub(tf.max(m), lo), 1e-8)) as tf.Tensor2D;
					})
				);
			}
		} finally {
			act.dispose();
		}
	}

	/** conv1's 64 filters as little pictures (once per load). */
	drawFilters(): void {
		if (!this.classifier || !this.filterCanvas) return;
		const img = filterGrid(this.classifier.conv1Kernel, { scale: 4, columns: 8 });
		drawRgb(img, this.filterCanvas).finally(() => img.dispose());
	}

	/** Which channel a click at (x, y) in [0,1]² of the grid canvas hits. */
	channelAt(x: number, y: number): number | null {
		const g = this.activation?.grid;
		if (!g) return null;
		const col = Math.floor(x * g.columns);
		const row = Math.floor(y * g.rows);
		return g.channels[row * g.columns + col] ?? null;
	}

	private clearMaps(): void {
		this.heat?.dispose();
		this.heat = null;
		this.channelMap?.dispose();
		this.channelMap = null;
		this.rawTop = [];
		this.styledTop = [];
		this.activation = null;
		this.explainHz = 0;
	}

	/** Frees the classifier and every kept map (before a backend change, or at teardown). */
	unload(): void {
		this.clearMaps();
		for (const c of this.cams.values()) c.dispose();
		this.cams.clear();
		this.classifier?.dispose();
		this.classifier = null;
		if (this.status === 'ready') this.status = 'idle';
	}

	dispose(): void {
		this.unload();
	}
}

export const STAGE_CHOICES = STAGES;

/** A [h, w] map in [0, 1] → colour → a 2D canvas (small maps, a few times a second). */
async function drawMap(map: tf.Tensor2D, canvas: HTMLCanvasElement, cmap: ColormapName): Promise<void> {
	const rgb = tf.tidy(() => colorize(map, cmap));
	try {
		await drawRgb(rgb, canvas);
	} finally {
		rgb.dispose();
	}
}

function drawRgb(rgb: tf.Tensor3D, canvas: HTMLCanvasElement): Promise<void> {
	return new Canvas2DRenderer(canvas).draw(rgb);
}
