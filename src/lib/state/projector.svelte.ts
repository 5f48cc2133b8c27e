import {
	CHANNEL_NAME,
	decodeTeacherMessage,
	helloMessage,
	type FrameImage,
	type PresentState
} from '../classroom/sync';
import { Follower } from '../classroom/follow';
import { paintHeat } from '../render/heat-canvas';

export interface ProjectorOptions {
	channel?: BroadcastChannel;
	/** Hello (and heartbeat) interval (default 1000 ms). */
	helloMs?: number;
	/** The teacher's window counts as gone after this long without a message (default 3500 ms; it sends state every second). */
	quietMs?: number;
	now?: () => number;
}

/**
 * The projector window (/present): listens to the teacher's window over the channel (protocol:
 * classroom/sync.ts), draws each frame it gets on its canvas (with the heat map over it when the
 * teacher sends one), and says hello every second so the teacher knows to send frames. It waits —
 * "Waiting for the teacher's window…" — until a frame comes, and again when the teacher's window
 * says goodbye or goes quiet; a reloaded teacher's window answers the next hello. With the studio open
 * in several windows it follows one (classroom/follow.ts: the one that last took the lead), names it
 * (`following`), and shows only that window's frames and state.
 */
export class ProjectorState {
	status = $state<'waiting' | 'live'>('waiting');
	state = $state.raw<PresentState | null>(null);
	/** Frames drawn (tests and the diagnostics line). */
	frames = $state(0);
	width = $state(0);
	height = $state(0);
	/** The teacher window shown (its id), or null before one is heard. */
	following = $state<string | null>(null);
	/** The canvas frames are drawn on (set by the page). */
	canvas: HTMLCanvasElement | null = null;
	private readonly channel: BroadcastChannel;
	private readonly now: () => number;
	private readonly quietMs: number;
	private readonly timer: ReturnType<typeof setInterval>;
	private readonly follower = new Follower();
	private scratch: HTMLCanvasElement | null = null;

	constructor(opts: ProjectorOptions = {}) {
		this.channel = opts.channel ?? new BroadcastChannel(CHANNEL_NAME);
		this.now = opts.now ?? (() => performance.now());
		this.quietMs = opts.quietMs ?? 3500;
		this.channel.addEventListener('message', this.onMessage);
		this.channel.postMessage(helloMessage(true));
		this.timer = setInterval(() => this.tick(), opts.helloMs ?? 1000);
	}

	private tick(): void {
		// The followed window went quiet (a crashed tab): wait for the next one heard.
		if (this.follower.expire(this.now(), this.quietMs)) this.switched();
		this.channel.postMessage(helloMessage(false, this.follower.id));
	}

	/**
	 * Another window is followed (or none): nothing of the last one stays on screen. A window that took the
	 * lead was silent until now: it is asked to catch up (state and newest frame) at once.
	 */
	private switched(askToCatchUp = false): void {
		this.following = this.follower.id;
		this.state = null;
		this.status = 'waiting';
		if (askToCatchUp && this.follower.id !== null) this.channel.postMessage(helloMessage(true, this.follower.id));
	}

	private onMessage = (e: MessageEvent) => {
		const msg = decodeTeacherMessage(e.data);
		if (!msg) return;
		const { show, switched } = this.follower.take(msg, this.now());
		if (switched) this.switched(msg.type === 'lead');
		if (!show) return;
		if (msg.type === 'bye') {
			this.status = 'waiting';
		} else if (msg.type === 'lead') {
			return;
		} else if (msg.type === 'state') {
			this.state = msg.state;
		} else {
			this.draw(msg.image);
			this.status = 'live';
		}
	};

	private draw(image: FrameImage): void {
		const c = this.canvas;
		const ctx = c?.getContext('2d');
		if (!c || !ctx) return;
		if (c.width !== image.width || c.height !== image.height) {
			c.width = image.width;
			c.height = image.height;
			this.width = image.width;
			this.height = image.height;
		}
		if ('data' in image) ctx.putImageData(image, 0, 0);
		else {
			ctx.drawImage(image, 0, 0);
			image.close();
		}
		const heat = this.state?.heat;
		if (heat) paintHeat(ctx, heat, 0, 0, c.width, c.height, (this.scratch ??= document.createElement('canvas')));
		this.frames++;
	}

	dispose(): void {
		clearInterval(this.timer);
		this.channel.removeEventListener('message', this.onMessage);
		this.channel.close();
	}
}
