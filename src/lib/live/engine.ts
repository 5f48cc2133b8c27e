/**
 * The tensor work of one frame, the same in the page (WebGL) and in the style worker (wasm, cpu):
 * style network → keep colours → temporal stabilization → detail from the camera frame (guided
 * upsampling to the guide frame's size) → heat-map overlay → side by side. One tidy per frame; the
 * engine owns the style network and the stabilizer's two tensors and frees them in dispose().
 * Settings arrive as a small serializable snapshot with every frame, so a change shows on the next.
 */
import * as tf from '@tensorflow/tfjs';
import { load as loadStyleNet, type ExtraStyle, type StyleInfo, type StyleNet } from '../models/style-net';
import { TemporalStabilizer } from '../stylize/stabilizer';
import { overlay } from '../render/colormap';
import { mapToTensor } from '../render/pixel-tensors';
import { keepColours } from '../stylize/colour';
import { guidedUpsample } from '../stylize/guided';
import type { FrameSettings, StepTimings } from './settings';

export interface EngineOutput {
	/** What goes on screen; caller disposes. */
	output: tf.Tensor3D;
	/** With `capture`: the camera frame (null when style is off) and the frame shown, before the overlay; caller disposes. */
	raw: tf.Tensor3D | null;
	shown: tf.Tensor3D | null;
	timings: Omit<StepTimings, 'input' | 'draw' | 'total'>;
}

export class FrameEngine {
	private net: StyleNet | null = null;
	private readonly stabilizer = new TemporalStabilizer();
	private lastKey = '';
	/** Learned styles after the built-in ones (kept for the next network loaded too). */
	private extra: readonly ExtraStyle[] = [];

	get styleNet(): StyleNet | null {
		return this.net;
	}

	/** Loads the style network from `url` (and frees the previous one); returns its built-in styles (setExtraStyles adds the learned ones). */
	async loadStyle(url: string): Promise<StyleInfo[]> {
		const net = await loadStyleNet({ url });
		if (this.extra.length) net.setExtraStyles(this.extra);
		this.setNet(net);
		return [...net.manifest.styles];
	}

	/** Sets the learned styles after the built-in ones; returns the styles now (none without a network). */
	setExtraStyles(extra: readonly ExtraStyle[]): StyleInfo[] {
		this.net?.setExtraStyles(extra);
		this.extra = extra;
		return this.net ? [...this.net.styles] : [];
	}

	/** Takes ownership of `net` (frees the previous one). */
	setNet(net: StyleNet | null): void {
		if (this.net && this.net !== net) this.net.dispose();
		this.net = net;
		this.stabilizer.reset();
		this.lastKey = '';
	}

	/**
	 * `input`: float [H, W, 3] in [0, 1], already sized and mirrored; `guide`: the same frame larger
	 * (settings.guide's size), or null. Both left for the caller to dispose.
	 */
	run(input: tf.Tensor3D, s: FrameSettings, guide: tf.Tensor3D | null = null): EngineOutput {
		const timings = { style: 0, colour: 0, stabilize: 0, detail: 0, overlay: 0 };
		if (s.debugDelayMs > 0) busyWait(s.debugDelayMs);
		const style = this.net && s.style ? s.style : null;
		// A new blend, strength or colour amount must show at once, not fade in.
		const key = style ? `${style.weights.join(',')}|${style.strength}|${style.keepColours}` : '';
		if (key !== this.lastKey || !style?.stabilize) {
			this.stabilizer.reset();
			this.lastKey = key;
		}
		const result = tf.tidy(() => {
			let t = performance.now();
			const lap = (k: keyof typeof timings) => {
				const n = performance.now();
				timings[k] = n - t;
				t = n;
			};
			let shown: tf.Tensor3D = input;
			if (style && style.strength > 0) {
				shown = this.net!.stylize(input, style.weights, { strength: style.strength });
				lap('style');
				if (style.keepColours > 0) {
					shown = keepColours(shown, input, style.keepColours);
					lap('colour');
				}
				if (style.stabilize) {
					shown = this.stabilizer.apply(input, shown);
					lap('stabilize');
				}
			}
			let output = shown;
			// Detail from the camera frame: the shown frame (and the capture) stay at the processing size.
			const upscaled = !!(style && style.strength > 0 && style.detail > 0 && guide && (guide.shape[0] > input.shape[0] || guide.shape[1] > input.shape[1]));
			if (upscaled) {
				output = guidedUpsample(shown, guide!, style!.detail, { lowGuide: input });
				lap('detail');
			}
			if (s.overlay) {
				const heat = mapToTensor(s.overlay.map);
				output = overlay(output, heat, { opacity: s.overlay.opacity, colormap: s.overlay.colormap });
				lap('overlay');
			}
			if (s.sideBySide) output = tf.concat([upscaled ? guide! : input, output], 1);
			// Never hand back the caller's input itself.
			if (output === input) output = tf.clone(input);
			const keepShown = s.capture ? (shown === input ? tf.clone(input) : shown === output ? tf.clone(shown) : shown) : null;
			const keepRaw = s.capture && shown !== input ? tf.clone(input) : null;
			return { output, raw: keepRaw, shown: keepShown } as unknown as tf.TensorContainer;
		}) as unknown as Omit<EngineOutput, 'timings'>;
		return { ...result, timings };
	}

	dispose(): void {
		this.stabilizer.dispose();
		this.net?.dispose();
		this.net = null;
	}
}

function busyWait(ms: number): void {
	const end = performance.now() + ms;
	while (performance.now() < end) {
		/* a slow machine, on purpose */
	}
}
