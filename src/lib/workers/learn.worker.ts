/**
 * The style learner's worker: holds ResNet50 (the loss network) and the style network's parts, and runs
 * one learning session at a time (learn/session.ts), with progress, pause and cancel. Only plain data
 * crosses: pictures as RGBA pixels, the learned row as numbers.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { load as loadClassifier, type Classifier } from '../models/classifier';
import { loadParts, STYLE_NET_URL, type StyleNetParts } from '../models/style-net';
import { rowWidth } from '../learn/learner';
import { CONTENT_URLS, PREVIEW_URL } from '../learn/content';
import { EFFORTS } from '../learn/efforts';
import { PREVIEW_EVERY } from '../learn/efforts';
import type { LearnEstimate, LearnLoaded, LearnProgress, LearnRequest, LearnResult, LearnWorkerApi, LearnWorkerInit } from '../learn/protocol';
import { learnSession, type SessionInputs } from '../learn/session';
import { forwardOf } from '../optvis/modes/common';
import { pixelsToTensor } from '../render/pixel-tensors';
import { startWorkerBackend } from './backend';
import { holdLifeline } from './lifeline';
import { nextTask } from '../cancel';
import { JobBoard } from './jobs';

/** Learning steps of the warm-up the estimate is measured on (the first is left out: kernels compile). */
const WARMUP_STEPS = 3;

async function fetchPicture(url: string): Promise<tf.Tensor3D> {
	const res = await fetch(url);
	if (!res.ok) throw new Error(`could not load ${url} (${res.status})`);
	const bitmap = await createImageBitmap(await res.blob());
	try {
		return tf.tidy(() => tf.div(tf.browser.fromPixels(bitmap), 255) as tf.Tensor3D);
	} finally {
		bitmap.close();
	}
}

class LearnWorker implements LearnWorkerApi {
	private clf: Classifier | null = null;
	private net: StyleNetParts | null = null;
	private info: { backend: string; threads: number } | null = null;
	private readonly jobs = new JobBoard();
	/** Paused jobs: their release. */
	private readonly held = new Map<number, { wait: Promise<void>; release: () => void }>();

	async load(init: LearnWorkerInit): Promise<LearnLoaded> {
		this.info ??= await startWorkerBackend(init);
		this.clf ??= await loadClassifier({ url: init.classifierUrl ?? '/models/resnet50/', taps: ['conv4'] });
		this.net ??= await loadParts({ url: init.styleNetUrl ?? STYLE_NET_URL });
		return { ...this.info, networkVersion: this.net.manifest.version, rowWidth: rowWidth(this.net) };
	}

	numTensors(): number {
		return tf.memory().numTensors;
	}

	cancel(jobId: number): void {
		this.pause(jobId, false);
		this.jobs.cancel(jobId);
	}

	pause(jobId: number, paused: boolean): void {
		const h = this.held.get(jobId);
		if (paused && !h) {
			let release = () => {};
			const wait = new Promise<void>((r) => (release = r));
			this.held.set(jobId, { wait, release });
		} else if (!paused && h) {
			this.held.delete(jobId);
			h.release();
		}
	}

	private async inputs(request: LearnRequest): Promise<SessionInputs> {
		const contents: tf.Tensor3D[] = [];
		try {
			for (const url of CONTENT_URLS) contents.push(await fetchPicture(url));
			for (const p of request.extraContents) contents.push(pixelsToTensor(p));
			const preview = await fetchPicture(PREVIEW_URL);
			return { style: pixelsToTensor(request.style), contents, preview };
		} catch (e) {
			tf.dispose(contents);
			throw e;
		}
	}

	/** Runs a session; `onStep` answers false to stop it early (the estimate). */
	private async drive(jobId: number, signal: AbortSignal, request: LearnRequest, steps: number, onStep: (p: LearnProgress) => boolean | void) {
		const clf = this.clf;
		const net = this.net;
		if (!clf || !net) throw new Error('the learn worker has not loaded its networks');
		const effort = { ...EFFORTS[request.effort], steps };
		const inputs = await this.inputs(request);
		const gen = learnSession(net, forwardOf(clf), inputs, {
			effort,
			styleSides: request.styleSides,
			signal,
			previewEvery: PREVIEW_EVERY,
			gate: async () => {
				await this.held.get(jobId)?.wait;
				await nextTask(); // lets a cancel or pause message in between steps
			}
		});
		try {
			for (;;) {
				const r = await gen.next();
				if (r.done) return r.value;
				if (onStep(r.value) === false) return null;
			}
		} finally {
			await gen.return?.(undefined as never).catch(() => {});
			tf.dispose([inputs.style, inputs.preview, ...inputs.contents]);
			this.held.delete(jobId);
		}
	}

	estimate(jobId: number, request: LearnRequest): Promise<LearnEstimate> {
		return this.jobs.run(jobId, async (signal) => {
			const steps = request.steps ?? EFFORTS[request.effort].steps;
			let setupMs = 0;
			const marks: number[] = [];
			await this.drive(jobId, signal, request, WARMUP_STEPS + 1, (p) => {
				if (p.phase !== 'learning') return;
				if (p.step === 1) setupMs = p.elapsedMs;
				marks.push(p.elapsedMs);
			});
			const msPerStep = marks.length > 1 ? (marks[marks.length - 1] - marks[0]) / (marks.length - 1) : setupMs;
			return { msPerStep, steps, setupMs };
		});
	}

	learn(jobId: number, request: LearnRequest, onProgress: (p: LearnProgress) => void): Promise<LearnResult> {
		return this.jobs.run(jobId, async (signal) => {
			const steps = request.steps ?? EFFORTS[request.effort].steps;
			// A preview crosses as a transferred copy: the session keeps its own for the result.
			const r = await this.drive(jobId, signal, request, steps, (p) => {
				if (!p.preview) return void onProgress(p);
				const preview = { ...p.preview, data: p.preview.data.slice() };
				onProgress(Comlink.transfer({ ...p, preview }, [preview.data.buffer as ArrayBuffer]));
			});
			if (!r) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
			const result: LearnResult = { ...r, networkVersion: this.net!.manifest.version };
			return Comlink.transfer(result, [result.row.buffer as ArrayBuffer, result.preview.data.buffer as ArrayBuffer]);
		});
	}
}

holdLifeline();
Comlink.expose(new LearnWorker());
