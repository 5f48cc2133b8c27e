/**
 * The gallery as one file, to carry it to another machine: JSON with a format name and a version, each
 * snapshot's metadata and its picture as base64.
 *
 *   { "format": "neural-style-studio-gallery", "version": 1, "exportedAt": 1764000000000,
 *     "snapshots": [{ "id", "width", "height", "source", "createdAt", "label"?, "type": "image/png", "data": "<base64>" }] }
 *
 * Reading checks everything before anything is stored (readArchive): a file that is not JSON, another
 * program's JSON or a newer version is refused as a whole, with a message saying why. Each picture is
 * checked like an upload — its size from its header, within the upload's limits (a decompression bomb
 * never reaches the decoder) — and a bad one is left out and named while the good ones are kept;
 * gallery/import.ts then decodes each for real before anything is stored.
 */
import { readImageSize } from '../camera/image-header';
import { checkDimensions } from '../camera/upload-check';
import type { Snapshot } from './store';

export const ARCHIVE_FORMAT = 'neural-style-studio-gallery';
export const ARCHIVE_VERSION = 1;
/** Pictures in an archive: PNG (what the studio stores) or JPEG. */
const TYPES: Record<string, number[]> = {
	'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
	'image/jpeg': [0xff, 0xd8, 0xff]
};
const MAX_PICTURE_BYTES = 50 * 1024 * 1024;
const MAX_SIDE = 16_384;
const MAX_SNAPSHOTS = 5000;

/** ok: the pictures that passed, and one reason per picture left out (none passed: not ok). */
export type ArchiveRead = { ok: true; snapshots: Snapshot[]; refused: string[] } | { ok: false; message: string };

export function bytesToBase64(bytes: Uint8Array): string {
	let s = '';
	for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(s);
}

/** Base64 → bytes; null when the text is not base64. */
export function base64ToBytes(text: string): Uint8Array | null {
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
	try {
		const s = atob(text);
		const out = new Uint8Array(s.length);
		for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
		return out;
	} catch {
		return null;
	}
}

/** The snapshots as one archive file (application/json). */
export async function writeArchive(snapshots: readonly Snapshot[], now = Date.now()): Promise<Blob> {
	const entries = [];
	for (const s of snapshots) {
		const type = s.blob.type in TYPES ? s.blob.type : 'image/png';
		entries.push({
			id: s.id,
			width: s.width,
			height: s.height,
			source: s.source,
			createdAt: s.createdAt,
			...(s.label != null ? { label: s.label } : {}),
			type,
			data: bytesToBase64(new Uint8Array(await s.blob.arrayBuffer()))
		});
	}
	return new Blob([JSON.stringify({ format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, exportedAt: now, snapshots: entries })], { type: 'application/json' });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSide = (v: unknown) => Number.isInteger(v) && (v as number) > 0 && (v as number) <= MAX_SIDE;

function readEntry(e: unknown, n: number): Snapshot | string {
	const where = `picture ${n + 1}`;
	if (!isObject(e)) return `${where} is not a snapshot record`;
	if (typeof e.id !== 'string' || e.id.length === 0 || e.id.length > 200) return `${where} has no valid id`;
	if (!isSide(e.width) || !isSide(e.height)) return `${where} has no valid width and height`;
	if (typeof e.source !== 'string' || e.source.length > 100) return `${where} has no valid source`;
	if (typeof e.createdAt !== 'number' || !Number.isFinite(e.createdAt)) return `${where} has no valid date`;
	if (e.label != null && (typeof e.label !== 'string' || e.label.length > 500)) return `${where} has an invalid label`;
	if (typeof e.type !== 'string' || !(e.type in TYPES)) return `${where} is not a PNG or JPEG (${String(e.type)})`;
	if (typeof e.data !== 'string' || e.data.length > (MAX_PICTURE_BYTES * 4) / 3 + 4) return `${where} has no picture data (or too much)`;
	const bytes = base64ToBytes(e.data);
	if (!bytes || bytes.length === 0) return `${where}'s picture is not valid base64`;
	const sig = TYPES[e.type];
	if (bytes.length < sig.length || sig.some((b, i) => bytes[i] !== b)) return `${where}'s picture is damaged (it does not start like a ${e.type === 'image/png' ? 'PNG' : 'JPEG'})`;
	// The size from the header, before anything decodes it: the upload's limits.
	const header = readImageSize(bytes);
	if (!header) return `${where}'s picture is damaged (no readable size in its header)`;
	const dims = checkDimensions(where, header.width, header.height);
	if (!dims.ok) return dims.message.replace(/\.$/, '');
	if (!isSide(header.width) || !isSide(header.height)) return `${where}'s picture is ${header.width}×${header.height} px; the limit is ${MAX_SIDE} px a side`;
	return {
		id: e.id,
		width: e.width as number,
		height: e.height as number,
		source: e.source,
		createdAt: e.createdAt,
		...(typeof e.label === 'string' ? { label: e.label } : {}),
		blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: e.type })
	};
}

/**
 * Reads and checks a whole archive: a file-level problem refuses it whole; a bad picture is left out with
 * its reason and the rest kept (none left: refused, with the reasons).
 */
export function readArchive(text: string, fileName = 'the file'): ArchiveRead {
	const refuse = (why: string): ArchiveRead => ({ ok: false, message: `“${fileName}” was not imported: ${why}. The gallery is unchanged.` });
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch {
		return refuse('it is not a gallery file (not JSON, or cut off)');
	}
	if (!isObject(doc) || doc.format !== ARCHIVE_FORMAT) return refuse('it is not a Neural Style Studio gallery file');
	if (typeof doc.version !== 'number' || !Number.isInteger(doc.version) || doc.version < 1) return refuse('it has no valid version');
	if (doc.version > ARCHIVE_VERSION) return refuse(`it was made by a newer version of the studio (format ${doc.version}; this one reads ${ARCHIVE_VERSION})`);
	if (!Array.isArray(doc.snapshots)) return refuse('it has no list of pictures');
	if (doc.snapshots.length > MAX_SNAPSHOTS) return refuse(`it holds ${doc.snapshots.length} pictures; the limit is ${MAX_SNAPSHOTS}`);
	const snapshots: Snapshot[] = [];
	const refused: string[] = [];
	const ids = new Set<string>();
	for (let i = 0; i < doc.snapshots.length; i++) {
		const r = readEntry(doc.snapshots[i], i);
		if (typeof r === 'string') refused.push(r);
		else if (ids.has(r.id)) refused.push(`picture ${i + 1} repeats the id of another`);
		else {
			ids.add(r.id);
			snapshots.push(r);
		}
	}
	if (snapshots.length === 0 && refused.length > 0) return refuse(refused.join('; '));
	return { ok: true, snapshots, refused };
}
