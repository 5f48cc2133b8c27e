import { STAGES, type Prediction, type StageName } from '../models/classifier';
import type { CamMethodName } from '../explain/cam';
import type { ChannelOrder } from '../explain/activations';
import type { ActivationLayout, ExplainRequest, ExplainResult, ExplainTarget } from '../explain/explainer';
import { camStageFor } from '../explain/explainer';
import { DutyCycle } from '../explain/duty-cycle';
import { LIVE_SCORE, verdict, type FaithfulnessResult } from '../explain/faithfulness';
import { ScoreSchedule } from '../explain/score-schedule';
import type { ColormapName } from '../render/colormap';
import { putPixels, type PixelImage, type ScalarMap } from '../render/pixels';
import type { OverlaySnapshot } from '../live/settings';
import { disposeCapture, type FrameCapture } from '../live/pipeline';
import type { BackendFeature, Runtime } from '../live/runtime';

export type { ExplainTarget } from '../explain/explainer';

/** What the activations view shows (a page of channel maps), with its picture already on a canvas. */
export interface ActivationView {
	stage: StageName;
	grid: ActivationLayout;
}

/** The newest faithfulness score, with what it was computed for. */
export interface LiveScore {
	result: FaithfulnessResult;
	label: string;
	classIndex: number;
	/** One line in plain words (explain/faithfulness.ts verdict). */
	verdict: string;
}

/** Largest share of the time spent explaining: in the page it shares the GPU with the live view; in its worker it shares the cores. */
const SHARE = { main: 0.4, worker: 0.3 } as const;

/**
 * Live explanations: the panel's settings, the newest results, and when to explain next. The work is
 * done by the runtime's explainer (the page on WebGL, the explain worker on the CPU path), which
 * returns plain data; a duty cycle (explain/duty-cycle.ts) keeps explaining to a share of the time.
 * The newest heat map (or enlarged channel) travels with every frame's settings and is blended over
 * the picture where the frame is processed.
 */
export class ExplainState implements BackendFeature {
	readonly name = 'explain';
	enabled = $state(false);
	status = $state<'idle' | 'loading' | 'ready' | 'failed'>('idle');
	error = $state<string | null>(null);
	target = $state<ExplainTarget>('stylized');
	showCam = $state(true);
	method = $state<CamMethodName>('gradcam');
	camStage = $state<StageName>('conv5');
	/** The CAM base's smoothing options (see explain/cam/types.ts). */
	eigenSmooth = $state(false);
	flipSmooth = $state(false);
	/** Score how faithful the heat map is (on by default; shown beside it and in the presenter layout). */
	score = $state(true);
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
	/** False while the presenter layout shows the heat map in a panel of its own (the picture stays clean). */
	overlayOnFrame = $state(true);

	rawTop = $state.raw<Prediction[]>([]);
	styledTop = $state.raw<Prediction[]>([]);
	camLabel = $state('');
	/** The method that made the heat map on screen ('' before the first): it lags `method` until the next explanation. */
	camShownMethod = $state<CamMethodName | ''>('');
	faith = $state.raw<LiveScore | null>(null);
	/** The score in progress (pictures scored / in all), or null. */
	scoring = $state.raw<{ done: number; total: number } | null>(null);
	activation = $state.raw<ActivationView | null>(null);
	explainHz = $state(0);
	explainMs = $state(NaN);
	labels = $state.raw<readonly string[]>([]);
	/** Live tensors where explanations run (the explain worker), null when they run in the page. */
	workerTensors = $state<number | null>(null);

	/** Canvases the panel shows (the grid of channels, conv1's filters). */
	gridCanvas: HTMLCanvasElement | null = null;
	filterCanvas: HTMLCanvasElement | null = null;

	private rt: Runtime | null = null;
	private loading: Promise<void> | null = null;
	private heat: ScalarMap | null = null;
	private channelMap: ScalarMap | null = null;
	private filters: PixelImage | null = null;
	private readonly duty = new DutyCycle({ share: SHARE.main, minGapMs: 100 });
	/** The address's ?explainShare (null: SHARE by where explanations run). */
	private shareOption: number | null = null;
	private readonly schedule = new ScoreSchedule();
	private job: AbortController | null = null;

	get active(): boolean {
		return this.enabled && this.status === 'ready' && this.rt !== null;
	}

	/** The studio's address options, before the first runtime: the share of the time for explaining, the score's period. */
	configure(options: { explainShare: number | null; scoreEvery: number | null }): void {
		this.shareOption = options.explainShare;
		this.schedule.setEvery(options.scoreEvery ?? LIVE_SCORE.every);
	}

	/** Called with each new runtime; loads the classifier there when explanations are on. */
	async load(rt: Runtime): Promise<void> {
		this.rt = rt;
		this.duty.configure({ share: this.shareOption ?? SHARE[rt.pipeline.info.kind], minGapMs: 100 });
		this.duty.reset();
		if (this.enabled) await this.loadClassifier();
	}

