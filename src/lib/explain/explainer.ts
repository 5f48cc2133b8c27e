/**
 * One explanation of a frame, as plain data: the top-5 of the raw and the stylized frame, a CAM heat
 * map, a page of channel maps (already coloured) and the enlarged channel. Runs wherever the
 * classifier lives — the page on WebGL, the explain worker on the CPU path — and returns only data
 * that can cross threads, so the page draws it the same way in both cases.
 *
 *   const ex = await Explainer.load();                 // ResNet50, warmed up
 *   const r = await ex.explain({ raw, shown }, request); // caller keeps and disposes raw/shown
 *   ex.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { load as loadClassifier, type Classifier, type ClassifierConfig, type Prediction, type StageName } from '../models/classifier';
import { CAM_METHODS, createCam, type Cam, type CamMethodName } from './cam';
import { channelGrid, filterGrid, type ChannelGrid, type ChannelOrder } from './activations';
import { FaithfulnessJob, type FaithfulnessResult } from './faithfulness';
import { colorize, type ColormapName } from '../render/colormap';
import type { PixelImage, ScalarMap } from '../render/pixels';
import { tensorToMap, tensorToPixels } from '../render/pixel-tensors';

export type ExplainTarget = 'raw' | 'stylized';

/** What to explain; a small serializable snapshot of the panel's settings. */
export interface ExplainRequest {
	target: ExplainTarget;
	showCam: boolean;
	method: CamMethodName;
	camStage: StageName;
	/** The base's smoothing options (any method): first principal component of w·A; mean with the mirror image's map. */
	eigenSmooth: boolean;
	flipSmooth: boolean;
	/**
	 * Start scoring how faithful this heat map is (deletion / insertion curves, explain/faithfulness.ts),
	 * under this key, unless a score under the same key is running; null: start none. A running score
	 * advances by `scoreChunk` pictures with every explanation (2 + 4·(scoreSteps − 1) pictures in all).
	 */
	scoreKey: string | null;
	/** Steps of the curves (K); the verdict speaks of the first, 1/K of the pixels. */
	scoreSteps: number;
	scoreChunk: number;
	/** null: the top class of the frame. */
	classIndex: number | null;
	showActivations: boolean;
	actStage: StageName;
	actPage: number;
	actSort: ChannelOrder;
	/** Channel to enlarge over the frame. */
	channel: number | null;
	colormap: ColormapName;
}

export type ActivationLayout = Omit<ChannelGrid, 'grid' | 'allMeans'>;

export interface ExplainResult {
	rawTop: Prediction[];
	styledTop: Prediction[];
	cam: { map: ScalarMap; label: string; prob: number; classIndex: number } | null;
	/** A faithfulness score finished with this explanation (it may belong to an earlier map: see `key`). */
	score: ExplainScore | null;
	/** The score in progress: pictures scored and in all; null when none runs. */
	scoring: { done: number; total: number } | null;
	activation: { stage: StageName; layout: ActivationLayout; image: PixelImage; channelMap: ScalarMap | null } | null;
	/** Time the explanation took. */
	ms: number;
}

/** A finished faithfulness score, with the request key and the class it was computed for. */
export interface ExplainScore {
	key: string;
	classIndex: number;
	label: string;
	result: FaithfulnessResult;
}

/** The frames of one explanation: the camera frame (null when style is off) and the frame shown. */
export interface ExplainFrames {
	raw: tf.Tensor3D | null;
	shown: tf.Tensor3D;
}

/** Score-CAM is always at conv5 (its masks come from the last stage); the others at the chosen stage. */
export function camStageFor(method: CamMethodName, stage: StageName): StageName {
	return method === 'scorecam' ? 'conv5' : stage;
}

export class Explainer {
	private readonly cams = new Map<string, Cam>();
	private scoreJob: { job: FaithfulnessJob; key: string; classIndex: number; label: string } | null = null;
	private disposed = false;

	constructor(private readonly classifier: Classifier) {}

	static async load(config: ClassifierConfig = {}): Promise<Explainer> {
		return new Explainer(await loadClassifier(config));
	}

	get labels(): readonly string[] {
		return this.classifier.labels;
	}

	/** conv1's 64 filters as a picture. */
	async filters(): Promise<PixelImage> {
		const img = filterGrid(this.classifier.conv1Kernel, { scale: 4, columns: 8 });
		try {
			return await tensorToPixels(img);
		} finally {
			img.dispose();
		}
	}

	private cam(req: Pick<ExplainRequest, 'method' | 'camStage' | 'eigenSmooth' | 'flipSmooth'>): Cam {
		const s = camStageFor(req.method, req.camStage);
		const key = `${req.method}@${s}${req.eigenSmooth ? '+eigen' : ''}${req.flipSmooth ? '+flip' : ''}`;
		let cam = this.cams.get(key);
		if (!cam) {
			cam = createCam(this.classifier, CAM_METHODS[req.method], { stage: s, eigenSmooth: req.eigenSmooth, flipSmooth: req.flipSmooth });
			this.cams.set(key, cam);
		}
		return cam;
	}

