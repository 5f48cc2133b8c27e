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
