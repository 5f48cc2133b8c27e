import { describe, expect, it } from 'vitest';
import { parseBackendParam, planBackend } from '../../../src/lib/tf/backend-choice';

const SWIFTSHADER = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';

describe('planBackend', () => {
	it('prefers WebGL on a hardware GPU', () => {
		const p = planBackend({ webgl: true, renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11)', wasm: true, crossOriginIsolated: true });
		expect(p.order).toEqual(['webgl', 'wasm', 'cpu']);
		expect(p.reason).toContain('GPU');
		expect(p.softwareRenderer).toBe(false);
	});

	it('prefers wasm when WebGL is SwiftShader or llvmpipe', () => {
		for (const renderer of [SWIFTSHADER, 'llvmpipe (LLVM 15.0.6, 256 bits)', 'Mesa softpipe']) {
			const p = planBackend({ webgl: true, renderer, wasm: true, crossOriginIsolated: true });
			expect(p.order[0]).toBe('wasm');
			expect(p.order).toEqual(['wasm', 'webgl', 'cpu']);
			expect(p.reason).toMatch(/software-rendered/);
			expect(p.reason).toMatch(/threads/);
			expect(p.softwareRenderer).toBe(true);
		}
	});

	it('says when threads are off because the page is not isolated', () => {
		const p = planBackend({ webgl: false, wasm: true, crossOriginIsolated: false });
		expect(p.order).toEqual(['wasm', 'cpu']);
		expect(p.reason).toMatch(/one thread/);
	});

	it('falls back to cpu last', () => {
		expect(planBackend({ webgl: false, wasm: false, crossOriginIsolated: false }).order).toEqual(['cpu']);
	});

	it('honours a forced backend but keeps the others as fallbacks', () => {
		const p = planBackend({ webgl: true, renderer: SWIFTSHADER, wasm: true, crossOriginIsolated: true }, 'webgl');
		expect(p.order).toEqual(['webgl', 'wasm', 'cpu']);
		expect(p.reason).toMatch(/asked for/);
	});

	it('recognises software renderers only', () => {
		const software = (renderer: string | undefined) =>
			planBackend({ webgl: true, renderer, wasm: true, crossOriginIsolated: true }).softwareRenderer;
		expect(software(SWIFTSHADER)).toBe(true);
		expect(software('Apple M2')).toBe(false);
		expect(software(undefined)).toBe(false);
	});

	it('a forced backend the browser lacks is named, with what runs instead', () => {
		const plan = planBackend({ webgl: false, wasm: true, crossOriginIsolated: true }, 'webgl');
		expect(plan.order).toEqual(['wasm', 'cpu']);
		expect(plan.reason).toBe('webgl was asked for in the address (?backend=webgl), but this browser has no WebGL: using wasm instead.');
		expect(planBackend({ webgl: true, renderer: 'Apple M2', wasm: false, crossOriginIsolated: false }, 'wasm').reason).toMatch(/no WebAssembly: using webgl instead/);
		expect(planBackend({ webgl: true, renderer: 'Apple M2', wasm: true, crossOriginIsolated: true }, 'wasm').reason).toBe('wasm was asked for in the address (?backend=wasm).');
	});

	it('parses the ?backend= parameter', () => {
		expect(parseBackendParam('wasm')).toBe('wasm');
		expect(parseBackendParam('webgpu')).toBeNull();
		expect(parseBackendParam(null)).toBeNull();
	});
});
