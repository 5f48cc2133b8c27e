import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LiveLoop } from '../../../src/lib/live/loop';
import type { FrameSource } from '../../../src/lib/camera/types';
import type { FrameRenderer } from '../../../src/lib/render/renderer';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

/** A manual animation-frame clock. */
let callbacks: ((t: number) => void)[] = [];
let now = 0;
globalThis.requestAnimationFrame = ((cb: (t: number) => void) => callbacks.push(cb)) as typeof requestAnimationFrame;
globalThis.cancelAnimationFrame = (() => {}) as typeof cancelAnimationFrame;
function animationFrame() {
	now += 16;
	const cbs = callbacks;
	callbacks = [];
	for (const cb of cbs) cb(now);
}
const settle = () => new Promise((r) => setTimeout(r, 0));

/** A source whose pixels are its frame number (one gray level per frame), 4×4. */
class CountingSource implements FrameSource {
	readonly kind = 'demo' as const;
	readonly label = 'counter';
	readonly width = 4;
	readonly height = 4;
	frame = 0;
	get element() {
		const v = this.frame % 256;
		return { data: new Uint8Array(16 * 4).fill(v), width: 4, height: 4 } as unknown as HTMLCanvasElement;
	}
	advance() {
		this.frame++;
		return true;
	}
	stop() {}
}

/** A renderer whose draw takes until release() is called. */
class SlowRenderer implements FrameRenderer {
	readonly path = 'cpu' as const;
	readonly canvas = {} as HTMLCanvasElement;
	drawn: number[] = [];
	private pending: (() => void)[] = [];
	async draw(image: tf.Tensor3D) {
		const v = (await image.data())[0];
		await new Promise<void>((r) => this.pending.push(r));
		this.drawn.push(Math.round(v * 255));
	}
	release() {
		const p = this.pending;
		this.pending = [];
		p.forEach((r) => r());
	}
	dispose() {}
}

afterEach(() => {
	callbacks = [];
});

describe('LiveLoop', () => {
	it('skips animation frames while busy and then takes the newest frame (no queue)', async () => {
		const source = new CountingSource();
		const renderer = new SlowRenderer();
		const loop = new LiveLoop({
			source: () => source,
			renderer: () => renderer,
			chain: () => [],
			settings: () => ({ mirror: false, shortSide: null })
		});
		loop.start();
		animationFrame(); // frame 1 starts, draw blocks
		await settle();
		for (let i = 0; i < 5; i++) {
			animationFrame(); // busy: skipped, the source is not even asked
			await settle();
		}
		expect(source.frame).toBe(1);
		renderer.release();
		await settle();
		await settle();
		animationFrame(); // the next frame the source has is the newest
		await settle();
		renderer.release();
		await settle();
		await settle();
		loop.stop();
		expect(renderer.drawn).toEqual([1, 2]);
	});

	it('leaks no tensors over many frames', async () => {
		const source = new CountingSource();
		const renderer = new SlowRenderer();
		const loop = new LiveLoop({
			source: () => source,
			renderer: () => renderer,
			chain: () => [{ id: 'inv', enabled: true, process: (t) => tf.sub(1, t) }],
			settings: () => ({ mirror: true, shortSide: 2, sideBySide: true })
		});
		const before = tf.memory().numTensors;
		loop.start();
		for (let i = 0; i < 30; i++) {
			animationFrame();
			await settle();
			renderer.release();
			await settle();
			await settle();
		}
		loop.stop();
		expect(renderer.drawn.length).toBeGreaterThan(20);
		expect(tf.memory().numTensors).toBe(before);
	});
});
