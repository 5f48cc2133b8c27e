import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const MODEL_DIR = path.resolve(__dirname, '../../../static/models/style-net');
export const MODEL_URL = '/models/style-net/';

/** A fetch that serves '/models/style-net/<file>' from static/models/style-net on disk, with optional
 * overrides (file name -> replacement body) for corruption tests. */
export function diskFetch(overrides: Record<string, string | Uint8Array> = {}): typeof fetch {
	return (async (input: RequestInfo | URL) => {
		const url = String(input);
		const name = url.slice(url.lastIndexOf('/') + 1);
		if (name in overrides) {
			const body = overrides[name];
			return new Response(typeof body === 'string' ? body : new Blob([new Uint8Array(body)]));
		}
		try {
			const buf = await readFile(path.join(MODEL_DIR, name));
			return new Response(new Blob([new Uint8Array(buf)]));
		} catch {
			return new Response('not found', { status: 404 });
		}
	}) as typeof fetch;
}

export function b64ToFloat32(b64: string): Float32Array {
	const buf = Buffer.from(b64, 'base64');
	return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}
