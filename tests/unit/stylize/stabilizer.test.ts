import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TemporalStabilizer } from '../../../src/lib/stylize/stabilizer';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

/** Mean |a - b| over all values. */
const mad = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('TemporalStabilizer', () => {
	it('reduces flicker where the input is still', () => {
		const stab = new TemporalStabilizer();
		const input = tf.fill([16, 16, 3], 0.5) as tf.Tensor3D;
		const base = tf.randomUniform([16, 16, 3], 0.2, 0.8, 'float32', 1) as tf.Tensor3D;
		let prevRaw: tf.Tensor3D | null = null;
		let prevOut: tf.Tensor3D | null = null;
		let rawFlicker = 0;
		let outFlicker = 0;
		for (let i = 0; i < 20; i++) {
			// The network's output jitters from frame to frame on a still scene.
			const raw = tf.tidy(() => tf.add(base, tf.randomUniform([16, 16, 3], -0.1, 0.1, 'float32', 100 + i))) as tf.Tensor3D;
			const out = stab.apply(input, raw);
			if (prevRaw && prevOut && i > 5) {
				rawFlicker += mad(raw, prevRaw);
				outFlicker += mad(out, prevOut);
			}
			prevRaw?.dispose();
			prevOut?.dispose();
			prevRaw = raw;
			prevOut = out;
		}
		expect(outFlicker).toBeLessThan(rawFlicker * 0.5);
		prevRaw?.dispose();
		prevOut?.dispose();
		stab.dispose();
		input.dispose();
		base.dispose();
	});

	it('follows moving parts at once (no smear)', () => {
		const stab = new TemporalStabilizer();
		const a = tf.zeros([8, 8, 3]) as tf.Tensor3D;
		const b = tf.ones([8, 8, 3]) as tf.Tensor3D; // the whole scene changed
		stab.apply(a, a).dispose();
		const out = stab.apply(b, b);
		expect(mad(out, b)).toBeLessThan(1e-6);
		out.dispose();
		stab.dispose();
		a.dispose();
		b.dispose();
	});

	it('passes the first frame and a size change through unchanged', () => {
		const stab = new TemporalStabilizer();
		const x = tf.randomUniform([4, 6, 3]) as tf.Tensor3D;
		const y = stab.apply(x, x);
		expect(mad(x, y)).toBe(0);
		const z = tf.randomUniform([6, 4, 3]) as tf.Tensor3D;
		const w = stab.apply(z, z);
		expect(mad(z, w)).toBe(0);
		tf.dispose([x, y, z, w]);
		stab.dispose();
	});

	it('holds exactly two tensors while live and none after dispose', () => {
		const before = tf.memory().numTensors;
		const stab = new TemporalStabilizer();
		for (let i = 0; i < 50; i++) {
			const x = tf.randomUniform([8, 8, 3]) as tf.Tensor3D;
			stab.apply(x, x).dispose();
			x.dispose();
		}
		expect(tf.memory().numTensors).toBe(before + 2);
		stab.dispose();
		expect(tf.memory().numTensors).toBe(before);
	});
});
