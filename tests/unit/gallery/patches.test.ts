import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelMaxima, patchBox, patchViews, rankPatches, strongestChannels, type ChannelMaxima } from '../../../src/lib/gallery/patches';
import { describeLayers, receptiveFields } from '../../../src/lib/gallery/receptive-field';

/**
 * A toy network with known answers: conv 3×3 (valid) whose channel 0 sums the red plane and channel 1
 * the negated green plane, then max-pool 2×2 stride 2. A picture with a bright red square excites
 * channel 0 exactly where the square is.
 */
let model: tf.LayersModel;
beforeAll(async () => {
	await tf.setBackend('cpu');
	const input = tf.input({ shape: [16, 16, 3] });
	const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'valid', useBias: false, name: 'toy_conv' });
	const pool = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'toy_pool' });
	model = tf.model({ inputs: input, outputs: pool.apply(conv.apply(input)) as tf.SymbolicTensor });
	const k = tf.buffer([3, 3, 3, 2]);
	for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) {
		k.set(1, y, x, 0, 0);
		k.set(-1, y, x, 1, 1);
	}
	conv.setWeights([k.toTensor()]);
});
afterAll(() => model.dispose());

/** A dark picture with a red square of side 3 and the given brightness whose top-left pixel is (y, x). */
function picture(y: number, x: number, red: number): tf.Tensor4D {
	const b = tf.buffer([1, 16, 16, 3]);
	for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) b.set(0.5, 0, i, j, 1);
	for (let i = y; i < y + 3; i++) for (let j = x; j < x + 3; j++) b.set(red, 0, i, j, 0);
	return b.toTensor() as tf.Tensor4D;
}

describe('maximally activating patches on a toy model', () => {
	it('ranks the pictures by a channel’s strongest response and finds where it is, without leaking', async () => {
		const specs = [
			{ id: 'dim', y: 2, x: 2, red: 0.3 },
			{ id: 'bright', y: 9, x: 4, red: 1 },
			{ id: 'mid', y: 4, x: 10, red: 0.6 }
		];
		const before = tf.memory().numTensors;
		const maxima: ChannelMaxima[] = [];
		for (const s of specs) {
			const img = picture(s.y, s.x, s.red);
			const act = model.predict(img) as tf.Tensor4D;
			maxima.push(await channelMaxima(s.id, act));
			tf.dispose([img, act]);
		}
		expect(tf.memory().numTensors).toBe(before);
		expect(maxima[0].h).toBe(7);
		const top = rankPatches(maxima, 0, 9);
		expect(top.map((p) => p.id)).toEqual(['bright', 'mid', 'dim']);
		expect(top[0].value).toBeCloseTo(9, 5); // 3×3 red pixels at 1
		expect(top[2].value).toBeCloseTo(2.7, 5);
		expect(rankPatches(maxima, 0, 2)).toHaveLength(2);
		// The winning unit's receptive field contains the square (9..11, 4..6) for 'bright'.
		const geom = receptiveFields(describeLayers(model), 16).get('toy_pool')!;
		expect(geom).toEqual({ jump: 2, size: 4, start: 1.5, extent: 7 });
		const box = patchBox(geom, top[0].row, top[0].col, 16, 16, 16);
		expect(box.x).toBeLessThanOrEqual(4);
		expect(box.x + box.w).toBeGreaterThanOrEqual(6);
		expect(box.y).toBeLessThanOrEqual(9);
		expect(box.y + box.h).toBeGreaterThanOrEqual(11);
		expect(box.w).toBe(4);
		// Channel 1 (negated green) is the same everywhere: a tie broken by id.
		expect(rankPatches(maxima, 1).map((p) => p.id)).toEqual(['bright', 'dim', 'mid']);
		expect(strongestChannels(maxima, 1)).toEqual([0]);
	});

	it('scales the crop to the picture (the network sees it squashed to a square) and clips it', () => {
		const g = { jump: 16, size: 99, start: 0, extent: 14 };
		// Unit (0, 0): centred on input pixel 0, reaching 49 px each way: input pixels 0 … 49 (50), twice as wide in a 448-wide picture.
		expect(patchBox(g, 0, 0, 224, 448, 224)).toEqual({ x: 0, y: 0, w: 100, h: 50 });
		// A middle unit of a 640 × 480 picture: 99 input px → 283 × 212 picture px.
		const b = patchBox(g, 7, 7, 224, 640, 480);
		expect(b.w).toBeGreaterThanOrEqual(282);
		expect(b.w).toBeLessThanOrEqual(284);
		expect(b.h).toBeGreaterThanOrEqual(212);
		expect(b.h).toBeLessThanOrEqual(213);
		expect(b.x + b.w / 2).toBeCloseTo((112 * 640) / 224, -1);
	});

	it('the view’s patches: ranked, each with its crop in its own picture, pictures gone meanwhile left out', () => {
		const g = { jump: 16, size: 99, start: 0, extent: 14 };
		const m = (id: string, value: number, arg: number): ChannelMaxima => ({ id, h: 14, w: 14, max: Float32Array.of(value, 0), arg: Int32Array.of(arg, 0) });
		const maxima = [m('small', 1, 0), m('big', 3, 7 * 14 + 7), m('gone', 5, 0)];
		const sizes = new Map([
			['small', { width: 448, height: 224 }],
			['big', { width: 640, height: 480 }]
		]);
		const views = patchViews(maxima, 0, 9, g, 224, sizes);
		expect(views.map((v) => [v.id, v.value])).toEqual([
			['big', 3],
			['small', 1]
		]);
		expect(views[0].box).toEqual(patchBox(g, 7, 7, 224, 640, 480));
		expect(views[1].box).toEqual({ x: 0, y: 0, w: 100, h: 50 });
		expect(patchViews(maxima, 0, 1, g, 224, sizes).map((v) => v.id)).toEqual([]);
	});
});
