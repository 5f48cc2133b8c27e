/**
 * The lab worker: holds ResNet50 and runs the lab's modes (optvis/modes) on a captured image, one at a
 * time, reporting progress through a callback and stopping within a step when cancelled. Only plain
 * data crosses: the input and every picture as RGBA pixels.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { load as loadClassifier, type Classifier } from '../models/classifier';
import { LAB_MODES, type LabModeId, type LabParams, type LabProgress, type LabResult } from '../optvis/modes';
import { paramsRefusal, runPhases } from '../optvis/catalogue';
import type { PixelImage } from '../render/pixels';
import { pixelsToTensor } from '../render/pixel-tensors';
import { startWorkerBackend } from './backend';
import { holdLifeline } from './lifeline';
import { nextTask } from '../cancel';
import { JobBoard } from './jobs';
import type { LabEstimate, LabLoaded, LabWorkerApi, LabWorkerInit } from './protocol';

/** Steps of the warm-up the ETA is measured on (the first is slower: kernels compile, memory grows). */
const WARMUP_UNITS = 3;
/** A preview every this many steps. */
const PREVIEW_EVERY = 5;

async function painting(id: string): Promise<tf.Tensor3D> {
	if (!/^[a-z0-9_]+$/.test(id)) throw new Error(`no painting "${id}"`);
	const res = await fetch(`/paintings/${id}.jpg`);
	if (!res.ok) throw new Error(`could not load the painting ${id} (${res.status})`);
	const bitmap = await createImageBitmap(await res.blob());
	try {
		return tf.tidy(() => tf.div(tf.browser.fromPixels(bitmap), 255) as tf.Tensor3D);
	} finally {
		bitmap.close();
	}
}

/** Time per unit from the progress marks, leaving out the first unit (kernels compile, memory grows). */
function timingOf(marks: { done: number; at: number }[]): LabResult['timing'] {
	if (marks.length === 0) return undefined;
	const first = marks[0];
	const last = marks[marks.length - 1];
	const msPerUnit = last.done > first.done ? (last.at - first.at) / (last.done - first.done) : last.at / Math.max(1, last.done);
	return { units: last.done, msPerUnit, firstUnitMs: first.at / Math.max(1, first.done) };
}

class LabWorker implements LabWorkerApi {
	private clf: Classifier | null = null;
	private info: { backend: string; threads: number } | null = null;
	private readonly jobs = new JobBoard();

	async load(init: LabWorkerInit): Promise<LabLoaded> {
		this.info ??= await startWorkerBackend(init);
		if (!this.clf) {
			const clf = await loadClassifier({ url: init.modelUrl, taps: ['conv5'] });
			// Warm the gradient path too: the first backward pass makes the flipped kernels the network
			// keeps (tf/conv-grad.ts), so the first step of a run is as fast as the rest and the
			// worker's tensor count stays flat from here on.
			const net = clf.net({ outputs: ['logits'] });
			const g = tf.tidy(() => tf.grad((x) => tf.sum(net(x as tf.Tensor4D).logits))(tf.zeros([1, 32, 32, 3])));
			await g.data();
			g.dispose();
			this.clf = clf;
		}
		return { ...this.info, labels: [...this.clf.labels], blocks: [...this.clf.blocks] };
	}

	numTensors(): number {
		return tf.memory().numTensors;
	}

	cancel(jobId: number): void {
		this.jobs.cancel(jobId);
	}

	/**
	 * Drives a mode's generator; between steps it lets a cancel message in. `onStep` gets each progress
	 * and how many have come; returning false stops the run (result null). The timing covers the steps run.
	 */
	private async drive<K extends LabModeId>(
		signal: AbortSignal,
		mode: K,
		params: Partial<LabParams[K]>,
		image: PixelImage,
		previewEvery: number,
		onStep: (p: LabProgress, steps: number) => boolean | void,
		checked = false
	): Promise<{ result: LabResult | null; timing: LabResult['timing'] }> {
		const clf = this.clf;
		if (!clf) throw new Error('the lab worker has no classifier loaded');
		const m = LAB_MODES[mode];
		if (!m) throw new Error(`unknown lab mode "${mode}"`);
		const p: LabParams[K] = { ...m.defaults, ...params };
		// The page checks too; a run that would break the backend never starts here either.
		if (!checked) this.check(mode, p, image);
		const input = pixelsToTensor(image);
		const gen = m.run({ classifier: clf, signal, painting, previewEvery }, input, p);
		const marks: { done: number; at: number }[] = [];
		try {
			for (;;) {
				const r = await gen.next();
				if (r.done) return { result: { ...r.value, timing: timingOf(marks) }, timing: timingOf(marks) };
				marks.push({ done: r.value.done, at: r.value.elapsedMs });
				if (onStep(r.value, marks.length) === false) return { result: null, timing: timingOf(marks) };
				await nextTask();
			}
		} finally {
			await gen.return?.(undefined as never).catch(() => {});
			input.dispose();
		}
	}

	private check<K extends LabModeId>(mode: K, params: LabParams[K], image: PixelImage): void {
		const refused = paramsRefusal(mode, params, image, this.clf?.labels.length ?? 0);
		if (refused) throw new RangeError(refused);
	}

	/** A short warm-up of each phase of the run (each octave at its size, each layer at its depth). */
	estimate<K extends LabModeId>(jobId: number, mode: K, params: Partial<LabParams[K]>, image: PixelImage): Promise<LabEstimate> {
		return this.jobs.run(jobId, async (signal) => {
			const whole: LabParams[K] = { ...LAB_MODES[mode].defaults, ...params };
			this.check(mode, whole, image);
			const phases = [];
			for (const phase of runPhases(mode, whole, image)) {
				// A phase alone may fall outside the form's bounds (a small octave): the whole run was checked.
				const { timing } = await this.drive(signal, mode, { ...params, ...phase.params }, image, 0, (s, steps) => steps < WARMUP_UNITS + 1 && s.done < s.total, true);
				phases.push({ units: phase.units, msPerUnit: timing?.msPerUnit ?? 0, firstUnitMs: timing?.firstUnitMs ?? 0 });
			}
			return { phases };
		});
	}

	run<K extends LabModeId>(jobId: number, mode: K, params: Partial<LabParams[K]>, image: PixelImage, onProgress: (p: LabProgress) => void): Promise<LabResult> {
		return this.jobs.run(jobId, async (signal) => {
			const { result } = await this.drive(signal, mode, params, image, PREVIEW_EVERY, (p) => void onProgress(p.preview ? Comlink.transfer(p, [p.preview.data.buffer as ArrayBuffer]) : p));
			if (!result) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
			return Comlink.transfer(result, result.pictures.map((p) => p.image.data.buffer as ArrayBuffer));
		});
	}
}

holdLifeline();
Comlink.expose(new LabWorker());
