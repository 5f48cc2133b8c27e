/**
 * The protocol between the teacher's window (the studio) and the projector window (/present), over a
 * BroadcastChannel: same browser, same origin, no server. The teacher publishes the picture (an
 * ImageBitmap per rendered frame, latest frame wins, at a capped rate; ImageData where a browser cannot
 * clone bitmaps over a channel) and a small state (style, frozen, labels, heat map); the projector says
 * hello when it opens and then every second, so the teacher only publishes frames while one listens; a
 * new projector's first hello (or the first after a silence) is answered at once with the state and
 * the newest frame, so a reloaded window on either side catches up. Several teacher windows (the studio
 * in two tabs) each sign their messages with their id; the projector follows one at a time — the one
 * that last took the lead (focus or a key: a 'lead' message) — says which in its hellos, and shows only
 * that window's frames and state (classroom/follow.ts). Pure: no DOM, unit-tested.
 */
import type { ScalarMap } from '../render/pixels';
import type { ColormapName } from '../render/colormap-stops';

export const CHANNEL_NAME = 'neural-style-studio/present';
export const PROTOCOL_VERSION = 1;

/** One of the network's guesses, as the projector writes it. */
export interface PresentLabel {
	label: string;
	prob: number;
}

/** The top guesses for one picture ("Camera", "Painting"). */
export interface PresentLabels {
	title: string;
	top: PresentLabel[];
}

/** A heat map for the projector to lay over the picture (when the picture does not carry it already). */
export interface PresentHeat {
	map: ScalarMap;
	colormap: ColormapName;
	opacity: number;
	/** What the map explains, e.g. "banana (87.1 %)". */
	label: string;
}

/** What the projector shows besides the picture. */
export interface PresentState {
	/** The style's name and painter, e.g. "The Starry Night — Vincent van Gogh", or null (style off). */
	style: string | null;
	frozen: boolean;
	/** The network's top guesses (camera frame, stylized frame), when the teacher shows labels on the projector. */
	labels: PresentLabels[] | null;
	heat: PresentHeat | null;
	/** A caption for the heat map already drawn into the picture (the studio's default layout), or null. */
	heatCaption: string | null;
}

export type FrameImage = ImageBitmap | ImageData;

/** Every teacher message carries `from`, the sending window's id ('' from a window that gives none). */
export type TeacherMessage =
	| { v: typeof PROTOCOL_VERSION; type: 'state'; from: string; state: PresentState }
	| { v: typeof PROTOCOL_VERSION; type: 'frame'; from: string; seq: number; image: FrameImage }
	| { v: typeof PROTOCOL_VERSION; type: 'bye'; from: string }
	/** This window takes the projector (it was focused, or a key was pressed in it) at `at` (ms since 1970). */
	| { v: typeof PROTOCOL_VERSION; type: 'lead'; from: string; at: number };

/**
 * `fresh`: the projector window's first hello (it has nothing yet), or its first after it changed the
 * window it follows; later ones are its heartbeat. `following`: the teacher window it shows (null: none yet).
 */
export type ProjectorMessage = { v: typeof PROTOCOL_VERSION; type: 'hello'; fresh: boolean; following: string | null };

export const stateMessage = (state: PresentState, from = ''): TeacherMessage => ({ v: PROTOCOL_VERSION, type: 'state', from, state });
export const frameMessage = (seq: number, image: FrameImage, from = ''): TeacherMessage => ({ v: PROTOCOL_VERSION, type: 'frame', from, seq, image });
export const byeMessage = (from = ''): TeacherMessage => ({ v: PROTOCOL_VERSION, type: 'bye', from });
export const leadMessage = (from: string, at: number): TeacherMessage => ({ v: PROTOCOL_VERSION, type: 'lead', from, at });
export const helloMessage = (fresh: boolean, following: string | null = null): ProjectorMessage => ({ v: PROTOCOL_VERSION, type: 'hello', fresh, following });

/** A teacher window's id as the projector names it (short: it is read aloud from the wall). */
export const MAX_ID_LENGTH = 16;
const isId = (x: unknown): x is string => typeof x === 'string' && x.length <= MAX_ID_LENGTH;

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null;
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isStrOrNull = (x: unknown): x is string | null => x === null || typeof x === 'string';
const COLORMAP_NAMES = new Set(['viridis', 'inferno', 'jet', 'gray']);

function isImage(x: unknown): x is FrameImage {
	if (!isObj(x) || !isNum(x.width) || !isNum(x.height) || !(x.width > 0) || !(x.height > 0)) return false;
	// ImageData carries its bytes; an ImageBitmap is opaque (it has close()).
	if ('data' in x) return x.data instanceof Uint8ClampedArray && x.data.length === x.width * x.height * 4;
	return typeof x.close === 'function';
}

function isMap(x: unknown): x is ScalarMap {
	return isObj(x) && isNum(x.width) && isNum(x.height) && x.data instanceof Float32Array && x.data.length === x.width * x.height && x.data.length > 0;
}

const isLabel = (l: unknown): l is PresentLabel => isObj(l) && typeof l.label === 'string' && isNum(l.prob);

function isLabels(x: unknown): x is PresentLabels[] | null {
	return x === null || (Array.isArray(x) && x.length <= 4 && x.every((g) => isObj(g) && typeof g.title === 'string' && Array.isArray(g.top) && g.top.length <= 10 && g.top.every(isLabel)));
}

function isHeat(x: unknown): x is PresentHeat | null {
	if (x === null) return true;
	return isObj(x) && isMap(x.map) && typeof x.colormap === 'string' && COLORMAP_NAMES.has(x.colormap) && isNum(x.opacity) && typeof x.label === 'string';
}

function isState(x: unknown): x is PresentState {
	return isObj(x) && isStrOrNull(x.style) && typeof x.frozen === 'boolean' && isLabels(x.labels) && isHeat(x.heat) && isStrOrNull(x.heatCaption);
}

/** A message from the teacher's window, checked; anything else (another version, garbage) → null. */
export function decodeTeacherMessage(data: unknown): TeacherMessage | null {
	if (!isObj(data) || data.v !== PROTOCOL_VERSION) return null;
	const from = data.from === undefined ? '' : data.from;
	if (!isId(from)) return null;
	switch (data.type) {
		case 'state':
			return isState(data.state) ? stateMessage(data.state, from) : null;
		case 'frame':
			return isNum(data.seq) && isImage(data.image) ? frameMessage(data.seq, data.image, from) : null;
		case 'bye':
			return byeMessage(from);
		case 'lead':
			return isNum(data.at) ? leadMessage(from, data.at) : null;
		default:
			return null;
	}
}

/** A message from a projector window, checked, or null. */
export function decodeProjectorMessage(data: unknown): ProjectorMessage | null {
	if (!isObj(data) || data.v !== PROTOCOL_VERSION || data.type !== 'hello' || typeof data.fresh !== 'boolean') return null;
	const following = data.following ?? null;
	return following === null || isId(following) ? helloMessage(data.fresh, following) : null;
}

/** The projector's top guesses: the first `n`, rounded to 0.1 %. */
export function presentLabels(top: readonly PresentLabel[], n = 3): PresentLabel[] {
	return top.slice(0, n).map((p) => ({ label: p.label, prob: Math.round(p.prob * 1000) / 1000 }));
}
