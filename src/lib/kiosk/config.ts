/**
 * The kiosk is configured by its address only (a kiosk has no controls): this reads every option
 * with its default, and turns a bad value into the default plus a message for the event log —
 * never a blank screen (config/options.ts reads every page's options the same way). Pure. The table of
 * options is in docs/kiosk.md and the README.
 */
import type { StyleInfo } from '../models/style-net';
import { readStudioOptions, type StudioConfig } from '../config/studio';
import { OptionReader, machineFromBrowser, type Machine } from '../config/options';
import type { Stop } from './schedule';

/** One stop of the cycle as written in the address: styles (id or number 1…N) with relative weights. */
export interface StopSpec {
	parts: { style: string; weight: number }[];
	/** As written, for messages. */
	text: string;
}

export interface KioskConfig {
	/** Backend, camera, threads, pipeline: the studio's own address options. */
	studio: StudioConfig;
	/** null: every style of the network in turn. */
	stops: StopSpec[] | null;
	periodMs: number;
	fadeMs: number;
	/** Processing short side in pixels, or auto (holds the frame rate). */
	resolution: 'auto' | number;
	strength: number;
	/** Keep colours: 0 the painting's colours (default), 1 the photo's; `colours=painting|photo|0..1`. */
	colours: number;
	mirror: boolean;
	/** The top classes of the camera frame on screen (loads the classifier). */
	labels: boolean;
	/** A Grad-CAM heat map over the picture (loads the classifier). */
	gradcam: boolean;
	/** The painting's title in a corner. */
	caption: boolean;
	/** contain: the whole picture, black bars; cover: fills the screen, edges cut off. */
	fit: 'contain' | 'cover';
	attractText: string;
	/** No motion this long → the attract loop (0: never). */
	idleMs: number;
	/** Share of the camera picture (0..1) that must change to count as someone moving. */
	motion: number;
}

export const KIOSK_DEFAULTS = {
	periodS: 20,
	fadeS: 3,
	idleS: 30,
	motionPercent: 1,
	attractText: 'Step in front of the camera…'
} as const;

const MAX_TEXT = 200;

export function parseKioskConfig(params: URLSearchParams, machine: Machine = machineFromBrowser()): { config: KioskConfig; problems: string[] } {
	const r = new OptionReader(params, machine);
	const { problems } = r;
	const seconds = (name: string, fallback: number, min: number) => r.number(name, { min, max: 86_400, fallback, unit: 'a number of seconds' });

	const periodS = seconds('period', KIOSK_DEFAULTS.periodS, 1);
	let fadeS = seconds('fade', Math.min(KIOSK_DEFAULTS.fadeS, periodS / 2), 0);
	if (fadeS > periodS) {
		problems.push(`fade=${fadeS} is longer than period=${periodS}; fading for the whole period`);
		fadeS = periodS;
	}
	const idleS = seconds('idle', KIOSK_DEFAULTS.idleS, 0);
	const motionPercent = r.number('motion', { min: 0, max: 100, fallback: KIOSK_DEFAULTS.motionPercent, unit: 'a percentage' });
	const strength = r.number('strength', { min: 0, max: 1, fallback: 1, unit: 'a number' });
	const resolution: 'auto' | number =
		r.raw('res') === 'auto' ? 'auto' : (r.int('res', { min: 32, max: 1080, fallback: null, unit: 'auto or a whole number of pixels', fallbackText: 'using auto' }) ?? 'auto');
	const coloursRaw = r.raw('colours');
	const colours =
		coloursRaw === 'photo' ? 1 : coloursRaw === 'painting' ? 0 : r.number('colours', { min: 0, max: 1, fallback: 0, unit: 'painting, photo or a number', fallbackText: 'using painting' });
	const attractText = r.text('text', MAX_TEXT) ?? KIOSK_DEFAULTS.attractText;
	const fit = r.choice('fit', ['contain', 'cover'] as const, 'contain');
	const labels = r.flag('labels', false);
	const gradcam = r.flag('gradcam', false);
	// The kiosk turns explanations on for its labels or heat map (its own explain= is not an option).
	const studio = { ...readStudioOptions(r), explain: labels || gradcam };

	return {
		config: {
			studio,
			stops: parseStops(params.get('styles'), problems),
			periodMs: periodS * 1000,
			fadeMs: fadeS * 1000,
			resolution,
			strength,
			colours,
			mirror: r.flag('mirror', true),
			labels,
			gradcam,
			caption: r.flag('caption', true),
			fit,
			attractText,
			idleMs: idleS * 1000,
			motion: motionPercent / 100
		},
		problems
	};
}

