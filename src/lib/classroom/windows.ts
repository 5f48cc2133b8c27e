/**
 * The windows the studio opens by a key or a button — the lab (`l`) and the projector (`o`) — each under
 * one name: pressed again, the key brings the window it opened before to the front (and gives it the new
 * page, if any) instead of opening another. The opener is passed in (the page's window), so the rule is
 * tested without a browser.
 */
export const LAB_WINDOW = 'neural-style-lab';
export const PROJECTOR_WINDOW = 'neural-style-projector';

export interface Opener {
	open(url?: string, target?: string, features?: string): WindowLike | null;
}

export interface WindowLike {
	readonly closed: boolean;
	location: { href: string };
	focus(): void;
}

/**
 * The window named `name`, opened if there is none (blank, without loading anything), then `url` loaded
 * into it when it is new or when `reload` asks for it, and brought to the front. Null when the browser
 * blocked the pop-up.
 */
export function openNamed<W extends WindowLike>(opener: { open(url?: string, target?: string, features?: string): W | null }, name: string, opts: { url?: string; reload?: boolean; features?: string } = {}): W | null {
	// An empty address finds the named window without navigating it; a new one stays blank.
	const win = opener.open('', name, opts.features);
	if (!win) return null;
	if (opts.url) {
		let blank = true;
		try {
			blank = win.location.href === 'about:blank';
		} catch {
			blank = false; // another origin's page: leave it
		}
		if (blank || opts.reload) win.location.href = opts.url;
	}
	win.focus();
	return win;
}

/** The lab's window: opened inside the key press or click (no popup blocker objects), blank; the frame follows (studio.sendToLab loads it). */
export function openLabWindow(): Window | null {
	return openNamed(window, LAB_WINDOW);
}
