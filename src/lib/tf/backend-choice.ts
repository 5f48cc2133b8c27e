/**
 * Pure decision: which tfjs backend to use, and why, from what the browser offers.
 * WebGL first when it runs on real hardware; wasm (SIMD, threads when cross-origin isolated)
 * when WebGL is missing or software-rendered (SwiftShader, llvmpipe …); cpu last.
 */
export type BackendName = 'webgl' | 'wasm' | 'cpu';

export interface BackendProbe {
	/** WebGL2 context could be created. */
	webgl: boolean;
	/** UNMASKED_RENDERER_WEBGL, or the plain RENDERER string, when WebGL exists. */
	renderer?: string;
	/** WebAssembly is available. */
	wasm: boolean;
	/** window.crossOriginIsolated: SharedArrayBuffer and so wasm threads are allowed. */
	crossOriginIsolated: boolean;
}

export interface BackendPlan {
	/** Backends to try, best first. */
	order: BackendName[];
	/** One sentence a person can read in the HUD. */
	reason: string;
	softwareRenderer: boolean;
}

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|lavapipe|microsoft basic render/i;

function isSoftwareRenderer(renderer: string | undefined): boolean {
	return renderer != null && SOFTWARE_RENDERERS.test(renderer);
}

export function planBackend(probe: BackendProbe, forced?: BackendName | null): BackendPlan {
	const software = probe.webgl && isSoftwareRenderer(probe.renderer);
	const rest = (first: BackendName): BackendName[] =>
		[first, ...(['webgl', 'wasm', 'cpu'] as BackendName[]).filter((b) => b !== first)].filter(
			(b) => (b === 'webgl' ? probe.webgl : b === 'wasm' ? probe.wasm : true)
		);
	if (forced) {
		const order = rest(forced);
		// An address option this browser cannot honour is named, with what runs instead.
		if (order[0] !== forced) {
			const why = forced === 'webgl' ? 'this browser has no WebGL' : 'this browser has no WebAssembly';
			return { order, reason: `${forced} was asked for in the address (?backend=${forced}), but ${why}: using ${order[0]} instead.`, softwareRenderer: software };
		}
		return { order, reason: `${forced} was asked for in the address (?backend=${forced}).`, softwareRenderer: software };
	}
	if (probe.webgl && !software) {
		return {
			order: rest('webgl'),
			reason: `WebGL runs on the GPU (${probe.renderer ?? 'renderer hidden'}).`,
			softwareRenderer: false
		};
	}
	if (probe.wasm) {
		const why = probe.webgl
			? `WebGL is software-rendered (${probe.renderer}), so the CPU path is faster`
			: 'WebGL is not available';
		const threads = probe.crossOriginIsolated ? 'SIMD and threads' : 'SIMD, one thread (page is not cross-origin isolated)';
		return { order: rest('wasm'), reason: `${why}: WebAssembly with ${threads}.`, softwareRenderer: software };
	}
	return {
		order: rest('cpu'),
		reason: 'Neither hardware WebGL nor WebAssembly is available: plain JavaScript (slow).',
		softwareRenderer: software
	};
}

export function parseBackendParam(value: string | null): BackendName | null {
	return value === 'webgl' || value === 'wasm' || value === 'cpu' ? value : null;
}
