/**
 * FrameEngine on the cpu backend with a tiny fake style network (tensor ops only): style on/off,
 * strength, the stabilizer's reset on a change, overlay, side by side, capture, and no leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FrameEngine } from '../../../src/lib/live/engine';
import type { FrameSettings, StyleSnapshot } from '../../../src/lib/live/settings';
import { keepColours } from '../../../src/lib/stylize/colour';
import type { StyleInfo, StyleNet, StyleNetManifest, StylizeOptions } from '../../../src/lib/models/style-net';

beforeAll(async () => {
	await tf.setBackend('cpu');
	await tf.ready();
});

/**
 * Two "styles": style 0 inverts (1 − x), style 1 squares (x²); the blend mixes them, and
 * strength mixes the result with the input, as the real network does.
 */
function fakeStylize(frame: tf.Tensor3D, blend: readonly number[], strength: number): tf.Tensor3D {
	return tf.tidy(() => {
		const styled = tf.add(tf.mul(tf.sub(1, frame), blend[0] ?? 0), tf.mul(tf.square(frame), blend[1] ?? 0));
		return tf.add(tf.mul(frame, 1 - strength), tf.mul(styled, strength)) as tf.Tensor3D;
	});
}

class FakeNet implements StyleNet {
	readonly manifest = {} as StyleNetManifest;
	readonly styles: readonly StyleInfo[] = [
		{ id: 'invert', title: 'Invert', artist: '', year: '', file: '' },
		{ id: 'square', title: 'Square', artist: '', year: '', file: '' }
	];
	disposed = 0;
	stylize = vi.fn((frame: tf.Tensor3D, blend: readonly number[], options?: StylizeOptions) => {
		if (this.disposed) throw new Error('fake net: used after dispose');
		return fakeStylize(frame, blend, options?.strength ?? 1);
	});
	setExtraStyles = vi.fn();
	dispose(): void {
		this.disposed++;
	}
}

const H = 4;
const W = 6;

const settings = (over: Partial<FrameSettings> = {}): FrameSettings => ({
	width: W,
	height: H,
	mirror: false,
	sideBySide: false,
	guide: null,
	style: null,
	overlay: null,
	capture: false,
	debugDelayMs: 0,
	...over
});

const style = (over: Partial<StyleSnapshot> = {}): StyleSnapshot => ({ weights: [1, 0], strength: 1, stabilize: false, keepColours: 0, detail: 0, ...over });

/** A smooth frame in [0.1, 0.9]; `shift` moves every value a little (a slightly different camera frame). */
const frame = (shift = 0): tf.Tensor3D =>
	tf.tidy(() => tf.add(tf.mul(tf.linspace(0.1, 0.9, H * W * 3).reshape([H, W, 3]), 1), shift) as tf.Tensor3D);

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

function expectClose(a: tf.Tensor, b: tf.Tensor, tol = 1e-6) {
	expect(a.shape).toEqual(b.shape);
	expect(maxDiff(a, b)).toBeLessThanOrEqual(tol);
}

function disposeOut(o: { output: tf.Tensor; raw: tf.Tensor | null; shown: tf.Tensor | null }) {
	o.output.dispose();
	o.raw?.dispose();
	o.shown?.dispose();
}

