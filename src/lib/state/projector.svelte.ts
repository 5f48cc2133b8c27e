import {
	CHANNEL_NAME,
	decodeTeacherMessage,
	helloMessage,
	type FrameImage,
	type PresentState
} from '../classroom/sync';
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
 * says goodbye or goes quiet; a reloaded teacher's window answers the next hello.
 */
export class ProjectorState {
	status = $state<'waiting' | 'live'>('waiting');
	state = $state.raw<PresentState | null>(null);
	/** Frames drawn (tests and the diagnostics line). */
	frames = $state(0);
	width = $state(0);
	height = $state(0);
	/** The canvas frames are drawn on (set by the page). */
	canvas: HTMLCanvasElement | null = null;
	private readonly channel: BroadcastChannel;
	private readonly now: () => number;
	private readonly quietMs: number;
	private readonly timer: ReturnType<typeof setInterval>;
	private lastMessage = -Infinity;
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
		this.channel.postMessage(helloMessage(false));
		if (this.status === 'live' && this.now() - this.lastMessage > this.quietMs) this.status = 'waiting';
	}

	private onMessage = (e: MessageEvent) => {
		const msg = decodeTeacherMessage(e.data);
		if (!msg) return;
		this.lastMessage = this.now();
		if (msg.type === 'bye') {
			this.status = 'waiting';
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
