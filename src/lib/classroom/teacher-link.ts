/**
 * The teacher's end of the projector link (protocol: sync.ts). It publishes frames only while a
 * projector window has said hello in the last few seconds (nothing is copied when none is open), at
 * most `maxFps` a second and one at a time (latest frame wins: a frame that comes while the last is
 * still being grabbed is dropped, not queued). The state goes out when it changes and once a second
 * as a heartbeat; a new projector's hello is answered at once with the state and the newest frame.
 * With the studio open in several windows, each signs its messages with its id; the projector follows
 * the one that last took the lead (takeLead: on focus or a key) and says which in its hellos, and only
 * the followed window sends frames and state.
 */
import {
	byeMessage,
	CHANNEL_NAME,
	decodeProjectorMessage,
	frameMessage,
	leadMessage,
	stateMessage,
	type FrameImage,
	type PresentState,
	type TeacherMessage
} from './sync';

/** What a frame is grabbed from: the output canvas (a worker's placeholder canvas works too). */
export type FrameSourceCanvas = HTMLCanvasElement;

export interface TeacherLinkOptions {
	/** The channel (default: a BroadcastChannel named CHANNEL_NAME). */
	channel?: BroadcastChannel;
	/** Frames per second at most (default 30). */
	maxFps?: number;
	/** A projector counts as there this long after its last hello (default 3500 ms; it says hello every second). */
	listenMs?: number;
	/** State heartbeat (default 1000 ms). */
	heartbeatMs?: number;
	/** Copies the canvas's picture (default: createImageBitmap; ImageData where bitmaps do not cross the channel). */
	grab?: (canvas: FrameSourceCanvas, as: 'bitmap' | 'imagedata') => Promise<FrameImage>;
	now?: () => number;
	/** Wall-clock time for lead claims, comparable across windows (default Date.now). */
	clock?: () => number;
	/** This window's id, as the projector names it (default: 4 random letters and digits). */
	id?: string;
	/** Called when the first projector says hello and when the last one goes quiet. */
	onListening?: (listening: boolean) => void;
	/** Called when the projector starts or stops following this window (another window took the lead). */
	onFollowed?: (followed: boolean) => void;
}

/** A short id a person can read off the wall ("window K7QF"). */
export function newWindowId(random: () => number = Math.random): string {
	const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	return Array.from({ length: 4 }, () => letters[Math.floor(random() * letters.length)]).join('');
}

export class TeacherLink {
	/** Frames sent, and frames dropped because the last one was still being grabbed or came too soon. */
	sent = 0;
	skipped = 0;
	/** How frames cross the channel: ImageBitmap, or ImageData after a browser refused to clone a bitmap. */
	mode: 'bitmap' | 'imagedata' = 'bitmap';
	readonly id: string;
	private readonly channel: BroadcastChannel;
	private readonly clock: () => number;
	private readonly onFollowed?: (on: boolean) => void;
	/** The window the projector last said it follows (null: none yet, so any window may send). */
	private following: string | null = null;
	private wasFollowed = true;
	private readonly now: () => number;
	private readonly minGapMs: number;
	private readonly listenMs: number;
	private readonly grab: NonNullable<TeacherLinkOptions['grab']>;
	private readonly onListening?: (on: boolean) => void;
	private readonly timer: ReturnType<typeof setInterval>;
	private state: PresentState | null = null;
	private lastHello = -Infinity;
	private wasListening = false;
	private lastFrameAt = -Infinity;
	private inFlight = false;
	private seq = 0;
	private latest: FrameSourceCanvas | null = null;
	private closed = false;

	constructor(opts: TeacherLinkOptions = {}) {
		this.channel = opts.channel ?? new BroadcastChannel(CHANNEL_NAME);
		this.now = opts.now ?? (() => performance.now());
		this.clock = opts.clock ?? (() => Date.now());
		this.id = opts.id ?? newWindowId();
		this.onFollowed = opts.onFollowed;
		this.minGapMs = 1000 / (opts.maxFps ?? 30);
		this.listenMs = opts.listenMs ?? 3500;
		this.grab = opts.grab ?? grabFrame;
		this.onListening = opts.onListening;
		this.channel.addEventListener('message', this.onMessage);
		this.timer = setInterval(() => this.heartbeat(), opts.heartbeatMs ?? 1000);
	}

