/**
 * objectives.ts ↔ training/losses.py: the same inputs through both give the same numbers. The fixture
 * (tests/fixtures/optvis/losses.json) is written by training/make_loss_fixture.py with PyTorch in
 * float64; here tfjs computes in float32 (relative tolerance 1e-4 of each tensor's largest value).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as obj from '../../../src/lib/optvis/objectives';
import { ROOT } from '../../../scripts/shared-data.mjs';

interface T {
	shape: number[];
	data: number[];
}
const fx = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/optvis/losses.json'), 'utf8'));
const inp = (name: string) => tf.tensor(fx.inputs[name].data, fx.inputs[name].shape) as tf.Tensor4D;
const STATS: obj.StyleStat[] = ['gram', 'covmean'];
const SMOOTHS: obj.Smooth[] = ['none', 'softmax'];

async function close(actual: tf.Tensor | number, expected: T | number) {
	const a = typeof actual === 'number' ? [actual] : Array.from(await actual.data());
	const e = typeof expected === 'number' ? [expected] : expected.data;
	if (typeof actual !== 'number' && typeof expected !== 'number') expect(actual.shape).toEqual(expected.shape);
	expect(a.length).toBe(e.length);
	const scale = Math.max(...e.map(Math.abs), 1e-12);
	const worst = Math.max(...a.map((v, i) => Math.abs(v - e[i])));
	expect(worst / scale).toBeLessThan(1e-4);
}

describe('losses: objectives.ts equals training/losses.py (fixture)', () => {
	it('smooth_feats, gram, cov_mean', async () => {
		const g = inp('generated');
		for (const s of SMOOTHS) {
			await close(obj.smoothFeats(g, s), fx.expected.smooth_feats[s]);
			await close(obj.styleStatistic(g, 'gram', s), fx.expected.gram[s]);
			await close(obj.styleStatistic(g, 'covmean', s), fx.expected.cov_mean[s]);
		}
	});

	it('style targets do not depend on the spatial size', async () => {
		for (const stat of STATS)
			for (const s of SMOOTHS) {
				await close(obj.styleStatistic(inp('style'), stat, s), fx.expected.style_target[stat][s].a);
				await close(obj.styleStatistic(inp('style_b'), stat, s), fx.expected.style_target[stat][s].b);
			}
	});

	it('style_layer_error and style_loss, both statistics and smoothings', async () => {
		for (const stat of STATS)
			for (const s of SMOOTHS) {
				const ta = obj.styleStatistic(inp('style'), stat, s);
				const tb = obj.styleStatistic(inp('style_b'), stat, s);
				await close(obj.styleLayerError(obj.styleStatistic(inp('generated'), stat, s), ta, stat), fx.expected.style_layer_error[stat][s]);
				const loss = obj.styleLoss({ a: inp('generated'), b: inp('generated_b') }, { a: ta, b: tb }, fx.layer_weights, stat, s);
				await close(loss, fx.expected.style_loss[stat][s]);
			}
	});

	it('relative_mse, content_loss, tv_loss, activation_power', async () => {
		await close(obj.relativeMse(obj.gram(inp('generated')), obj.gram(inp('style'))), fx.expected.relative_mse);
		await close(obj.contentLoss(inp('generated'), inp('content')), fx.expected.content_loss);
		await close((await obj.tvLoss(inp('image')).data())[0], fx.expected.tv_loss);
		await close((await obj.activationPower(inp('generated')).data())[0], fx.expected.activation_power);
		await close((await obj.activationPower(inp('generated_b')).data())[0], fx.expected.activation_power_b);
	});
});
