/**
 * The studio's keyboard shortcuts, in one table: key → action → description. The page's key handler
 * (matchShortcut) and the `?` overlay (ShortcutHelp.svelte) both read it, so a key cannot work without
 * being listed, nor be listed without working. Pure: no DOM, unit-tested.
 */

/** Every action a presenter can run from the keyboard (each has a row in SHORTCUTS). */
export const ACTION_IDS = [
	'style-prev',
	'style-next',
	'style-pick',
	'blend-prev',
	'blend-next',
	'strength-up',
	'strength-down',
	'resolution',
	'colours',
	'freeze',
	'snapshot',
	'to-lab',
	'to-gallery',
	'explain',
	'cam',
	'activations',
	'presenter',
	'projector',
	'projector-labels',
	'fullscreen',
	'hud',
	'mirror',
	'help'
] as const;

export type ActionId = (typeof ACTION_IDS)[number];

export type ShortcutGroup = 'Style' | 'Picture' | 'Explanations' | 'Lesson' | 'View';

export interface Shortcut {
	id: ActionId;
	/** KeyboardEvent.key values (letters in lower case), "Shift+" before arrows. */
	keys: readonly string[];
	/** How the overlay and the buttons write the keys. */
	label: string;
	description: string;
	group: ShortcutGroup;
	/** Held down, the key repeats the action (steps); toggles ignore the repeats. */
	repeats?: boolean;
}

export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = ['Style', 'Picture', 'Lesson', 'Explanations', 'View'];

/** How far one press of Shift+→ / Shift+← moves the blend toward the next / previous style. */
export const BLEND_STEP = 0.25;
/** How far one press of + / − moves the strength. */
export const STRENGTH_STEP = 0.1;

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

export const SHORTCUTS: readonly Shortcut[] = [
	{ id: 'style-prev', keys: ['ArrowLeft', '['], label: '← or [', description: 'Previous style', group: 'Style', repeats: true },
	{ id: 'style-next', keys: ['ArrowRight', ']'], label: '→ or ]', description: 'Next style', group: 'Style', repeats: true },
	{ id: 'style-pick', keys: DIGITS, label: '1 … 9, 0', description: 'Pick style 1 … 10', group: 'Style' },
	{ id: 'blend-prev', keys: ['Shift+ArrowLeft', '{'], label: 'Shift+← or {', description: `Blend ${BLEND_STEP * 100} % toward the previous style`, group: 'Style', repeats: true },
	{ id: 'blend-next', keys: ['Shift+ArrowRight', '}'], label: 'Shift+→ or }', description: `Blend ${BLEND_STEP * 100} % toward the next style (four presses reach it)`, group: 'Style', repeats: true },
	{ id: 'strength-up', keys: ['+', '='], label: '+', description: `Stronger style (+${STRENGTH_STEP * 100} %)`, group: 'Style', repeats: true },
	{ id: 'strength-down', keys: ['-', '_'], label: '−', description: `Weaker style (−${STRENGTH_STEP * 100} %; 0 shows the camera image)`, group: 'Style', repeats: true },
	{ id: 'resolution', keys: ['r'], label: 'r', description: 'Next resolution (auto, 256p … 720p)', group: 'Style' },
	{ id: 'colours', keys: ['u'], label: 'u', description: "Keep colours on / off (the painting's strokes, the photo's colours)", group: 'Style' },
	{ id: 'freeze', keys: [' ', 'k'], label: 'Space or k', description: 'Freeze the frame: the picture holds still, styles and explanations still apply', group: 'Picture' },
	{ id: 'snapshot', keys: ['s'], label: 's', description: 'Snapshot (download a PNG)', group: 'Picture' },
	{ id: 'to-lab', keys: ['l'], label: 'l', description: 'Send the picture to the snapshot lab (its own tab)', group: 'Picture' },
	{ id: 'to-gallery', keys: ['g'], label: 'g', description: 'Keep the camera frame in the gallery', group: 'Picture' },
	{ id: 'presenter', keys: ['p'], label: 'p', description: 'Presenter layout on / off (large panels, slim controls)', group: 'Lesson' },
	{ id: 'projector', keys: ['o'], label: 'o', description: 'Open the projector window (drag it to the second screen)', group: 'Lesson' },
	{ id: 'projector-labels', keys: ['t'], label: 't', description: "Labels on the projector on / off", group: 'Lesson' },
	{ id: 'explain', keys: ['e'], label: 'e', description: 'Explanations on / off ("What does the network see?")', group: 'Explanations' },
	{ id: 'cam', keys: ['c'], label: 'c', description: 'Grad-CAM heat map on / off', group: 'Explanations' },
	{ id: 'activations', keys: ['a'], label: 'a', description: 'Activation maps on / off', group: 'Explanations' },
	{ id: 'fullscreen', keys: ['f'], label: 'f', description: 'Fullscreen on / off', group: 'View' },
	{ id: 'hud', keys: ['h'], label: 'h', description: 'HUD (frame rate, backend) on / off', group: 'View' },
	{ id: 'mirror', keys: ['m'], label: 'm', description: 'Mirror the camera', group: 'View' },
	{ id: 'help', keys: ['?'], label: '?', description: 'This list of keys (Esc or ? closes it)', group: 'View' }
];

