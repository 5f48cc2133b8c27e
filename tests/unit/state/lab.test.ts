import { transferHandlers } from 'comlink';
import { describe, expect, it } from 'vitest';
import type { LabModeId, LabParams, LabProgress, LabResult } from '../../../src/lib/optvis/catalogue';
import type { PixelImage } from '../../../src/lib/render/pixels';
import { LabState, type LabClientFactory, type LabWorkerClient } from '../../../src/lib/state/lab.svelte';
import type { LabEstimate, LabLoaded, LabWorkerInit } from '../../../src/lib/workers/protocol';

/**
 * A real WebAssembly trap: a module written byte by byte whose one function loads an i32 from address 0
 * of a memory of 0 pages, so calling it is a "memory access out of bounds" (a WebAssembly.RuntimeError).
 */
function wasmTrap(): WebAssembly.RuntimeError {
	// prettier-ignore
	const bytes = new Uint8Array([
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
		0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type section: () -> i32
		0x03, 0x02, 0x01, 0x00, // function section: function 0 has type 0
		0x05, 0x03, 0x01, 0x00, 0x00, // memory section: one memory, at least 0 pages
		0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export section: "f" = function 0
		0x0a, 0x09, 0x01, 0x07, 0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0x0b // code: i32.const 0; i32.load; end
	]);
	const { f } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as { f: () => number };
	try {
		f();
	} catch (err) {
		return err as WebAssembly.RuntimeError;
	}
	throw new Error('the module did not trap');
}

/** The error as the page gets it from the worker: through comlink's own transfer of a thrown error. */
function acrossComlink(err: unknown): unknown {
	const handler = transferHandlers.get('throw')!;
	const [wire] = handler.serialize({ value: err });
	try {
		handler.deserialize(wire);
	} catch (e) {
		return e;
	}
	throw new Error('comlink did not rethrow');
}

const picture = (size: number, value: number): PixelImage => ({ width: size, height: size, data: new Uint8ClampedArray(size * size * 4).fill(value) });

const loaded: LabLoaded = { backend: 'wasm', threads: 1, labels: Array.from({ length: 1000 }, (_, i) => `class ${i}`), blocks: ['res2a', 'res3a', 'res4a', 'res5a'] };

/** The lab worker's client, faked at that boundary: each run takes the next outcome given to it. */
class FakeClient implements LabWorkerClient {
	disposed = false;
	readonly runs: LabModeId[] = [];
	constructor(
		readonly backend: LabWorkerInit['backend'],
		private readonly outcomes: (LabResult | Error | unknown)[]
	) {}

	async load(): Promise<LabLoaded> {
		if (this.disposed) throw new Error('the lab worker was shut down');
		return loaded;
	}

	async estimate(): Promise<LabEstimate> {
		throw new Error('not used here');
	}

	async run<K extends LabModeId>(mode: K, _params: Partial<LabParams[K]>, _image: PixelImage, onProgress: (p: LabProgress) => void): Promise<LabResult> {
		if (this.disposed) throw new Error('the lab worker was shut down');
		this.runs.push(mode);
		onProgress({ phase: 'step', done: 1, total: 1, elapsedMs: 1 });
		const outcome = this.outcomes.shift();
		if (outcome === undefined) throw new Error('no run expected');
		if ((outcome as LabResult).pictures) return outcome as LabResult;
		throw outcome;
	}

	async numTensors(): Promise<number> {
		return 0;
	}

	dispose(): void {
		this.disposed = true;
	}
}

const resultOf = (value: number): LabResult => ({ pictures: [{ label: 'saliency', image: picture(4, value) }], facts: [{ label: 'class', value: 'class 7' }], elapsedMs: 5 });

/** A lab whose clients are made from `plans` (one list of run outcomes per client made), ready on a 64² picture. */
async function labWith(plans: unknown[][]): Promise<{ lab: LabState; clients: FakeClient[] }> {
	const clients: FakeClient[] = [];
	const factory: LabClientFactory = (backend) => {
		const c = new FakeClient(backend, plans[clients.length] ?? []);
		clients.push(c);
		return c;
	};
	const lab = new LabState(factory);
	lab.setInput(picture(64, 128), 'grey');
	await lab.start({ snapshotId: null, backend: 'cpu' });
	expect(lab.status).toBe('ready');
	lab.setMode('saliency');
	return { lab, clients };
}

describe('LabState: recovery after an error that leaves the backend broken', () => {
	it('the trap in words, made by hand, is a WebAssembly.RuntimeError', () => {
		const trap = wasmTrap();
		expect(trap).toBeInstanceOf(WebAssembly.RuntimeError);
		expect(trap.message).toMatch(/memory access out of bounds/);
	});

	for (const [how, make] of [
		['thrown as is', () => wasmTrap()],
		['as it comes back from the worker (through comlink)', () => acrossComlink(wasmTrap())]
	] as const) {
		it(`a run that traps (${how}) is reported in words, its client disposed and a new one made; the next run succeeds there`, async () => {
			const good = resultOf(200);
			const { lab, clients } = await labWith([[make()], [good]]);
			expect(clients).toHaveLength(1);

			await lab.run();
			expect(lab.error).toContain('Saliency');
			expect(lab.error).toContain('memory access out of bounds');
			expect(lab.error).toContain('The lab worker was restarted');
			expect(lab.result).toBeNull();
			expect(lab.status).toBe('ready');
			expect(clients).toHaveLength(2);
			expect(clients[0].disposed).toBe(true);
			expect(clients[1].disposed).toBe(false);
			expect(clients[1].backend).toBe(clients[0].backend);

			await lab.run();
			expect(lab.error).toBeNull();
			expect(lab.result).toBe(good);
			expect(lab.resultOf).toContain('Saliency');
			expect(clients[0].runs).toEqual(['saliency']);
			expect(clients[1].runs).toEqual(['saliency']);
			lab.dispose();
			expect(clients[1].disposed).toBe(true);
		});
	}

	it('a plain error (the run\'s own failure) is reported but does not restart the worker: the next run uses the same client', async () => {
		const good = resultOf(90);
		const { lab, clients } = await labWith([[new Error('no class 5000 in this model'), good]]);
		await lab.run();
		expect(lab.error).toBe('Saliency maps failed: no class 5000 in this model.');
		expect(clients).toHaveLength(1);
		expect(clients[0].disposed).toBe(false);
		await lab.run();
		expect(lab.error).toBeNull();
		expect(lab.result).toBe(good);
		expect(clients[0].runs).toEqual(['saliency', 'saliency']);
		expect(clients).toHaveLength(1);
		lab.dispose();
	});
});

describe('LabState: the picture Save full size reads', () => {
	it('is the original at its own size while the lab works on a smaller copy; a later input without one drops it', async () => {
		const lab = new LabState((backend) => new FakeClient(backend, []));
		expect(await lab.fullSizePicture()).toBeNull(); // no input yet
		const original = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' });
		lab.setInput(picture(64, 128), 'upload.png', original);
		expect(await lab.fullSizePicture()).toBe(original);
		lab.setInput(picture(32, 10), 'a result'); // e.g. "Use as input": the pixels are the picture itself
		expect(lab.input?.original).toBeNull();
	});
});
