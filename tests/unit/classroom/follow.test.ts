import { describe, expect, it } from 'vitest';
import { Follower } from '../../../src/lib/classroom/follow';
import { byeMessage, frameMessage, leadMessage, stateMessage, type PresentState } from '../../../src/lib/classroom/sync';
import { LAB_WINDOW, openNamed, type WindowLike } from '../../../src/lib/classroom/windows';

const state = (style: string): PresentState => ({ style, frozen: false, labels: null, heat: null, heatCaption: null });
const image = { width: 1, height: 1, data: new Uint8ClampedArray(4) } as unknown as ImageData;

describe('the projector follows one teacher window at a time', () => {
	it('the first window heard, then the one that takes the lead; the other one’s frames and state are not shown', () => {
		const f = new Follower();
		expect(f.take(stateMessage(state('Starry'), 'A'), 0)).toEqual({ show: true, switched: true });
		expect(f.take(stateMessage(state('Wave'), 'B'), 1)).toEqual({ show: false, switched: false });
		expect(f.take(frameMessage(1, image, 'B'), 2).show).toBe(false);
		expect(f.take(frameMessage(1, image, 'A'), 3)).toEqual({ show: true, switched: false });
		// B is focused: it takes the lead; from now on only B is shown.
		expect(f.take(leadMessage('B', 1000), 4)).toEqual({ show: false, switched: true });
		expect(f.id).toBe('B');
		expect(f.take(frameMessage(2, image, 'A'), 5).show).toBe(false);
		expect(f.take(stateMessage(state('Starry'), 'A'), 6).show).toBe(false);
		expect(f.take(stateMessage(state('Wave'), 'B'), 7)).toEqual({ show: true, switched: false });
		// A lead claim older than the last (heard late) changes nothing; a newer one does.
		expect(f.take(leadMessage('A', 999), 8)).toEqual({ show: false, switched: false });
		expect(f.take(leadMessage('A', 1001), 9)).toEqual({ show: false, switched: true });
		// The followed window taking the lead again is no switch.
		expect(f.take(leadMessage('A', 1002), 10)).toEqual({ show: false, switched: false });
	});

	it('a followed window that says goodbye or goes quiet is let go; the next window heard is followed', () => {
		const f = new Follower();
		f.take(stateMessage(state('Starry'), 'A'), 0);
		expect(f.take(byeMessage('B'), 1)).toEqual({ show: false, switched: false }); // not the followed one
		expect(f.take(byeMessage('A'), 2)).toEqual({ show: true, switched: true });
		expect(f.id).toBeNull();
		expect(f.take(frameMessage(1, image, 'B'), 3)).toEqual({ show: true, switched: true });
		expect(f.expire(100, 150)).toBe(false);
		expect(f.expire(200, 150)).toBe(true); // B went quiet (a crashed tab)
		expect(f.id).toBeNull();
		expect(f.expire(300, 150)).toBe(false);
	});
});

describe('a key that opens a window reuses it', () => {
	/** A browser's named windows: open('', name) finds the named one, else opens a blank one. */
	function browser() {
		const windows = new Map<string, WindowLike & { focused: number }>();
		let opened = 0;
		return {
			get opened() {
				return opened;
			},
			open(url = '', name = '_blank') {
				let w = windows.get(name);
				if (!w || w.closed) {
					opened++;
					w = { closed: false, location: { href: url || 'about:blank' }, focused: 0, focus() { this.focused++; } };
					windows.set(name, w);
				} else if (url) w.location.href = url;
				return w;
			}
		};
	}

	it('pressed seven times: one window, loaded once, brought to the front each time', () => {
		const b = browser();
		const wins = Array.from({ length: 7 }, () => openNamed(b, 'neural-style-projector', { url: '/present' }));
		expect(b.opened).toBe(1);
		expect(new Set(wins).size).toBe(1);
		expect(wins[0]!.location.href).toBe('/present');
		expect((wins[0] as unknown as { focused: number }).focused).toBe(7);
	});

	it('the lab: one blank window, the caller loads the picture into it; a closed one is opened again', () => {
		const b = browser();
		const w = openNamed(b, LAB_WINDOW)!;
		expect(w.location.href).toBe('about:blank');
		w.location.href = '/lab?snapshot=1';
		expect(openNamed(b, LAB_WINDOW)).toBe(w);
		expect(w.location.href).toBe('/lab?snapshot=1'); // not reloaded by the key itself
		(w as { closed: boolean }).closed = true;
		expect(openNamed(b, LAB_WINDOW)).not.toBe(w);
		expect(b.opened).toBe(2);
	});

	it('a blocked pop-up gives null', () => {
		expect(openNamed({ open: () => null }, LAB_WINDOW)).toBeNull();
	});
});
