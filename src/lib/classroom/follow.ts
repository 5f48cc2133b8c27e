/**
 * Which teacher window the projector follows, when the studio is open in several: the one that last took
 * the lead (a 'lead' message: it was focused or a key was pressed in it); before any lead, the first one
 * heard. Only the followed window's frames and state are shown, so a frame of one is never drawn under
 * the caption of another. A followed window that says goodbye or goes quiet is let go: the next window
 * heard is followed. Pure (time is passed in).
 */
import type { TeacherMessage } from './sync';

export interface FollowVerdict {
	/** Show this message's content (it comes from the followed window). */
	show: boolean;
	/** The followed window changed with this message (the projector drops what it holds of the last one). */
	switched: boolean;
}

export class Follower {
	/** The followed window's id; null before any window is heard, and after the followed one went. */
	id: string | null = null;
	private leadAt = -Infinity;
	private lastHeard = -Infinity;

	/** Takes one message from the channel at `now`. */
	take(msg: TeacherMessage, now: number): FollowVerdict {
		if (msg.type === 'lead') {
			if (msg.at < this.leadAt) return { show: false, switched: false }; // an older claim, heard late
			this.leadAt = msg.at;
			return { show: false, switched: this.follow(msg.from, now) };
		}
		let switched = false;
		if (this.id === null) {
			if (msg.type === 'bye') return { show: false, switched: false };
			switched = this.follow(msg.from, now);
		}
		if (msg.from !== this.id) return { show: false, switched };
		this.lastHeard = now;
		if (msg.type === 'bye') {
			this.id = null;
			return { show: true, switched: true };
		}
		return { show: true, switched };
	}

	/** The followed window has sent nothing for `quietMs` (a crashed tab): let it go. True when it was let go now. */
	expire(now: number, quietMs: number): boolean {
		if (this.id === null || now - this.lastHeard <= quietMs) return false;
		this.id = null;
		return true;
	}

	private follow(id: string, now: number): boolean {
		const changed = this.id !== id;
		this.id = id;
		this.lastHeard = now;
		return changed;
	}
}
