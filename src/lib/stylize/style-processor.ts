import * as tf from '@tensorflow/tfjs';
import type { FrameProcessor } from '../live/processor';
import type { StyleNet } from '../models/style-net';
import { TemporalStabilizer } from './stabilizer';

export interface StyleSettings {
	/** One weight per style, summing to 1. */
	weights: readonly number[];
	/** 0 = the camera image, 1 = full style. */
	strength: number;
	stabilize: boolean;
}

/**
 * The live style step of the frame chain: the style network on the frame, then temporal
 * stabilization. Reads its settings on every frame, so a blend change shows on the next frame.
 * Owns the stabilizer's two tensors; the network belongs to whoever loaded it.
 */
export class StyleProcessor implements FrameProcessor {
	readonly id = 'style';
	enabled = true;
	private readonly stabilizer = new TemporalStabilizer();
	private lastKey = '';

	constructor(
		private readonly net: StyleNet,
		private readonly settings: () => StyleSettings
	) {}

	process(frame: tf.Tensor3D): tf.Tensor3D {
		const s = this.settings();
		// A new blend or strength must show at once, not fade in.
		const key = `${s.weights.join(',')}|${s.strength}`;
		if (key !== this.lastKey || !s.stabilize) {
			this.stabilizer.reset();
			this.lastKey = key;
		}
		if (s.strength <= 0) return frame;
		const stylized = this.net.stylize(frame, s.weights, { strength: s.strength });
		return s.stabilize ? this.stabilizer.apply(frame, stylized) : stylized;
	}

	dispose(): void {
		this.stabilizer.dispose();
	}
}