	/**
	 * One forward pass of the explained frame gives its labels, the heat map and the activation
	 * maps; the other frame (when style is on) gets one more pass for its labels.
	 */
	async explain(frames: ExplainFrames, req: ExplainRequest): Promise<ExplainResult> {
		if (this.disposed) throw new Error('explainer: used after dispose()');
		const t0 = performance.now();
		const clf = this.classifier;
		const targetIsRaw = req.target === 'raw' && frames.raw != null;
		const target = targetIsRaw ? frames.raw! : frames.shown;
		const other = frames.raw == null ? null : targetIsRaw ? frames.shown : frames.raw;

		const input = clf.preprocess(target);
		const fwd = clf.forward(input);
		try {
			let top: Prediction[];
			let cam: ExplainResult['cam'] = null;
			if (req.showCam) {
				const r = await this.cam(req).explainForward(input, fwd, req.classIndex != null ? { classIndex: req.classIndex } : {});
				try {
					if (req.scoreKey != null && this.scoreJob?.key !== req.scoreKey) {
						this.scoreJob?.job.dispose();
						this.scoreJob = { job: new FaithfulnessJob(r.heatmap, input, { steps: req.scoreSteps }), key: req.scoreKey, classIndex: r.classIndex, label: r.label };
					}
					cam = { map: await tensorToMap(r.heatmap), label: r.label, prob: r.prob, classIndex: r.classIndex };
				} finally {
					r.heatmap.dispose();
				}
				top = r.top;
			} else {
				top = await clf.topK(fwd.logits, 5);
			}
			const otherTop = other ? await clf.classify(other, 5) : [];
			const activation = req.showActivations ? await this.activations(fwd.taps[req.actStage], req) : null;
			const rawTop = frames.raw == null ? top : targetIsRaw ? top : otherTop;
			const styledTop = frames.raw == null ? [] : targetIsRaw ? otherTop : top;
			const score = await this.advanceScore(req.scoreChunk);
			const scoring = this.scoreJob?.job.progress ?? null;
			return { rawTop, styledTop, cam, activation, score, scoring, ms: performance.now() - t0 };
		} finally {
			input.dispose();
			tf.dispose(fwd as unknown as tf.TensorContainer);
		}
	}

	/** Scores the running faithfulness job's next `chunk` pictures (its class's softmax probability); the score when it is done. */
	private async advanceScore(chunk: number): Promise<ExplainScore | null> {
		const s = this.scoreJob;
		if (!s) return null;
		const clf = this.classifier;
		const score = (batch: tf.Tensor4D) => tf.reshape(tf.slice(tf.softmax(clf.logits(batch)), [0, s.classIndex], [-1, 1]), [-1]) as tf.Tensor1D;
		try {
			const result = await s.job.next(score, chunk);
			if (!result) return null;
			if (this.scoreJob === s) this.scoreJob = null;
			return { key: s.key, classIndex: s.classIndex, label: s.label, result };
		} catch (err) {
			s.job.dispose();
			if (this.scoreJob === s) this.scoreJob = null;
			throw err;
		}
	}

	private async activations(act: tf.Tensor4D | undefined, req: ExplainRequest): Promise<ExplainResult['activation']> {
		if (!act) throw new Error(`explainer: the classifier does not tap ${req.actStage}`);
		const g = await channelGrid(act, { page: req.actPage, pageSize: 16, sortBy: req.actSort, columns: 4, gap: 1, gapValue: 0 });
		const { grid, allMeans: _allMeans, ...layout } = g;
		let image: PixelImage;
		try {
			const rgb = tf.tidy(() => colorize(grid, req.colormap));
			try {
				image = await tensorToPixels(rgb);
			} finally {
				rgb.dispose();
			}
		} finally {
			grid.dispose();
		}
		let channelMap: ScalarMap | null = null;
		if (req.channel != null && req.channel >= 0 && req.channel < act.shape[3]) {
			const c = req.channel;
			const m = tf.tidy(() => {
				const x = tf.squeeze(tf.slice(act, [0, 0, 0, c], [1, -1, -1, 1]), [0, 3]) as tf.Tensor2D;
				const lo = tf.min(x);
				return tf.div(tf.sub(x, lo), tf.maximum(tf.sub(tf.max(x), lo), 1e-8)) as tf.Tensor2D;
			});
			try {
				channelMap = await tensorToMap(m);
			} finally {
				m.dispose();
			}
		}
		return { stage: req.actStage, layout, image, channelMap };
	}

	dispose(): void {
		if (this.disposed) return;
		this.disposed = true;
		this.scoreJob?.job.dispose();
		this.scoreJob = null;
		for (const c of this.cams.values()) c.dispose();
		this.cams.clear();
		this.classifier.dispose();
	}
}
