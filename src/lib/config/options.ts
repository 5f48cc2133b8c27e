/**
 * Address options, read the same way on every page (studio, kiosk, lab, gallery): each option has a
 * kind (number, whole number, choice, flag, text), bounds and a default; a value that is malformed, out
 * of bounds, or more than this machine can do is replaced, and the replacement is named in a message
 * ("threads=64 is more than this machine's 2 cores; using 2") for the kiosk's log or the page's notice.
 * Pure: the machine is passed in (machineFromBrowser reads it in the page).
 */

/** What the machine can do, as far as address options care. */
export interface Machine {
	/** Logical cores (navigator.hardwareConcurrency). */
	cores: number;
}

/** The machine this page runs on (1 core where the browser does not say). */
export function machineFromBrowser(): Machine {
	const n = typeof navigator === 'undefined' ? 1 : Number(navigator.hardwareConcurrency);
	return { cores: Number.isInteger(n) && n >= 1 ? n : 1 };
}

/** Upper bound of any thread count an address may ask for (the wasm backend's own limit is far below). */
export const MAX_THREADS = 64;

interface NumberSpec<F> {
	min: number;
	max: number;
	/** Used when the option is absent or refused. */
	fallback: F;
	/** Words for the message: "a number of seconds", "a whole number of pixels". */
	unit: string;
	/** How the fallback reads in a message (default: the value itself). */
	fallbackText?: string;
	/** A lower ceiling this machine sets (the value is clamped to it, with a message that says why). */
	cap?: { max: number; why: string };
}

/** Reads options from one address, collecting a message for each replaced value. */
export class OptionReader {
	readonly problems: string[] = [];

	constructor(
		private readonly params: URLSearchParams,
		readonly machine: Machine
	) {}

	/** The raw value; null when absent or empty (an empty option means its default). */
	raw(name: string): string | null {
		const v = this.params.get(name);
		return v === null || v.trim() === '' ? null : v;
	}

	has(name: string): boolean {
		return this.params.has(name);
	}

	/** A number within [min, max]; a malformed or out-of-range value gives the fallback. */
	number<F extends number | null>(name: string, spec: NumberSpec<F>): number | F {
		return this.read(name, spec, false);
	}

	/** A whole number within [min, max]. */
	int<F extends number | null>(name: string, spec: NumberSpec<F>): number | F {
		return this.read(name, spec, true);
	}

	/** Threads for a worker: a whole number from 1, clamped to this machine's cores. */
	threads(name: string, fallbackText: string): number | null {
		const cores = this.machine.cores;
		return this.int(name, {
			min: 1,
			max: MAX_THREADS,
			fallback: null,
			unit: 'a whole number',
			fallbackText,
			cap: { max: cores, why: `more than this machine's ${cores} core${cores === 1 ? '' : 's'}` }
		});
	}

	/** One of a fixed list of words. */
	choice<T extends string, F extends T | null>(name: string, values: readonly T[], fallback: F, fallbackText?: string): T | F {
		const raw = this.raw(name);
		if (raw === null) return fallback;
		if ((values as readonly string[]).includes(raw)) return raw as T;
		this.problems.push(`${name}=${raw} should be ${orList(values)}; ${fallbackText ?? `using ${fallback}`}`);
		return fallback;
	}

	/** 1/0, true/false, on/off. */
	flag(name: string, fallback: boolean): boolean {
		const raw = this.raw(name);
		if (raw === null) return fallback;
		if (raw === '1' || raw === 'true' || raw === 'on') return true;
		if (raw === '0' || raw === 'false' || raw === 'off') return false;
		this.problems.push(`${name}=${raw} should be 1 or 0; using ${fallback ? 1 : 0}`);
		return fallback;
	}

	/** Free text, trimmed and cut to `max` characters (null when absent; '' when given empty). */
	text(name: string, max: number): string | null {
		const v = this.params.get(name);
		if (v === null) return null;
		const t = v.trim();
		if (t.length <= max) return t;
		this.problems.push(`${name} is ${t.length} characters long; showing the first ${max}`);
		return t.slice(0, max);
	}

	private read<F extends number | null>(name: string, spec: NumberSpec<F>, whole: boolean): number | F {
		const raw = this.raw(name);
		if (raw === null) return spec.fallback;
		const v = Number(raw);
		const using = spec.fallbackText ?? `using ${spec.fallback}`;
		if (!Number.isFinite(v) || (whole && !Number.isInteger(v)) || v < spec.min || v > spec.max) {
			this.problems.push(`${name}=${raw} is not ${spec.unit} from ${spec.min} to ${spec.max}; ${using}`);
			return spec.fallback;
		}
		if (spec.cap && v > spec.cap.max) {
			this.problems.push(`${name}=${raw} is ${spec.cap.why}; using ${spec.cap.max}`);
			return spec.cap.max;
		}
		return v;
	}
}

function orList(values: readonly string[]): string {
	return values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}
