import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { convFloor, convSteps, profileFrame } from '../../../src/lib/bench/net-profile';
import { parseManifestText } from '../../../src/lib/models/style-net/manifest';
import { MODEL_DIR } from '../models/style-net-helpers';

const manifest = parseManifestText(readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8'));

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe('convSteps', () => {
	it('counts the multiply-adds the export recorded (manifest gmac) at 256×256 and 480×360', () => {
		for (const [key, [h, w]] of [
			['256x256', [256, 256]],
			['480x360', [360, 480]]
		] as const) {
			const macs = convSteps(manifest, h, w).reduce((a, s) => a + s.macs, 0);
			expect(macs / 1e9).toBeCloseTo(manifest.gmac![key].ours, 2);
		}
	});

	it('follows the shapes: padded input, strides, upsampling, 3 channels out at the padded size', () => {
		const steps = convSteps(manifest, 256, 340);
		expect(steps.length).toBe(manifest.ops.filter((o) => o.op === 'conv').length);
		expect(steps[0].input).toEqual([256 + 4, 344 + 4, 3]); // padded to 344, then the 5×5 conv's pad 2
		expect(steps[1].output).toEqual([128, 172, 32]);
		expect(steps.at(-1)!.output).toEqual([256, 344, 3]);
	});
});

describe('profileFrame and convFloor', () => {
	it('counts kernels and passes, fused kernels once, reshapes as views', async () => {
		const x = tf.ones([1, 4, 4, 2]) as tf.Tensor4D;
		const k = tf.ones([1, 1, 2, 2]) as tf.Tensor4D;
		const p = await profileFrame(() => tf.tidy(() => tf.reshape(tf.relu(tf.fused.conv2d({ x, filter: k, strides: 1, pad: 'valid', activation: 'relu' })), [32])), 2);
		expect(p.kernels.map((r) => r.kernel).sort()).toEqual(['FusedConv2D', 'Relu', 'Reshape']);
		expect(p.kernelCount).toBe(3);
		expect(p.passCount).toBe(2);
		expect(p.kernels.every((r) => r.calls === 1 && r.ms >= 0)).toBe(true);
		tf.dispose([x, k]);
	});

	it('the floor runs every convolution of the program once and leaks nothing', async () => {
		const before = tf.memory().numTensors;
		const floor = convFloor(manifest, 16, 24);
		const p = await profileFrame(floor.run);
		const steps = convSteps(manifest, 16, 24);
		const calls = Object.fromEntries(p.kernels.map((r) => [r.kernel, r.calls]));
		expect(calls.Conv2D).toBe(steps.filter((s) => !s.depthwise).length);
		expect(calls.DepthwiseConv2dNative).toBe(steps.filter((s) => s.depthwise).length);
		floor.dispose();
		expect(tf.memory().numTensors).toBe(before);
	});
});
