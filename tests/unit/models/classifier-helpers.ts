/**
 * Test helpers for the classifier: make sure static/models/resnet50 exists (runs the prepare script,
 * ~2 s the first time, instant after), a fetchFunc that serves it from disk, the wasm backend, and
 * JPEG decoding with ffmpeg (no image library in the project). Photos come from ../shared/data beside
 * the checkout (scripts/shared-data.mjs); a missing one fails the test with a message saying where it looked.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, requireSharedData, sharedData } from '../../../scripts/shared-data.mjs';
import { load, type Classifier, type ClassifierConfig } from '../../../src/lib/models/classifier';

export { ROOT };
export const MODEL_DIR = join(ROOT, 'static/models/resnet50');
/** ../shared/data/content beside the checkout. */
export const CONTENT = sharedData('content');
/** A content photo: `name` under content/debian/, or `folder/name` under content/; throws when it is missing. */
export const photo = (name: string) => requireSharedData('content', name.includes('/') ? name : `debian/${name}`);

export function ensureModel(): void {
	execFileSync(process.execPath, [join(ROOT, 'scripts/prepare-classifier.mjs')], { stdio: 'pipe' });
}

/** fetch() stand-in serving http(s)://…/models/resnet50/<file> (or any path ending in the file) from disk. */
export const diskFetch = (async (input: RequestInfo | URL) => {
	const url = String(input);
	const file = join(MODEL_DIR, url.slice(url.lastIndexOf('/') + 1));
	try {
		const buf = readFileSync(file);
		return new Response(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer, { status: 200 });
	} catch {
		return new Response('not found', { status: 404 });
	}
}) as typeof fetch;

export async function useWasm(): Promise<void> {
	if (tf.getBackend() !== 'wasm') {
		const ok = await tf.setBackend('wasm');
		if (!ok) throw new Error('wasm backend did not start');
	}
	await tf.ready();
}

export async function loadClassifier(config: ClassifierConfig = {}): Promise<Classifier> {
	ensureModel();
	await useWasm();
	return load({ url: '/models/resnet50/', fetchFunc: diskFetch, ...config });
}

/** A JPEG as a float [h, w, 3] RGB tensor in [0, 1], scaled by ffmpeg to width × height. */
export function readPhoto(file: string, width = 224, height = 224): tf.Tensor3D {
	const r = spawnSync(
		'ffmpeg',
		['-v', 'error', '-i', file, '-vf', `scale=${width}:${height}:flags=bilinear`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
		{ maxBuffer: 64 * 1024 * 1024 }
	);
	if (r.error) throw new Error(`cannot run ffmpeg to decode ${file} (${r.error.message}): install Debian's ffmpeg (scripts/ensure-test-tools.sh does it for npm test)`);
	if (r.status !== 0) throw new Error(`ffmpeg failed on ${file}: ${r.stderr}`);
	return tf.tidy(() => tf.div(tf.tensor3d(new Uint8Array(r.stdout), [height, width, 3], 'int32').toFloat(), 255) as tf.Tensor3D);
}
