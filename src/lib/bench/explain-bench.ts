/**
 * Timings of the explanation pipeline at 224², for the bench runner (browser or Node):
 * median milliseconds of N runs, each awaited to the end (data read back), after one untimed run.
 */
import * as tf from '@tensorflow/tfjs';
import type { Classifier } from '../models/classifier/types';
import { channelGrid } from '../explain/activations';
import { createCamFor, type CamMethodName } from '../explain/cam';
import { overlay } from '../render/colormap';
import { faithfulness } from '../explain/faithfulness';
import { timeAsync } from './timing';
import { median } from '../live/stats';
import type { Explainer, ExplainRequest } from '../explain/explainer';
import { ScoreSchedule } from '../explain/score-schedule';

export interface ClassifierBench {
	backend: string;
	runs: number;
	/** classify(): preprocess + forward + top-5. */
	classifyMs: number;
	/** Grad-CAM at conv5 (forward + gradient + map) + overlay on the frame. */
	gradcamMs: number;
	/** Forward pass + one page (16) of conv4 channel maps. */
	activationsMs: number;
	/** Other CAM methods asked for, by name. */
	methodsMs: Partial<Record<CamMethodName, number>>;
	/**
	 * The live faithfulness score of a conv5 Grad-CAM map (deletion + insertion, map and random, `scoreSteps`
	 * steps: 2 + 4·(steps − 1) images in batches of `scoreChunk`); what one chunk adds to an explanation;
	 * and the average per explanation over the live cycle (a score takes ⌈images / chunk⌉ explanations,
	 * the next starts `scoreEvery` − 1 explanations later). NaN when not asked for.
	 */
	scoreMs: number;
	scoreChunkMs: number;
	scorePerFrameMs: number;
	scoreSteps: number;
	scoreEvery: number;
	scoreChunk: number;
}

/** Median ms of `runs` runs after one untimed run (the bench's shared timing loop and stats.ts's median). */
async function time(runs: number, fn: () => Promise<void>): Promise<number> {
	return (await timeAsync(fn, runs, 1)).medianMs;
}

export async function benchClassifier(
	classifier: Classifier,
	opts: { runs?: number; frame?: tf.Tensor3D; methods?: CamMethodName[]; score?: { steps: number; every: number; chunk: number } } = {}
): Promise<ClassifierBench> {
	const runs = Math.max(1, opts.runs ?? 5);
	const frame = opts.frame ?? (tf.randomUniform([224, 224, 3], 0, 1, 'float32', 1) as tf.Tensor3D);
	try {
		const classifyMs = await time(runs, async () => {
			await classifier.classify(frame);
		});
		const cam = createCamFor(classifier, 'gradcam');
		const gradcamMs = await time(runs, async () => {
			const heat = cam.heatmap(frame);
			const img = overlay(frame, heat);
			await img.data();
			tf.dispose([heat, img]);
		});
		let activationsMs = NaN;
		const stage = classifier.taps.includes('conv4') ? 'conv4' : classifier.taps[classifier.taps.length - 1];
		if (stage) {
			activationsMs = await time(runs, async () => {
				const { logits, taps } = classifier.forward(frame);
				const g = await channelGrid(taps[stage]!, { pageSize: 16 });
				await g.grid.data();
				tf.dispose([logits, g.grid, ...Object.values(taps)]);
			});
		}
		const methodsMs: Partial<Record<CamMethodName, number>> = {};
		for (const m of opts.methods ?? []) {
			const c = createCamFor(classifier, m, { stage: m === 'layercam' && classifier.taps.includes('conv4') ? 'conv4' : 'conv5' });
			methodsMs[m] = await time(runs, async () => {
				const h = c.heatmap(frame);
				await h.data();
				h.dispose();
			});
		}
		let scoreMs = NaN;
		const { steps: scoreSteps, every: scoreEvery, chunk: scoreChunk } = opts.score ?? { steps: 8, every: 4, chunk: 8 };
		const images = 2 + 4 * (scoreSteps - 1);
		const chunks = Math.ceil(images / scoreChunk);
		if (opts.score) {
			const input = classifier.preprocess(frame);
			const heat = cam.heatmap(frame);
			const score = (b: tf.Tensor4D) => tf.tidy(() => tf.reshape(tf.slice(tf.softmax(classifier.logits(b)), [0, 0], [-1, 1]), [-1]) as tf.Tensor1D);
			try {
				scoreMs = await time(runs, async () => {
					await faithfulness(heat, input, score, { steps: scoreSteps, batch: scoreChunk });
				});
			} finally {
				tf.dispose([input, heat]);
			}
		}
		return {
			backend: tf.getBackend(),
			runs,
			classifyMs,
			gradcamMs,
			activationsMs,
			methodsMs,
			scoreMs,
			scoreChunkMs: (scoreMs * Math.min(scoreChunk, images)) / images,
			scorePerFrameMs: scoreMs / (chunks + scoreEvery - 1),
			scoreSteps,
			scoreEvery,
			scoreChunk
		};
	} finally {
		if (!opts.frame) frame.dispose();
	}
}