/** `styles=starry_night,great_wave+udnie,3*2+5` → stops (`+` or a space joins a blend); a malformed stop is left out with a message. */
export function parseStops(raw: string | null, problems: string[]): StopSpec[] | null {
	if (raw === null || raw.trim() === '') return null;
	const stops: StopSpec[] = [];
	for (const item of raw.split(',')) {
		// In an address `+` means a space, so `a+b` arrives as "a b": both separate a blend's styles.
		const text = item.trim().replace(/[\s+]+/g, '+');
		if (!text) continue;
		const parts: StopSpec['parts'] = [];
		let ok = true;
		for (const p of text.split('+')) {
			const [style, w, extra] = p.trim().split('*');
			const weight = w === undefined ? 1 : Number(w);
			if (!style || extra !== undefined || !(Number.isFinite(weight) && weight > 0)) {
				problems.push(`styles: "${text}" is not a style or a blend like a+b or a*2+b; left out`);
				ok = false;
				break;
			}
			parts.push({ style: style.trim(), weight });
		}
		if (ok) stops.push({ parts, text });
	}
	if (stops.length === 0) {
		problems.push('styles: no usable stop; cycling through every style');
		return null;
	}
	return stops;
}

/** Turns the address's stops into weight vectors over the network's styles (unknown styles are left out with a message). */
export function resolveStops(specs: StopSpec[] | null, styles: readonly StyleInfo[], problems: string[]): Stop[] {
	const n = styles.length;
	const single = (i: number): Stop => ({ label: `${styles[i].title} — ${styles[i].artist}`, weights: styles.map((_, j) => (j === i ? 1 : 0)) });
	if (n === 0) return [];
	if (!specs) return styles.map((_, i) => single(i));
	const stops: Stop[] = [];
	for (const spec of specs) {
		const weights = new Array<number>(n).fill(0);
		const names: string[] = [];
		let ok = true;
		for (const part of spec.parts) {
			const i = findStyle(part.style, styles);
			if (i < 0) {
				problems.push(`styles: no style "${part.style}" (use an id such as ${styles[0].id}, or a number from 1 to ${n}); "${spec.text}" left out`);
				ok = false;
				break;
			}
			weights[i] += part.weight;
			if (!names.includes(styles[i].title)) names.push(styles[i].title);
		}
		if (!ok) continue;
		const sum = weights.reduce((a, b) => a + b, 0);
		const only = weights.filter((w) => w > 0).length === 1;
		stops.push(only ? single(weights.findIndex((w) => w > 0)) : { label: names.join(' + '), weights: weights.map((w) => w / sum) });
	}
	if (stops.length === 0) {
		problems.push('styles: none of the stops names a style of this network; cycling through every style');
		return styles.map((_, i) => single(i));
	}
	return stops;
}

/** A style by id (case-insensitive) or by its number 1…N (the studio's order). */
function findStyle(ref: string, styles: readonly StyleInfo[]): number {
	const byId = styles.findIndex((s) => s.id.toLowerCase() === ref.toLowerCase());
	if (byId >= 0) return byId;
	const k = Number(ref);
	return Number.isInteger(k) && k >= 1 && k <= styles.length ? k - 1 : -1;
}
