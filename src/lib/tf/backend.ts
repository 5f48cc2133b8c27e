/**
 * Starts the tfjs backend chosen by planBackend(). Owns the WebGL canvas when WebGL is used:
 * tfjs runs in the display canvas's own context, so results can be drawn without a CPU round trip.
 */
import * as tf from '@tensorflow/tfjs';
import { MathBackendWebGL, setWebGLContext } from '@tensorflow/tfjs-backend-webgl';
import { startCpuBackend, threadsFor } from './cpu-backend';
import { planBackend, type BackendName, type BackendPlan, type BackendProbe } from './backend-choice';
import { probeBrowser } from './probe';

export interface BackendInfo {
	name: BackendName;
	reason: string;
	renderer?: string;
	/** wasm: threads the backend really runs (in each style worker on the worker path), read back after start (1 without cross-origin isolation). */
	threads?: number;
	/** The worker path: how many style workers process frames, each its own. */
	styleWorkers?: number;
	/** The canvas whose WebGL context tfjs uses (webgl only). */
	glCanvas?: HTMLCanvasElement;
	/** Attempts that failed before this one, with their errors. */
	failures: string[];
}

export const GL_ATTRIBUTES: WebGLContextAttributes = {
	alpha: false,
	antialias: false,
	depth: false,
	stencil: false,
	premultipliedAlpha: false,
	// Kept so snapshots and tests can read what is on screen.
	preserveDrawingBuffer: true,
	failIfMajorPerformanceCaveat: false
};

/** What the browser offers (tf/probe.ts: plain, so a page that starts no backend reads it without tfjs). */
export { probeBrowser };

export async function startBackend(name: BackendName, probe: BackendProbe): Promise<Omit<BackendInfo, 'reason' | 'failures'>> {
	if (name === 'webgl') {
		const glCanvas = document.createElement('canvas');
		const gl = glCanvas.getContext('webgl2', GL_ATTRIBUTES);
		if (!gl) throw new Error('could not create a WebGL2 context');
		setWebGLContext(2, gl);
		// After a lost context the backend was removed (with its factory): register it again.
		if (!tf.findBackendFactory('webgl')) tf.registerBackend('webgl', () => new MathBackendWebGL(), 2);
		// SwiftShader allows textures up to 8192 only; im2col of big kernels exceeds that.
		if (probe.renderer && /swiftshader/i.test(probe.renderer)) tf.env().set('WEBGL_CONV_IM2COL', false);
		if (!(await tf.setBackend('webgl'))) throw new Error('tfjs could not start WebGL');
		return { name, renderer: probe.renderer, glCanvas };
	}
	const started = await startCpuBackend(name, threadsFor('page', navigator.hardwareConcurrency));
	return { name, threads: started.threads };
}

/** Tries the plan's backends in order; the first that starts wins. */
export async function initBackend(forced?: BackendName | null): Promise<BackendInfo> {
	const probe = probeBrowser();
	const plan: BackendPlan = planBackend(probe, forced);
	const failures: string[] = [];
	for (const name of plan.order) {
		try {
			const started = await startBackend(name, probe);
			await tf.ready();
			const reason = failures.length ? `${plan.reason} (${failures.join('; ')})` : plan.reason;
			return { ...started, renderer: started.renderer ?? probe.renderer, reason, failures };
		} catch (err) {
			failures.push(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
		}
	}
	throw new Error(`No tfjs backend could start: ${failures.join('; ')}`);
}
