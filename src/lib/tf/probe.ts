/**
 * What the browser offers for the backend choice (backend-choice.ts decides): WebGL2 and its renderer,
 * WebAssembly, cross-origin isolation. Plain (no tfjs): pages whose tensor work runs in a worker (the lab,
 * the gallery) probe with it without loading tfjs.
 */
import type { BackendProbe } from './backend-choice';

export function probeBrowser(): BackendProbe {
	let webgl = false;
	let renderer: string | undefined;
	try {
		const canvas = document.createElement('canvas');
		const gl = canvas.getContext('webgl2');
		if (gl) {
			webgl = true;
			const ext = gl.getExtension('WEBGL_debug_renderer_info');
			renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
			gl.getExtension('WEBGL_lose_context')?.loseContext();
		}
	} catch {
		webgl = false;
	}
	return {
		webgl,
		renderer,
		wasm: typeof WebAssembly === 'object',
		crossOriginIsolated: globalThis.crossOriginIsolated === true
	};
}
