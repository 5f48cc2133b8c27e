/**
 * Learned styles as the style network's extra styles: StyleInfo (title = the person's name, id = a slug
 * of it that the kiosk's `styles=` accepts, preview = the thumbnail) and the row.
 */
import type { ExtraStyle, StyleInfo } from '../models/style-net';
import type { LearnedStyle } from './style-file';

/** The kiosk-friendly id of a name: lower case, letters and digits joined by '-', unique among `taken`. */
export function styleSlug(name: string, taken: ReadonlySet<string>): string {
	const base =
		name
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '') || 'learned';
	let id = /^\d+$/.test(base) ? `learned-${base}` : base;
	for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
	return id;
}

/** The learned styles after `builtIn`, in their stored order (13, 14 …). */
export function extraStyles(learned: readonly LearnedStyle[], builtIn: readonly StyleInfo[]): ExtraStyle[] {
	const taken = new Set(builtIn.map((s) => s.id));
	return learned.map((l) => {
		const id = styleSlug(l.name, taken);
		taken.add(id);
		const info: StyleInfo = { id, title: l.name, artist: 'learned on this device', year: new Date(l.createdAt).getFullYear().toString(), file: '', ...(l.thumbnail ? { preview: l.thumbnail } : {}) };
		return { info, row: l.row, networkVersion: l.networkVersion };
	});
}

/**
 * What the network took of `extra` (its style list `styles` after setExtraStyles: a row learned for
 * another version of the network is left out) and, when some were left out, the sentence that says so.
 */
export function usedExtraStyles(extra: readonly ExtraStyle[], styles: readonly StyleInfo[]): { used: ExtraStyle[]; leftOut: string | null } {
	const ids = new Set(styles.map((s) => s.id));
	const used = extra.filter((e) => ids.has(e.info.id));
	const left = extra.filter((e) => !ids.has(e.info.id)).map((e) => `“${e.info.title}”`);
	if (!left.length) return { used, leftOut: null };
	const one = left.length === 1;
	return {
		used,
		leftOut: `${left.join(', ')} ${one ? 'was' : 'were'} learned for another version of the style network and ${one ? 'is' : 'are'} left out: learn ${one ? 'it' : 'them'} again from ${one ? 'its picture' : 'their pictures'} (kept on this device; delete on the Learn page).`
	};
}