	private loadClassifier(): Promise<void> {
		const rt = this.rt;
		if (!rt || this.status === 'ready') return Promise.resolve();
		if (this.loading) return this.loading;
		this.status = 'loading';
		this.error = null;
		this.loading = (async () => {
			try {
				const { labels, filters } = await rt.explainer.load();
				if (this.rt !== rt) return;
				this.labels = labels;
				this.filters = filters;
				this.status = 'ready';
				this.drawFilters();
			} catch (err) {
				if (this.rt !== rt) return;
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
		if (on) await this.loadClassifier();
		else this.clearMaps();
	}

	/** What a score depends on besides the frame: a change asks for a new score with the next explanation. */
	private scoreKey(): string {
		return [this.method, camStageFor(this.method, this.camStage), this.eigenSmooth, this.flipSmooth, this.classIndex, this.target].join('|');
	}

	/** Score with this explanation? When the score is on, as the schedule says (explain/score-schedule.ts; ?scoreEvery). */
	private wantsScore(): boolean {
		return this.score && this.showCam && this.schedule.wants(this.scoreKey());
	}

	/** The panel's settings as a snapshot for the explainer. */
	request(): ExplainRequest {
		return {
			scoreKey: this.wantsScore() ? this.scoreKey() : null,
			scoreSteps: LIVE_SCORE.steps,
			scoreChunk: LIVE_SCORE.chunk,
			target: this.target,
			showCam: this.showCam,
			method: this.method,
			camStage: camStageFor(this.method, this.camStage),
			eigenSmooth: this.eigenSmooth,
			flipSmooth: this.flipSmooth,
			classIndex: this.classIndex,
			showActivations: this.showActivations,
			actStage: this.actStage,
			actPage: this.actPage,
			actSort: this.actSort,
			channel: this.channel,
			colormap: this.colormap
		};
	}

	/** The map to blend over the next frame (the enlarged channel, else the heat map), or null. */
	overlay(): OverlaySnapshot | null {
		if (!this.active || !this.overlayOnFrame) return null;
		const map = this.channel != null && this.showActivations ? this.channelMap : this.showCam ? this.heat : null;
		return map ? { map, opacity: this.opacity, colormap: this.colormap } : null;
	}

	/** The newest heat map with its colours, for views that draw it themselves (presenter layout, projector), or null. */
	camLayer(): OverlaySnapshot | null {
		return this.active && this.showCam && this.heat ? { map: this.heat, opacity: this.opacity, colormap: this.colormap } : null;
	}

	/** True while an explanation (with its score's share) is being made. */
	get explaining(): boolean {
		return this.duty.busy;
	}

	/** Should the next frame keep copies for an explanation? */
	wantsCapture(now: number): boolean {
		return this.active && this.duty.due(now);
	}

	/** Explains a captured frame in the background (the live view goes on); frees the capture. */
	explainCapture(capture: FrameCapture, now: number): void {
		const rt = this.rt;
		if (!this.active || !rt || this.duty.busy) {
			disposeCapture(capture);
			return;
		}
		this.duty.start(now);
		const job = new AbortController();
		this.job = job;
		const request = this.request();
		const key = this.scoreKey();
		rt.explainer
			.explain(capture, request, job.signal)
			.then((r) => {
				if (this.rt === rt && this.active && !job.signal.aborted) this.apply(r, key, request.method);
			})
			.catch((err: unknown) => {
				if ((err as Error)?.name === 'AbortError' || this.rt !== rt) return;
				this.error = `Explaining failed: ${err instanceof Error ? err.message : String(err)}`;
			})
			.finally(() => {
				if (this.job === job) this.job = null;
				const end = performance.now();
				this.duty.finish(end);
				this.explainHz = this.duty.rate(end);
				rt.explainer.numTensors().then(
					(n) => (this.workerTensors = n),
					() => {}
				);
			});
	}

	private apply(r: ExplainResult, key: string, method: CamMethodName): void {
		this.error = null;
		this.rawTop = r.rawTop;
		this.styledTop = r.styledTop;
		this.explainMs = r.ms;
		this.heat = r.cam?.map ?? null;
		if (r.cam) this.camLabel = `${r.cam.label} (${(r.cam.prob * 100).toFixed(1)} %)`;
		if (r.cam) this.camShownMethod = method;
		this.scoring = r.scoring;
		const s = r.score;
		this.schedule.explained(r.cam ? key : null, s?.key ?? null);
		// A score of settings changed meanwhile is dropped; the next explanation starts one for the new ones.
		if (s && s.key === this.scoreKey()) this.faith = { result: s.result, label: s.label, classIndex: s.classIndex, verdict: verdict(s.result, s.label) };
		if (r.activation) {
			this.channelMap = r.activation.channelMap;
			if (this.gridCanvas) putPixels(r.activation.image, this.gridCanvas);
			this.activation = { stage: r.activation.stage, grid: r.activation.layout };
		} else {
			this.channelMap = null;
		}
	}

	/** conv1's 64 filters as little pictures (drawn once per load, and when the panel mounts). */
	drawFilters(): void {
		if (this.filters && this.filterCanvas) putPixels(this.filters, this.filterCanvas);
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
		this.job?.abort();
		this.job = null;
		this.heat = null;
		this.channelMap = null;
		this.faith = null;
		this.scoring = null;
		this.schedule.reset();
		this.rawTop = [];
		this.styledTop = [];
		this.activation = null;
		this.explainHz = 0;
		this.duty.reset();
	}

	/** Before the runtime goes (backend change, teardown): its explainer frees the classifier. */
	unload(): void {
		this.clearMaps();
		this.rt = null;
		if (this.status !== 'failed') this.status = 'idle';
	}
}

export const STAGE_CHOICES = STAGES;
