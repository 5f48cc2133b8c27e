import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A network cable between the browser and the preview server that a test can unplug: a small HTTP proxy
 * on its own port (its own origin, so its own service worker and caches), forwarding to `upstream` with
 * every header kept. Unplugged, it drops each connection without an answer — what a browser sees with no
 * network — and counts the requests that tried. `rewrite` changes one path's body (to serve a new build's
 * service worker script).
 */
export interface Cable {
	origin: string;
	/** Requests that reached the cable, by path, in order. */
	seen: string[];
	/** Requests dropped while unplugged. */
	dropped: string[];
	unplug(): void;
	plug(): void;
	rewrite(path: string, edit: (body: string) => string): void;
	close(): Promise<void>;
}

export async function openCable(upstream: string): Promise<Cable> {
	const up = new URL(upstream);
	let plugged = true;
	const seen: string[] = [];
	const dropped: string[] = [];
	const edits = new Map<string, (body: string) => string>();

	const forward = (req: IncomingMessage, res: ServerResponse) => {
		const path = req.url ?? '/';
		seen.push(path);
		if (!plugged) {
			dropped.push(path);
			req.socket.destroy();
			return;
		}
		const edit = edits.get(new URL(path, up).pathname);
		const headers = { ...req.headers, host: up.host };
		if (edit) {
			// A full, plain body to edit: no 304, no compression.
			delete headers['if-none-match'];
			delete headers['if-modified-since'];
			headers['accept-encoding'] = 'identity';
		}
		const out = httpRequest({ host: up.hostname, port: up.port, method: req.method, path, headers }, (r) => {
			if (!edit) {
				res.writeHead(r.statusCode ?? 502, r.headers);
				r.pipe(res);
				return;
			}
			const parts: Buffer[] = [];
			r.on('data', (c: Buffer) => parts.push(c));
			r.on('end', () => {
				const body = Buffer.from(edit(Buffer.concat(parts).toString('utf8')), 'utf8');
				const h = { ...r.headers, 'content-length': String(body.length) };
				delete h.etag, delete h['last-modified'];
				res.writeHead(r.statusCode ?? 502, h);
				res.end(body);
			});
		});
		out.on('error', () => req.socket.destroy());
		req.pipe(out);
	};

	const server = createServer(forward);
	server.keepAliveTimeout = 1000;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		origin: `http://127.0.0.1:${port}`,
		seen,
		dropped,
		unplug: () => {
			plugged = false;
			server.closeIdleConnections(); // kept-alive sockets would otherwise carry on
		},
		plug: () => {
			plugged = true;
		},
		rewrite: (path, edit) => edits.set(path, edit),
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
