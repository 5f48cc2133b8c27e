/**
 * A learned style as data: its name, its γ/β row, a thumbnail, and the style network version it belongs
 * to. The export file is this as JSON (one small file, ~40 KB); `parseStyleFile` checks it and refuses a
 * file for another network version or of another shape with a message a person can act on.
 * training/learn_style.py writes the same format.
 */
export const STYLE_FILE_FORMAT = 'neural-style-studio/learned-style';
export const STYLE_FILE_VERSION = 1;

export interface LearnedStyle {
	id: string;
	name: string;
	/** manifest.version of the style network whose body the row was learned against. */
	networkVersion: number;
	/** γ then β of every cin op, in the order of the network's cinTable columns. */
	row: number[];
	/** The fixed preview photo in this style, a JPEG data URL ('' if none). */
	thumbnail: string;
	createdAt: number;
}

export interface StyleFile {
	format: typeof STYLE_FILE_FORMAT;
	formatVersion: number;
	name: string;
	networkVersion: number;
	row: number[];
	thumbnail: string;
	createdAt: number;
	/** Who made it: 'browser' or 'training/learn_style.py'. */
	madeBy?: string;
}

export class StyleFileError extends Error {
	override name = 'StyleFileError';
}

/** What a file must fit: the loaded network's version and row width. */
export interface NetworkShape {
	networkVersion: number;
	rowWidth: number;
}

/** float32 values round-trip exactly through 9 significant digits. */
const f32 = (v: number) => Number(Math.fround(v).toPrecision(9));

export function toStyleFile(s: LearnedStyle): string {
	const file: StyleFile = {
		format: STYLE_FILE_FORMAT,
		formatVersion: STYLE_FILE_VERSION,
		name: s.name,
		networkVersion: s.networkVersion,
		row: s.row.map(f32),
		thumbnail: s.thumbnail,
		createdAt: s.createdAt,
		madeBy: 'browser'
	};
	return JSON.stringify(file);
}

/** The name's allowed form: 1–40 characters, trimmed, not only digits (so it never reads as a style number). */
export function cleanName(name: string): string {
	const n = name.trim().replace(/\s+/g, ' ').slice(0, 40);
	if (!n) throw new StyleFileError('Give the style a name.');
	if (/^\d+$/.test(n)) throw new StyleFileError('A style name needs a letter (numbers alone are the built-in styles).');
	if (/[,=&#]/.test(n)) throw new StyleFileError('A style name cannot contain , = & or # (they would break the kiosk address).');
	return n;
}

export function parseStyleFile(text: string, shape: NetworkShape, id: string = crypto.randomUUID()): LearnedStyle {
	let f: Partial<StyleFile>;
	try {
		f = JSON.parse(text);
	} catch {
		throw new StyleFileError('This file is not a learned style (it is not JSON).');
	}
	if (!f || typeof f !== 'object' || f.format !== STYLE_FILE_FORMAT) throw new StyleFileError('This file is not a learned style of Neural Style Studio.');
	if (f.formatVersion !== STYLE_FILE_VERSION) throw new StyleFileError(`This style file has format ${f.formatVersion}; this app reads format ${STYLE_FILE_VERSION}.`);
	if (f.networkVersion !== shape.networkVersion)
		throw new StyleFileError(`This style was learned for style network version ${f.networkVersion}; this app runs version ${shape.networkVersion}, so its numbers do not fit. Learn it again from the picture.`);
	if (!Array.isArray(f.row) || f.row.length !== shape.rowWidth || !f.row.every((v) => typeof v === 'number' && Number.isFinite(v)))
		throw new StyleFileError(`This style file's numbers are damaged (expected ${shape.rowWidth} finite numbers).`);
	const thumbnail = typeof f.thumbnail === 'string' && (f.thumbnail === '' || f.thumbnail.startsWith('data:image/')) ? f.thumbnail : '';
	return { id, name: cleanName(String(f.name ?? '')), networkVersion: f.networkVersion, row: f.row.map(Math.fround), thumbnail, createdAt: typeof f.createdAt === 'number' ? f.createdAt : Date.now() };
}