const BY_ID = new Map(SHORTCUTS.map((s) => [s.id, s]));
const BY_KEY = new Map(SHORTCUTS.flatMap((s) => s.keys.map((k) => [k, s] as const)));

/** The shortcut of an action (for buttons' hints and titles). */
export function shortcutFor(id: ActionId): Shortcut {
	const s = BY_ID.get(id);
	if (!s) throw new Error(`shortcuts: no action "${id}"`);
	return s;
}

/** The part of a KeyboardEvent a shortcut depends on. */
export interface KeyPress {
	key: string;
	/** Auto-repeat of a held key: only actions marked `repeats` run again. */
	repeat?: boolean;
	shiftKey?: boolean;
	ctrlKey?: boolean;
	metaKey?: boolean;
	altKey?: boolean;
}

/** The registry's name for a key press: letters in lower case, "Shift+" before arrow keys. */
export function keyName(e: KeyPress): string {
	if (e.key.length === 1) return e.key.toLowerCase();
	return e.shiftKey && e.key.startsWith('Arrow') ? `Shift+${e.key}` : e.key;
}

export interface ShortcutHit {
	id: ActionId;
	/** style-pick: the style's index (key 1 → 0 … key 0 → 9). */
	index?: number;
}

/** The action a key press asks for, or null (unknown key, a browser shortcut with Ctrl/Alt/Meta, a held toggle). */
export function matchShortcut(e: KeyPress): ShortcutHit | null {
	if (e.ctrlKey || e.metaKey || e.altKey) return null;
	const name = keyName(e);
	const s = BY_KEY.get(name);
	if (!s || (e.repeat && !s.repeats)) return null;
	return s.id === 'style-pick' ? { id: s.id, index: DIGITS.indexOf(name as (typeof DIGITS)[number]) } : { id: s.id };
}

/** What a focused element is, as far as shortcuts care (from the DOM by the page: tag, input type, editable). */
export interface FocusTarget {
	tag: string;
	type?: string;
	editable?: boolean;
	/** ARIA role: a custom slider (the blend pad) keeps the arrow keys like a range input. */
	role?: string | null;
}

const TEXT_INPUTS = new Set(['text', 'search', 'number', 'email', 'url', 'tel', 'password', 'date', 'time', 'datetime-local', 'month', 'week', 'file', 'color']);
const ARROW_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * Should the focused element keep this key for itself? Text fields, selects and text areas keep every
 * key; sliders keep the arrow keys; buttons, checkboxes and links keep Space (it presses them — `k`
 * freezes from anywhere).
 */
export function targetKeepsKey(t: FocusTarget | null, e: KeyPress): boolean {
	if (!t) return false;
	const tag = t.tag.toLowerCase();
	if (t.editable || tag === 'textarea' || tag === 'select') return true;
	if (t.role === 'slider' && ARROW_KEYS.has(e.key)) return true;
	if (tag === 'input') {
		const type = (t.type ?? 'text').toLowerCase();
		if (TEXT_INPUTS.has(type)) return true;
		if (type === 'range') return ARROW_KEYS.has(e.key);
		return e.key === ' ';
	}
	if (tag === 'button' || tag === 'a' || tag === 'summary') return e.key === ' ' || e.key === 'Enter';
	return false;
}
