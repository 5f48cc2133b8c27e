import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, type StyleNet } from '../../../src/lib/models/style-net';
import { b64ToFloat32, diskFetch, MODEL_DIR, MODEL_URL } from './style-net-helpers';

interface Fixture {
	shape: [number, number, number];
	input: string;
	cases: { name: string; blend: number[]; output: string }[];
}
const fixture: Fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/style-net-parity.json'), 'utf8'));

let net: StyleNet;

beforeAll(async () => {
	await tf.setBackend('cpu');
	await tf.ready();
	net = await load({ url: MODEL_URL, fetch: diskFetch(), warmupSize: [16, 16] });
});
afterAll(() => net?.dispose());

describe('style-net parity with PyTorch (dequantized weights)', () => {
	for (const c of fixture.cases) {
		it(`${c.name}: max |Δ| ≤ 1e-3 on a ${fixture.shape.slice(0, 2).join('x')} input (not a multiple of 4)`, () => {
			const x = tf.tensor3d(b64ToFloat32(fixture.input), fixture.shape);
			const y = net.stylize(x, c.blend);
			expect(y.shape).toEqual(fixture.shape);
			const got = y.dataSync();
			const want = b64ToFloat32(c.output);
			let maxDiff = 0;
			for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
			x.dispose();
			y.dispose();
			console.log(`parity ${c.name}: max |Δ| = ${maxDiff.toExponential(2)}`);
			expect(maxDiff).toBeLessThanOrEqual(1e-3);
		});
	}
});

describe('style-net behaviour', () => {
	it('exposes the manifest styles (title, artist, year)', () => {
		const m = JSON.parse(readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8'));
		expect(net.styles.map((s) => s.id)).toEqual(m.styles.map((s: { id: string }) => s.id));
		expect(net.styles.length).toBeGreaterThanOrEqual(8);
		for (const s of net.styles) expect(s.title && s.artist && s.year).toBeTruthy();
	});

	it('strength 0 returns the input; output in [0, 1] with the input size', () => {
		const x = tf.randomUniform([21, 27, 3], 0, 1, 'float32', 7) as tf.Tensor3D;
		const blend = net.styles.map((_, i) => (i === 1 ? 1 : 0));
		const y0 = net.stylize(x, blend, { strength: 0 });
		expect(Math.max(...tf.sub(y0, x).abs().dataSync())).toBe(0);
		const y1 = net.stylize(x, blend);
		expect(y1.shape).toEqual([21, 27, 3]);
		const d = y1.dataSync();
		expect(Math.min(...d)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...d)).toBeLessThanOrEqual(1);
		// strength 0.5 is the midpoint
		const yh = net.stylize(x, blend, { strength: 0.5 });
		const mid = tf.mul(tf.add(x, y1), 0.5);
		expect(Math.max(...tf.sub(yh, mid).abs().dataSync())).toBeLessThan(1e-5);
		tf.dispose([x, y0, y1, yh, mid]);
	});

	it('normalizes blends (scaled weights give the same output) and rejects bad ones', () => {
		const x = tf.randomUniform([16, 16, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
		const n = net.styles.length;
		const a = net.stylize(x, Array.from({ length: n }, (_, i) => (i < 2 ? 1 : 0)));
		const b = net.stylize(x, Array.from({ length: n }, (_, i) => (i < 2 ? 5 : 0)));
		expect(Math.max(...tf.sub(a, b).abs().dataSync())).toBeLessThan(1e-6);
		expect(() => net.stylize(x, new Array(n).fill(0))).toThrow(/all zero/);
		expect(() => net.stylize(x, [1])).toThrow(/styles/);
		expect(() => net.stylize(x, Array.from({ length: n }, (_, i) => (i === 0 ? -1 : 1)))).toThrow(/>= 0/);
		expect(() => net.stylize(x, Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0)), { strength: 2 })).toThrow(/strength/);
		tf.dispose([x, a, b]);
	});

	it('stylize leaks no tensors (one-hot, blend, strength)', () => {
		const x = tf.randomUniform([24, 24, 3]) as tf.Tensor3D;
		const n = net.styles.length;
		const before = tf.memory().numTensors;
		for (const [blend, strength] of [
			[Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0)), 1],
			[Array.from({ length: n }, () => 1), 0.3],
			[Array.from({ length: n }, (_, i) => (i === 2 ? 1 : 0)), 0]
		] as [number[], number][]) {
			const y = net.stylize(x, blend, { strength });
			expect(tf.memory().numTensors).toBe(before + 1);
			y.dispose();
			expect(tf.memory().numTensors).toBe(before);
		}
		x.dispose();
	});

	it('load/dispose cycles return to the tensor baseline', async () => {
		const base = tf.memory().numTensors;
		for (let i = 0; i < 3; i++) {
			const m = await load({ url: MODEL_URL, fetch: diskFetch(), warmupSize: [8, 8] });
			expect(tf.memory().numTensors).toBeGreaterThan(base);
			m.dispose();
			expect(tf.memory().numTensors).toBe(base);
		}
	});

	it('refuses to run after dispose', async () => {
		const m = await load({ url: MODEL_URL, fetch: diskFetch(), warmupSize: [8, 8] });
		m.dispose();
		const x = tf.zeros([8, 8, 3]) as tf.Tensor3D;
		expect(() => m.stylize(x, m.styles.map(() => 1))).toThrow(/dispose/);
		x.dispose();
	});
});

describe('style-net corrupt downloads give clear errors', () => {
	const manifestText = readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8');
	const weights = readFileSync(path.join(MODEL_DIR, 'weights.bin'));

	it('bad JSON', async () => {
		const base = tf.memory().numTensors;
		await expect(load({ url: MODEL_URL, fetch: diskFetch({ 'manifest.json': manifestText.slice(0, 100) }) })).rejects.toThrow(
			/not valid JSON/
		);
		expect(tf.memory().numTensors).toBe(base);
	});

	it('truncated weights', async () => {
		const base = tf.memory().numTensors;
		const cut = new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength - 10);
		await expect(load({ url: MODEL_URL, fetch: diskFetch({ 'weights.bin': cut }) })).rejects.toThrow(/truncated/);
		expect(tf.memory().numTensors).toBe(base);
	});

	it('manifest with a wrong tensor shape / unknown op / wrong format', async () => {
		const m = JSON.parse(manifestText);
		m.weights.tensors[0].shape = [1, 2, 3];
		await expect(load({ url: MODEL_URL, fetch: diskFetch({ 'manifest.json': JSON.stringify(m) }) })).rejects.toThrow(/byteLength|shape/);
		const m2 = JSON.parse(manifestText);
		m2.ops.splice(1, 0, { op: 'gelu' });
		await expect(load({ url: MODEL_URL, fetch: diskFetch({ 'manifest.json': JSON.stringify(m2) }) })).rejects.toThrow(/unknown op/);
		const m3 = JSON.parse(manifestText);
		m3.format = 'something-else';
		await expect(load({ url: MODEL_URL, fetch: diskFetch({ 'manifest.json': JSON.stringify(m3) }) })).rejects.toThrow(/format/);
	});

	it('missing files', async () => {
		const f = (async () => new Response('x', { status: 404 })) as unknown as typeof fetch;
		await expect(load({ url: MODEL_URL, fetch: f })).rejects.toThrow(/HTTP 404/);
	});
});