describe('FrameEngine', () => {
	it('style off: the output is a copy of the input, not the input itself', () => {
		const engine = new FrameEngine();
		const net = new FakeNet();
		engine.setNet(net);
		const input = frame();
		for (const s of [settings(), settings({ style: style({ strength: 0 }) })]) {
			const out = engine.run(input, s);
			expect(out.output).not.toBe(input);
			expectClose(out.output, input, 0);
			expect(out.raw).toBeNull();
			expect(out.shown).toBeNull();
			out.output.dispose();
			expect(input.isDisposed).toBe(false);
		}
		expect(net.stylize).not.toHaveBeenCalled();
		engine.dispose();
		input.dispose();
	});

	it('no network loaded: a style snapshot is ignored', () => {
		const engine = new FrameEngine();
		const input = frame();
		const out = engine.run(input, settings({ style: style() }));
		expect(out.output).not.toBe(input);
		expectClose(out.output, input, 0);
		out.output.dispose();
		engine.dispose();
		input.dispose();
	});

	it('style on: the output is the stylized frame, with the blend and strength passed through', () => {
		const engine = new FrameEngine();
		const net = new FakeNet();
		engine.setNet(net);
		const input = frame();
		const out = engine.run(input, settings({ style: style({ weights: [0.25, 0.75], strength: 0.6 }) }));
		expect(net.stylize).toHaveBeenCalledTimes(1);
		const [f, blend, opts] = net.stylize.mock.calls[0];
		expect(f).toBe(input);
		expect(blend).toEqual([0.25, 0.75]);
		expect(opts).toEqual({ strength: 0.6 });
		const expected = fakeStylize(input, [0.25, 0.75], 0.6);
		expectClose(out.output, expected);
		// And it really differs from the input.
		expect(maxDiff(out.output, input)).toBeGreaterThan(0.1);
		expect(out.timings.style).toBeGreaterThanOrEqual(0);
		expected.dispose();
		out.output.dispose();
		engine.dispose();
		input.dispose();
	});

	it('stabilizes a still scene, and a change of strength or blend shows at once (stabilizer reset)', () => {
		const engine = new FrameEngine();
		engine.setNet(new FakeNet());
		const a = frame();
		const b = frame(0.02); // a small change: the stabilizer keeps most of the previous output
		const c = frame(0.03);
		const st = style({ weights: [1, 0], strength: 1, stabilize: true });

		const o1 = engine.run(a, settings({ style: st }));
		const plainA = fakeStylize(a, [1, 0], 1);
		expectClose(o1.output, plainA); // first frame: nothing to stabilize with

		const o2 = engine.run(b, settings({ style: st }));
		const plainB = fakeStylize(b, [1, 0], 1);
		// Pulled towards the previous output: not the plain stylized frame.
		expect(maxDiff(o2.output, plainB)).toBeGreaterThan(0.005);
		expect(maxDiff(o2.output, plainA)).toBeLessThan(maxDiff(plainB, plainA));

		// New strength: exactly the plain stylized frame right after the change.
		const st2 = { ...st, strength: 0.8 };
		const o3 = engine.run(c, settings({ style: st2 }));
		const plainC = fakeStylize(c, [1, 0], 0.8);
		expectClose(o3.output, plainC);
		// Same settings again: stabilized again.
		const o4 = engine.run(b, settings({ style: st2 }));
		const plainB2 = fakeStylize(b, [1, 0], 0.8);
		expect(maxDiff(o4.output, plainB2)).toBeGreaterThan(0.002);

		// New blend: the same.
		const st3 = { ...st2, weights: [0, 1] };
		const o5 = engine.run(c, settings({ style: st3 }));
		const plainC3 = fakeStylize(c, [0, 1], 0.8);
		expectClose(o5.output, plainC3);

		// Stabilize off: always the plain frame.
		const st4 = { ...st3, stabilize: false };
		const o6 = engine.run(a, settings({ style: st4 }));
		const o7 = engine.run(b, settings({ style: st4 }));
		const plainB4 = fakeStylize(b, [0, 1], 0.8);
		expectClose(o7.output, plainB4);

		for (const t of [plainA, plainB, plainC, plainB2, plainC3, plainB4, a, b, c]) t.dispose();
		for (const o of [o1, o2, o3, o4, o5, o6, o7]) disposeOut(o);
		engine.dispose();
	});

	it('stabilizer does not carry over a style turned off and on again', () => {
		const engine = new FrameEngine();
		engine.setNet(new FakeNet());
		const a = frame();
		const b = frame(0.02);
		const st = style({ stabilize: true });
		disposeOut(engine.run(a, settings({ style: st })));
		disposeOut(engine.run(a, settings())); // off
		const o = engine.run(b, settings({ style: st }));
		const plain = fakeStylize(b, [1, 0], 1);
		expectClose(o.output, plain);
		disposeOut(o);
		plain.dispose();
		a.dispose();
		b.dispose();
		engine.dispose();
	});

	it('overlays a 2×2 map: opacity 0 leaves the frame, opacity 1 shows the map, in between blends', () => {
		const engine = new FrameEngine();
		const input = frame();
		const map = { width: 2, height: 2, data: new Float32Array([0.5, 0.5, 0.5, 0.5]) };

		const o0 = engine.run(input, settings({ overlay: { map, opacity: 0, colormap: 'gray' } }));
		expectClose(o0.output, input);

		const o1 = engine.run(input, settings({ overlay: { map, opacity: 1, colormap: 'gray' } }));
		expect(o1.output.shape).toEqual([H, W, 3]);
		expectClose(o1.output, tf.fill([H, W, 3], 0.5), 1e-5);

		const o2 = engine.run(input, settings({ overlay: { map, opacity: 0.25, colormap: 'gray' } }));
		const expected = tf.tidy(() => tf.add(tf.mul(input, 0.75), 0.5 * 0.25));
		expectClose(o2.output, expected, 1e-5);

		// A map with structure: left column cold, right column hot → left of the frame darker than right.
		const ramp = { width: 2, height: 2, data: new Float32Array([0, 1, 0, 1]) };
		const flat = tf.fill([H, W, 3], 0.5) as tf.Tensor3D;
		const o3 = engine.run(flat, settings({ overlay: { map: ramp, opacity: 1, colormap: 'gray' } }));
		const v = o3.output.arraySync() as number[][][];
		expect(v[0][0][0]).toBeCloseTo(0, 5);
		expect(v[0][W - 1][0]).toBeCloseTo(1, 5);
		expect(v[1][1][0]).toBeLessThan(v[1][W - 2][0]);

		for (const o of [o0, o1, o2, o3]) disposeOut(o);
		expected.dispose();
		flat.dispose();
		input.dispose();
		engine.dispose();
	});

	it('the overlay goes over the stylized frame', () => {
		const engine = new FrameEngine();
		engine.setNet(new FakeNet());
		const input = frame();
		const map = { width: 2, height: 2, data: new Float32Array(4).fill(1) };
		const o = engine.run(input, settings({ style: style(), overlay: { map, opacity: 0.5, colormap: 'gray' } }));
		const expected = tf.tidy(() => tf.add(tf.mul(fakeStylize(input, [1, 0], 1), 0.5), 0.5));
		expectClose(o.output, expected, 1e-5);
		disposeOut(o);
		expected.dispose();
		input.dispose();
		engine.dispose();
	});

	it('side by side: twice the width, the camera frame on the left and the shown frame on the right', () => {
		const engine = new FrameEngine();
		engine.setNet(new FakeNet());
		const input = frame();
		const plain = engine.run(input, settings({ sideBySide: true }));
		expect(plain.output.shape).toEqual([H, 2 * W, 3]);
		const styled = engine.run(input, settings({ sideBySide: true, style: style() }));
		expect(styled.output.shape).toEqual([H, 2 * W, 3]);
		const left = tf.slice(styled.output, [0, 0, 0], [H, W, 3]);
		const right = tf.slice(styled.output, [0, W, 0], [H, W, 3]);
		const expected = fakeStylize(input, [1, 0], 1);
		expectClose(left, input, 0);
		expectClose(right, expected);
		for (const t of [left, right, expected, input]) t.dispose();
		disposeOut(plain);
		disposeOut(styled);
		engine.dispose();
	});

	it('capture: raw is the camera frame (null when style is off), shown is the frame before the overlay; all are separate tensors', () => {
		const engine = new FrameEngine();
		engine.setNet(new FakeNet());
		const input = frame();
		const map = { width: 2, height: 2, data: new Float32Array(4).fill(1) };

		const off = engine.run(input, settings({ capture: true }));
		expect(off.raw).toBeNull();
		expect(off.shown).not.toBeNull();
		expect(off.shown).not.toBe(input);
		expect(off.shown).not.toBe(off.output);
		expectClose(off.shown!, input, 0);

		const on = engine.run(input, settings({ capture: true, style: style() }));
		const expected = fakeStylize(input, [1, 0], 1);
		expect(on.raw).not.toBeNull();
		expect(on.raw).not.toBe(input);
		expectClose(on.raw!, input, 0);
		expect(on.shown).not.toBe(on.output);
		expectClose(on.shown!, expected);
		expectClose(on.output, expected);

		const withOverlay = engine.run(input, settings({ capture: true, style: style(), sideBySide: true, overlay: { map, opacity: 0.5, colormap: 'gray' } }));
		expectClose(withOverlay.shown!, expected);
		expectClose(withOverlay.raw!, input, 0);
		expect(withOverlay.output.shape).toEqual([H, 2 * W, 3]);

		const noCapture = engine.run(input, settings({ style: style() }));
		expect(noCapture.raw).toBeNull();
		expect(noCapture.shown).toBeNull();

		// Each can be disposed on its own without breaking the others.
		on.output.dispose();
		expect(on.shown!.isDisposed).toBe(false);
		expect(on.raw!.isDisposed).toBe(false);
		expect(input.isDisposed).toBe(false);

		for (const o of [off, on, withOverlay, noCapture]) disposeOut(o);
		expected.dispose();
		input.dispose();
		engine.dispose();
	});

	it('leaks nothing across many frames with every option, and dispose() frees the net and the stabilizer', () => {
		const input = frame();
		const shifted = frame(0.01);
		const map = { width: 2, height: 2, data: new Float32Array([0.1, 0.9, 0.4, 0.6]) };
		const before = tf.memory().numTensors;
		const engine = new FrameEngine();
		const net = new FakeNet();
		engine.setNet(net);
		const all: FrameSettings[] = [
			settings(),
			settings({ capture: true }),
			settings({ style: style({ stabilize: true }), capture: true }),
			settings({ style: style({ stabilize: true }), overlay: { map, opacity: 0.4, colormap: 'viridis' }, sideBySide: true, capture: true }),
			settings({ style: style({ stabilize: true, strength: 0.7, weights: [0.5, 0.5] }), overlay: { map, opacity: 0.4, colormap: 'jet' }, sideBySide: true, capture: true }),
			settings({ style: style({ strength: 0 }), overlay: { map, opacity: 1, colormap: 'inferno' }, capture: true }),
			settings({ style: style({ stabilize: true }), sideBySide: true }),
			settings({ style: style({ stabilize: true, keepColours: 0.6, detail: 0.8 }), guide: { width: 2 * W, height: 2 * H }, overlay: { map, opacity: 0.4, colormap: 'viridis' }, sideBySide: true, capture: true }),
			settings({ style: style({ keepColours: 1, detail: 1 }), guide: { width: 2 * W, height: 2 * H } })
		];
		const big = tf.tidy(() => tf.image.resizeBilinear(input, [2 * H, 2 * W]) as tf.Tensor3D);
		let afterFirstRound = -1;
		for (let round = 0; round < 5; round++) {
			for (let i = 0; i < all.length; i++) {
				// Repeat each setting so the stabilizer is in use.
				for (let k = 0; k < 3; k++) disposeOut(engine.run(k % 2 ? shifted : input, all[i], all[i].guide ? big : null));
			}
			if (round === 0) afterFirstRound = tf.memory().numTensors;
			else expect(tf.memory().numTensors).toBe(afterFirstRound);
		}
		big.dispose();
		// At most the stabilizer's two tensors are held between frames.
		expect(tf.memory().numTensors - before).toBeLessThanOrEqual(2);
		engine.dispose();
		expect(tf.memory().numTensors).toBe(before);
		expect(net.disposed).toBe(1);
		expect(engine.styleNet).toBeNull();
		input.dispose();
		shifted.dispose();
	});

	it('keeps the camera frame colours before stabilization, and upsamples with a guide (capture stays at the processing size)', () => {
		const engine = new FrameEngine();
		engine.setNet(new FakeNet());
		const input = frame();
		const plain = engine.run(input, settings({ style: style(), capture: true }));
		const kept = engine.run(input, settings({ style: style({ keepColours: 1 }), capture: true }));
		const want = keepColours(plain.output, input, 1);
		expectClose(kept.output, want, 1e-6);
		const guide = tf.tidy(() => tf.image.resizeBilinear(input, [2 * H, 2 * W]) as tf.Tensor3D);
		const up = engine.run(input, settings({ style: style({ detail: 1 }), guide: { width: 2 * W, height: 2 * H }, sideBySide: true, capture: true }), guide);
		expect(up.output.shape).toEqual([2 * H, 4 * W, 3]);
		expect(up.shown!.shape).toEqual([H, W, 3]);
		const left = tf.slice(up.output, [0, 0, 0], [2 * H, 2 * W, 3]);
		expectClose(left, guide);
		// Detail off: the guide is not used, the output stays at the processing size.
		const off = engine.run(input, settings({ style: style(), guide: { width: 2 * W, height: 2 * H } }), guide);
		expect(off.output.shape).toEqual([H, W, 3]);
		for (const o of [plain, kept, up, off]) disposeOut(o);
		tf.dispose([want, guide, left, input]);
		engine.dispose();
	});

	it('setNet frees the previous network (not the same one twice) and resets the stabilizer', () => {
		const before = tf.memory().numTensors;
		const engine = new FrameEngine();
		const a = new FakeNet();
		const b = new FakeNet();
		engine.setNet(a);
		engine.setNet(a);
		expect(a.disposed).toBe(0);
		const input = frame();
		disposeOut(engine.run(input, settings({ style: style({ stabilize: true }) })));
		engine.setNet(b);
		expect(a.disposed).toBe(1);
		expect(engine.styleNet).toBe(b);
		expect(tf.memory().numTensors).toBe(before + 1); // just the input: stabilizer state freed
		engine.setNet(null);
		expect(b.disposed).toBe(1);
		engine.dispose();
		expect(a.disposed).toBe(1);
		expect(b.disposed).toBe(1);
		input.dispose();
		expect(tf.memory().numTensors).toBe(before);
	});
});
