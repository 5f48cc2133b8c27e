import { describe, expect, it } from 'vitest';
import { LAB_CATALOGUE, LAB_MEMORY_LIMIT_BYTES, LAB_MODE_IDS, checkParams, expectedRunMs, labDefaults, memoryNeedBytes, paramsRefusal, runPhases, type LabParams } from '../../../src/lib/optvis/catalogue';
import { leavesBackendBroken } from '../../../src/lib/tf/fatal-error';

const photo = { width: 640, height: 480 };
const d = labDefaults();

describe('lab parameters are checked before a run', () => {
	it('every mode at its defaults, and at the largest size each field allows, may run', () => {
		for (const id of LAB_MODE_IDS) expect(checkParams(id, d[id], photo, 1000), id).toEqual({});
		for (const id of ['gatys', 'deepdream', 'inversion'] as const) {
			const size = LAB_CATALOGUE[id].fields.find((f) => f.key === 'size');
			expect(size?.kind).toBe('number');
			const p = { ...d[id], size: size?.kind === 'number' ? size.max : 0 } as LabParams[typeof id];
			expect(checkParams(id, p, photo, 1000), id).toEqual({});
		}
	});

	it('a number out of its field’s bounds, not a number, or not whole is refused with the reason, by field', () => {
		expect(checkParams('deepdream', { ...d.deepdream, size: 99999 }, photo, 1000)).toEqual({ size: '99999 is more than 640, the most this field takes' });
		expect(checkParams('deepdream', { ...d.deepdream, stepsPerOctave: -5 }, photo, 1000)).toEqual({ stepsPerOctave: '-5 is less than 1, the least this field takes' });
		expect(checkParams('gatys', { ...d.gatys, steps: NaN, size: 6400 }, photo, 1000)).toEqual({ steps: 'not a number', size: '6400 is more than 640, the most this field takes' });
		expect(checkParams('deepdream', { ...d.deepdream, octaves: 2.5 }, photo, 1000)).toEqual({ octaves: '2.5 is not a whole number' });
		expect(checkParams('classviz', { ...d.classviz, classIndex: 1000 }, photo, 1000)).toEqual({ classIndex: 'not one of the 1000 classes (0–999)' });
		expect(checkParams('saliency', { ...d.saliency, classIndex: null }, photo, 1000)).toEqual({});
		expect(checkParams('fooling', { ...d.fooling, method: 'pgd' as 'fgsm' }, photo, 1000)).toEqual({ method: 'should be iterative, fgsm' });
		expect(paramsRefusal('deepdream', { ...d.deepdream, size: 99999 }, photo, 1000)).toBe('Size (long side, px): 99999 is more than 640, the most this field takes');
		expect(paramsRefusal('deepdream', d.deepdream, photo, 1000)).toBeNull();
	});

	it('a run whose memory need is over the stated limit is refused before it starts', () => {
		const big = { ...d.gatys, size: 640, styleScale: 3 };
		const need = memoryNeedBytes(LAB_CATALOGUE.gatys.cost(big, photo));
		expect(need).toBeGreaterThan(LAB_MEMORY_LIMIT_BYTES);
		expect(checkParams('gatys', big, photo, 1000)['']).toMatch(/would need about \d+ MB of memory, more than the lab's limit of 1536 MB/);
		// The need grows with the pixels: a default run is far below the limit.
		expect(memoryNeedBytes(LAB_CATALOGUE.deepdream.cost(d.deepdream, photo))).toBeLessThan(LAB_MEMORY_LIMIT_BYTES / 4);
	});
});

describe('the expected time covers every phase', () => {
	it('DeepDream: one phase per octave, each a one-octave run at its own size; inversion: one per layer', () => {
		const dd = runPhases('deepdream', d.deepdream, photo); // 3 octaves, ×1.4, 12 steps each, long side 256
		expect(dd.map((p) => p.units)).toEqual([12, 12, 12]);
		expect(dd.map((p) => p.params.octaves)).toEqual([1, 1, 1]);
		const sides = dd.map((p) => p.params.size!);
		expect(sides[2]).toBe(256);
		expect(sides[0]).toBeLessThan(sides[1]);
		expect(sides[1]).toBeLessThan(sides[2]);
		expect(runPhases('inversion', d.inversion, photo).map((p) => p.params.layer)).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5']);
		expect(runPhases('inversion', { ...d.inversion, layer: 'conv3' }, photo)).toEqual([{ params: { layer: 'conv3' }, units: 120 }]);
		// A mode without phases: one, the whole run.
		expect(runPhases('gatys', d.gatys, photo)).toEqual([{ params: {}, units: 100 }]);
	});
	it('each phase at its own time per step, plus its first step’s setup and compile', () => {
		const phases = [
			{ units: 12, msPerUnit: 100, firstUnitMs: 400 },
			{ units: 12, msPerUnit: 200, firstUnitMs: 700 },
			{ units: 12, msPerUnit: 400, firstUnitMs: 400 }
		];
		expect(expectedRunMs(phases)).toBe(12 * 700 + 300 + 500 + 0);
		expect(expectedRunMs([])).toBe(0);
	});
});

describe('errors that leave a backend broken', () => {
	it('a wasm trap, an out-of-memory, a lost context: yes; a refused parameter or a cancel: no', () => {
		expect(leavesBackendBroken(new Error('memory access out of bounds'))).toBe(true);
		expect(leavesBackendBroken(Object.assign(new Error('something'), { name: 'RuntimeError' }))).toBe(true);
		expect(leavesBackendBroken(new Error('Array buffer allocation failed'))).toBe(true);
		expect(leavesBackendBroken(new Error('WebGL context lost'))).toBe(true);
		expect(leavesBackendBroken(new Error('Aborted(OOM)'))).toBe(true);
		expect(leavesBackendBroken(new RangeError('Size (long side, px): 99999 is more than 640, the most this field takes'))).toBe(false);
		expect(leavesBackendBroken(Object.assign(new Error('cancelled'), { name: 'AbortError' }))).toBe(false);
		expect(leavesBackendBroken(null)).toBe(false);
	});
});
