/**
 * Lays out the kiosk's attract text (from the address, up to 200 characters) to fit its box: broken into
 * lines at spaces (a word longer than a line is broken inside), at the largest font size whose lines all
 * fit the box's width and whose height fits its height. Pure: the page passes a measure (a 2D canvas's
 * measureText with the page's font); the tests pass a fixed-width one.
 */

/** Width in px of `text` at `fontPx`. */
export type Measure = (text: string, fontPx: number) => number;

export interface TextFit {
	fontPx: number;
	lines: string[];
}

/** Greedy line breaking at spaces; a word wider than `width` is cut into pieces that fit. */
export function breakLines(text: string, width: number, measure: (s: string) => number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const joined = line ? `${line} ${word}` : word;
		if (measure(joined) <= width) {
			line = joined;
			continue;
		}
		if (line) lines.push(line);
		line = '';
		// The word alone: whole if it fits, else in pieces (a URL, a long name).
		let rest = word;
		while (measure(rest) > width && rest.length > 1) {
			let n = 1;
			while (n < rest.length && measure(rest.slice(0, n + 1)) <= width) n++;
			lines.push(rest.slice(0, n));
			rest = rest.slice(n);
		}
		line = rest;
	}
	if (line) lines.push(line);
	return lines;
}

/**
 * The largest font size from `maxPx` down to `minPx` (whole pixels) at which the text fits the box;
 * at `minPx` the lines are returned as they break even if they are too many (the box is absurdly small).
 */
export function fitText(text: string, box: { width: number; height: number }, measure: Measure, opts: { maxPx: number; minPx: number; lineHeight: number }): TextFit {
	const fits = (px: number) => {
		const lines = breakLines(text, box.width, (s) => measure(s, px));
		return { lines, ok: lines.length * px * opts.lineHeight <= box.height && lines.every((l) => measure(l, px) <= box.width) };
	};
	// Binary search: fitting is monotone in the font size.
	let lo = Math.max(1, Math.floor(opts.minPx));
	let hi = Math.max(lo, Math.floor(opts.maxPx));
	if (fits(hi).ok) return { fontPx: hi, lines: fits(hi).lines };
	while (hi - lo > 1) {
		const mid = (lo + hi) >> 1;
		if (fits(mid).ok) lo = mid;
		else hi = mid;
	}
	return { fontPx: lo, lines: fits(lo).lines };
}
