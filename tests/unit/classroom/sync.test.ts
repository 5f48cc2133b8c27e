import { afterEach, describe, expect, it } from 'vitest';
import {
	byeMessage,
	decodeProjectorMessage,
	decodeTeacherMessage,
	frameMessage,
	helloMessage,
	presentLabels,
	stateMessage,
	type PresentState
} from '../../../src/lib/classroom/sync';

/** ImageData's shape (Node has none): what a browser that cannot clone bitmaps sends. */
const pixels = (width: number, height: number) => ({ width, height, data: new Uint8ClampedArray(width * height * 4).fill(7) }) as unknown as ImageData;

const state: PresentState = {
	style: 'The Scream — Edvard Munch',
	frozen: true,
	labels: [{ title: 'Camera', top: [{ label: 'banana', prob: 0.871 }] }],
	heat: { map: { width: 2, height: 2, data: new Float32Array([0, 0.5, 1, 0.25]) }, colormap: 'jet', opacity: 0.5, label: 'banana (87.1 %)' },
	heatCaption: null
};

const channels: BroadcastChannel[] = [];
function pair(): [BroadcastChannel, BroadcastChannel] {
	const name = `sync-test-${Math.random()}`;
	const a = new BroadcastChannel(name);
	const b = new BroadcastChannel(name);
	channels.push(a, b);
	return [a, b];
}
const next = (ch: BroadcastChannel) => new Promise<unknown>((resolve) => ch.addEventListener('message', (e) => resolve((e as MessageEvent).data), { once: true }));
afterEach(() => {
	for (const c of channels.splice(0)) c.close();
});

describe('the projector protocol', () => {
	it('state, frames and goodbyes survive a real BroadcastChannel and decode to what was sent', async () => {
		const [teacher, projector] = pair();
		for (const msg of [stateMessage(state), frameMessage(3, pixels(4, 2)), byeMessage()]) {
			const got = next(projector);
			teacher.postMessage(msg);
			const decoded = decodeTeacherMessage(await got);
			expect(decoded).toEqual(msg);
		}
		for (const fresh of [true, false]) {
			const hello = next(teacher);
			projector.postMessage(helloMessage(fresh));
			expect(decodeProjectorMessage(await hello)).toEqual(helloMessage(fresh));
		}
	});

	it('the heat map arrives as a Float32Array (no copy to a plain array)', async () => {
		const [teacher, projector] = pair();
		const got = next(projector);
		teacher.postMessage(stateMessage(state));
		const msg = decodeTeacherMessage(await got);
		expect(msg?.type === 'state' && msg.state.heat?.map.data).toBeInstanceOf(Float32Array);
	});

	it('refuses other versions, unknown types and malformed fields', () => {
		const bad: unknown[] = [
			null,
			'state',
			{ ...stateMessage(state), v: 2 },
			{ v: 1, type: 'reload' },
			{ v: 1, type: 'state', state: { ...state, frozen: 'yes' } },
			{ v: 1, type: 'state', state: { ...state, style: 5 } },
			{ v: 1, type: 'state', state: { ...state, labels: [{ title: 'Camera', top: [{ label: 'x', prob: 'high' }] }] } },
			{ v: 1, type: 'state', state: { ...state, labels: Array(5).fill({ title: 'x', top: [] }) } },
			{ v: 1, type: 'state', state: { ...state, heat: { ...state.heat, colormap: 'rainbow' } } },
			{ v: 1, type: 'state', state: { ...state, heat: { ...state.heat, map: { width: 3, height: 3, data: new Float32Array(4) } } } },
			{ v: 1, type: 'state', state: { ...state, heatCaption: undefined } },
			{ v: 1, type: 'frame', seq: 1, image: { width: 4, height: 2, data: new Uint8ClampedArray(5) } },
			{ v: 1, type: 'frame', seq: 1, image: { width: 0, height: 2, close() {} } },
			{ v: 1, type: 'frame', seq: 'one', image: pixels(1, 1) }
		];
		for (const b of bad) expect(decodeTeacherMessage(b), JSON.stringify(b)).toBeNull();
		expect(decodeProjectorMessage({ v: 1, type: 'state' })).toBeNull();
		expect(decodeProjectorMessage({ v: 2, type: 'hello', fresh: true })).toBeNull();
		expect(decodeProjectorMessage({ v: 1, type: 'hello' })).toBeNull();
	});

	it('accepts an ImageBitmap-like frame (opaque, with close())', () => {
		const image = { width: 8, height: 6, close() {} } as unknown as ImageBitmap;
		expect(decodeTeacherMessage(frameMessage(1, image))?.type).toBe('frame');
	});

	it('sends the first three guesses, rounded to 0.1 %', () => {
		const top = [0.61234, 0.2, 0.1, 0.05].map((prob, i) => ({ label: `c${i}`, prob, index: i }));
		expect(presentLabels(top)).toEqual([
			{ label: 'c0', prob: 0.612 },
			{ label: 'c1', prob: 0.2 },
			{ label: 'c2', prob: 0.1 }
		]);
	});
});
