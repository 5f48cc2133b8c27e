import { describe, expect, it } from 'vitest';
import { ACTION_IDS, SHORTCUT_GROUPS, SHORTCUTS, keyName, matchShortcut, shortcutFor, targetKeepsKey } from '../../../src/lib/classroom/shortcuts';

describe('the shortcut table', () => {
	it('has one row per action, each with at least one key, a label, a description and a listed group', () => {
		expect(SHORTCUTS.map((s) => s.id).sort()).toEqual([...ACTION_IDS].sort());
		for (const s of SHORTCUTS) {
			expect(s.keys.length, s.id).toBeGreaterThan(0);
			expect(s.label.trim(), s.id).not.toBe('');
			expect(s.description.trim(), s.id).not.toBe('');
			expect(SHORTCUT_GROUPS, s.id).toContain(s.group);
		}
	});

	it('gives no key to two actions', () => {
		const keys = SHORTCUTS.flatMap((s) => s.keys);
		const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
		expect(dupes).toEqual([]);
	});

	it('every key of the table runs its own action, and letters work with Shift too', () => {
		for (const s of SHORTCUTS) {
			for (const k of s.keys) {
				const shift = k.startsWith('Shift+');
				const hit = matchShortcut({ key: shift ? k.slice(6) : k, shiftKey: shift });
				expect(hit?.id, k).toBe(s.id);
			}
		}
		expect(matchShortcut({ key: 'S', shiftKey: true })?.id).toBe('snapshot');
	});

	it('keeps the studio’s old keys (f fullscreen, h HUD, m mirror) and the issue’s list', () => {
		expect(matchShortcut({ key: 'f' })?.id).toBe('fullscreen');
		expect(matchShortcut({ key: 'h' })?.id).toBe('hud');
		expect(matchShortcut({ key: 'm' })?.id).toBe('mirror');
		expect(matchShortcut({ key: 'ArrowRight' })?.id).toBe('style-next');
		expect(matchShortcut({ key: 'ArrowRight', shiftKey: true })?.id).toBe('blend-next');
		expect(matchShortcut({ key: ' ' })?.id).toBe('freeze');
		expect(matchShortcut({ key: '?' })?.id).toBe('help');
	});

	it('maps the digits to styles 1 … 10', () => {
		expect(matchShortcut({ key: '1' })).toEqual({ id: 'style-pick', index: 0 });
		expect(matchShortcut({ key: '9' })).toEqual({ id: 'style-pick', index: 8 });
		expect(matchShortcut({ key: '0' })).toEqual({ id: 'style-pick', index: 9 });
	});

	it('leaves browser shortcuts, unknown keys and held-down toggles alone', () => {
		expect(matchShortcut({ key: 'r', ctrlKey: true })).toBeNull();
		expect(matchShortcut({ key: 's', metaKey: true })).toBeNull();
		expect(matchShortcut({ key: 'ArrowLeft', altKey: true })).toBeNull();
		expect(matchShortcut({ key: 'q' })).toBeNull();
		expect(matchShortcut({ key: 'Enter' })).toBeNull();
		expect(matchShortcut({ key: ' ', repeat: true })).toBeNull(); // freeze would flicker
		expect(matchShortcut({ key: '+', repeat: true })?.id).toBe('strength-up'); // steps repeat
	});

	it('names keys as the table writes them', () => {
		expect(keyName({ key: 'A' })).toBe('a');
		expect(keyName({ key: 'ArrowLeft', shiftKey: true })).toBe('Shift+ArrowLeft');
		expect(keyName({ key: 'Escape', shiftKey: true })).toBe('Escape');
		expect(shortcutFor('freeze').label).toBe('Space or k');
		expect(() => shortcutFor('nope' as never)).toThrow(/no action/);
	});
});

describe('keys the focused element keeps', () => {
	const key = (k: string) => ({ key: k });
	it('text fields, selects and text areas keep every key', () => {
		for (const t of [{ tag: 'INPUT', type: 'text' }, { tag: 'INPUT', type: 'number' }, { tag: 'INPUT' }, { tag: 'SELECT' }, { tag: 'TEXTAREA' }, { tag: 'DIV', editable: true }]) {
			expect(targetKeepsKey(t, key('s')), JSON.stringify(t)).toBe(true);
			expect(targetKeepsKey(t, key('ArrowRight')), JSON.stringify(t)).toBe(true);
		}
	});
	it('sliders (native or ARIA) keep the arrows, not the letters', () => {
		for (const t of [{ tag: 'INPUT', type: 'range' }, { tag: 'DIV', role: 'slider' }, { tag: 'CANVAS', role: 'slider' }]) {
			expect(targetKeepsKey(t, key('ArrowLeft'))).toBe(true);
			expect(targetKeepsKey(t, key('s'))).toBe(false);
		}
	});
	it('buttons, checkboxes and links keep Space (k freezes from anywhere)', () => {
		for (const t of [{ tag: 'BUTTON' }, { tag: 'INPUT', type: 'checkbox' }, { tag: 'A' }, { tag: 'SUMMARY' }]) {
			expect(targetKeepsKey(t, key(' '))).toBe(true);
			expect(targetKeepsKey(t, key('k'))).toBe(false);
			expect(targetKeepsKey(t, key('ArrowRight'))).toBe(false);
		}
	});
	it('nothing focused: the page gets every key', () => {
		expect(targetKeepsKey(null, key(' '))).toBe(false);
		expect(targetKeepsKey({ tag: 'BODY' }, key(' '))).toBe(false);
	});
});

describe('the README', () => {
	it('lists every key of the table in its "In the classroom" section', async () => {
		const { readFileSync } = await import('node:fs');
		const readme = readFileSync('README.md', 'utf8');
		const section = readme.slice(readme.indexOf('## In the classroom'), readme.indexOf('\n## ', readme.indexOf('## In the classroom') + 1));
		expect(section.length).toBeGreaterThan(100);
		for (const s of SHORTCUTS) for (const token of s.label.split(' or ')) expect(section, `${s.id}: ${token}`).toContain('`' + token + '`');
	});
});