export interface LiveScoreBench {
	/** Explanations timed with the score on (whole live cycles), and with it off. */
	explanations: number;
	/** Median ms of one explanation (labels + Grad-CAM at conv5, no activations) with the score off (runs before the cycles). */
	offMs: number;
	/**
	 * Median ms of the cycles' explanations without a chunk: the same work as offMs, timed among the scored
	 * ones (on a shared machine whose load changes, the fair baseline for onMs and chunkMs).
	 */
	plainMs: number;
	/** Mean ms per explanation over the live cycles with the score on. */
	onMs: number;
	/** Median ms of an explanation that scored a chunk (the first of a score also builds its pictures). */
	chunkMs: number;
	/** What the score adds per explained frame, on average: onMs − plainMs. */
	perFrameMs: number;
	/** Explanation period at the duty cycle's `share` (a job of ms is followed by a pause of ms·(1 − share)/share): ms / share. */
	periodOffMs: number;
	periodOnMs: number;
	/** onMs / plainMs: how many times less often explanations arrive with the score on. */
	slowdown: number;
	/** Every timed explanation of the cycles, in order: ms, and whether it scored a chunk. */
	samples: { ms: number; chunk: boolean }[];
	share: number;
	every: number;
	steps: number;
	chunk: number;
}

/**
 * The live score's cost with the real Explainer (the code the page and the explain worker run): `runs`
 * explanations of `frame` with the score off, then `cycles` live cycles with it on, the score started by
 * the studio's own ScoreSchedule and advanced a chunk with each explanation while it runs.
 */
export async function benchLiveScore(
	explainer: Explainer,
	frame: tf.Tensor3D,
	opts: { runs?: number; cycles?: number; share?: number; score?: { steps: number; every: number; chunk: number } } = {}
): Promise<LiveScoreBench> {
	const { steps, every, chunk } = opts.score ?? { steps: 8, every: 4, chunk: 8 };
	const share = opts.share ?? 0.3;
	const req: ExplainRequest = {
		target: 'raw',
		showCam: true,
		method: 'gradcam',
		camStage: 'conv5',
		eigenSmooth: false,
		flipSmooth: false,
		scoreKey: null,
		scoreSteps: steps,
		scoreChunk: chunk,
		classIndex: null,
		showActivations: false,
		actStage: 'conv3',
		actPage: 0,
		actSort: 'mean',
		channel: null,
		colormap: 'jet'
	};
	const frames = { raw: null, shown: frame };
	const offMs = await time(Math.max(1, opts.runs ?? 5), async () => {
		await explainer.explain(frames, req);
	});
	// The live schedule (explain/score-schedule.ts), as ExplainState runs it while the settings hold: the first
	// explanation brings the map, the second starts a score; from then on, cycles of ⌈pictures / chunk⌉
	// explanations with a chunk and `every` − 1 without. Only whole cycles are averaged.
	const chunks = Math.ceil((2 + 4 * (steps - 1)) / chunk);
	const n = Math.max(1, opts.cycles ?? 2) * (chunks + every - 1);
	const schedule = new ScoreSchedule(every);
	const key = 'bench';
	const samples: { ms: number; chunk: boolean }[] = [];
	for (let i = 0; i <= n; i++) {
		const t0 = performance.now();
		const r = await explainer.explain(frames, { ...req, scoreKey: schedule.wants(key) ? key : null });
		const ms = performance.now() - t0;
		schedule.explained(r.cam ? key : null, r.score?.key ?? null);
		if (i > 0) samples.push({ ms, chunk: r.score != null || r.scoring != null });
	}
	const onMs = samples.reduce((a, x) => a + x.ms, 0) / samples.length;
	const withChunk = samples.filter((x) => x.chunk).map((x) => x.ms);
	const plain = samples.filter((x) => !x.chunk).map((x) => x.ms);
	const plainMs = plain.length ? median(plain) : offMs;
	return {
		explanations: n,
		offMs,
		plainMs,
		onMs,
		chunkMs: withChunk.length ? median(withChunk) : NaN,
		perFrameMs: onMs - plainMs,
		periodOffMs: plainMs / share,
		periodOnMs: onMs / share,
		slowdown: onMs / plainMs,
		samples,
		share,
		every,
		steps,
		chunk
	};
}