	/** A projector said hello within the last few seconds. */
	get listening(): boolean {
		return this.now() - this.lastHello < this.listenMs;
	}

	/** The projector shows this window (or has not picked one yet). */
	get followed(): boolean {
		return this.following === null || this.following === this.id;
	}

	/** This window takes the projector (it was focused, or a key was pressed in it). */
	takeLead(): void {
		this.post(leadMessage(this.id, this.clock()));
	}

	/** The projector's state changed (sent at once while a projector listens to this window, and with every heartbeat). */
	setState(state: PresentState): void {
		this.state = state;
		if (this.listening && this.followed) this.post(stateMessage(state, this.id));
	}

	/**
	 * A new frame is on `canvas`: sends a copy when a projector listens, no frame is being grabbed and
	 * the last went out at least 1/maxFps ago. Resolves true when this frame was sent.
	 */
	async publishFrame(canvas: FrameSourceCanvas | null, force = false): Promise<boolean> {
		this.latest = canvas;
		if (!canvas || this.closed || !this.listening || !this.followed || canvas.width === 0) return false;
		const now = this.now();
		if (this.inFlight || (!force && now - this.lastFrameAt < this.minGapMs)) {
			this.skipped++;
			return false;
		}
		this.inFlight = true;
		this.lastFrameAt = now;
		try {
			const image = await this.grab(canvas, this.mode);
			if (this.closed) return false;
			try {
				this.post(frameMessage(++this.seq, image, this.id));
			} catch (err) {
				// A browser that cannot clone an ImageBitmap over a channel: send the pixels from now on.
				if (this.mode !== 'bitmap' || (err as Error)?.name !== 'DataCloneError') throw err;
				this.mode = 'imagedata';
				this.post(frameMessage(this.seq, await this.grab(canvas, this.mode), this.id));
			} finally {
				if ('close' in image) image.close();
			}
			this.sent++;
			return true;
		} finally {
			this.inFlight = false;
		}
	}

	dispose(): void {
		if (this.closed) return;
		clearInterval(this.timer);
		this.post(byeMessage(this.id));
		this.closed = true;
		this.channel.removeEventListener('message', this.onMessage);
		this.channel.close();
	}

	private onMessage = (e: MessageEvent) => {
		const hello = decodeProjectorMessage(e.data);
		if (!hello) return;
		const catchUp = hello.fresh || !this.listening;
		this.lastHello = this.now();
		this.following = hello.following;
		this.checkListening();
		if (!catchUp || !this.followed) return; // a heartbeat (the projector has the state and gets the next frame), or another window is shown
		if (this.state) this.post(stateMessage(this.state, this.id));
		void this.publishFrame(this.latest, true).catch(() => {});
	};

	private heartbeat(): void {
		this.checkListening();
		if (this.state && this.listening && this.followed) this.post(stateMessage(this.state, this.id));
	}

	private checkListening(): void {
		const on = this.listening;
		if (on !== this.wasListening) {
			this.wasListening = on;
			this.onListening?.(on);
		}
		const followed = this.followed;
		if (followed !== this.wasFollowed) {
			this.wasFollowed = followed;
			this.onFollowed?.(followed);
		}
	}

	private post(msg: TeacherMessage): void {
		if (!this.closed) this.channel.postMessage(msg);
	}
}

/** The canvas's picture as an ImageBitmap (clones over a BroadcastChannel in Chromium) or as ImageData. */
async function grabFrame(canvas: FrameSourceCanvas, as: 'bitmap' | 'imagedata'): Promise<FrameImage> {
	if (as === 'bitmap') return createImageBitmap(canvas);
	const copy = document.createElement('canvas');
	copy.width = canvas.width;
	copy.height = canvas.height;
	const ctx = copy.getContext('2d', { willReadFrequently: true });
	if (!ctx) throw new Error('2D canvas is not available.');
	ctx.drawImage(canvas, 0, 0);
	return ctx.getImageData(0, 0, copy.width, copy.height);
}
