/**
 * Plain words for the presenter layout and the projector: what style is on, and one caption per panel.
 * Pure, unit-tested.
 */

export interface StyleName {
	title: string;
	artist: string;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

/**
 * The style as a person would say it: "The Starry Night — Vincent van Gogh", a blend as
 * "75 % The Starry Night + 25 % The Scream" (the two largest parts), with the strength when it is not
 * full. Null when style is off.
 */
export function describeStyle(styles: readonly StyleName[], weights: readonly number[], strength: number, active: boolean): string | null {
	if (!active || styles.length === 0) return null;
	if (strength <= 0) return 'The camera image (style strength 0)';
	const order = weights
		.map((w, i) => ({ w, i }))
		.filter((x) => x.w > 0.005 && styles[x.i])
		.sort((a, b) => b.w - a.w);
	if (order.length === 0) return null;
	let name: string;
	if (order[0].w > 0.995) name = `${styles[order[0].i].title} — ${styles[order[0].i].artist}`;
	else {
		const parts = order.slice(0, 2).map((x) => `${pct(x.w)} ${styles[x.i].title}`);
		name = parts.join(' + ') + (order.length > 2 ? ' + others' : '');
	}
	return strength < 0.995 ? `${name} · strength ${pct(strength)}` : name;
}

export type PanelId = 'camera' | 'stylized' | 'gradcam' | 'activations';

/** One short line per presenter panel, in plain words (large type on a projector: keep them short). */
export function panelCaption(panel: PanelId, detail: { style?: string | null; label?: string; stage?: string } = {}): string {
	switch (panel) {
		case 'camera':
			return 'What the camera sees';
		case 'stylized':
			return detail.style ? `Repainted as ${detail.style}` : 'The picture the network makes';
		case 'gradcam':
			return `Where the network looks${detail.label ? ` for “${detail.label}”` : ''} — warm = counts most`;
		case 'activations':
			return `${detail.stage ? `Layer ${detail.stage}` : 'One layer'}: each square a detector — bright = “found it here”`;
	}
}
