/**
 * The kiosk: the studio with a controller on top. It animates the style blend through the cycle
 * (kiosk/schedule.ts), watches the camera for people (kiosk/motion.ts) and switches to the attract
 * loop when nobody is there, pauses while the tab is hidden, and keeps an event log (kiosk/event-log.ts)
 * of everything that went wrong and how it healed. The healing itself is the studio's: the source
 * falls back to the demo scene and picks the camera up again, a lost WebGL context switches backends,
 * a crashed worker is restarted, a failed frame costs that frame only.
 */
import { untrack } from 'svelte';
import { DemoSource } from '../camera/demo';
import { listCameras } from '../camera/webcam';
import { resolveStops, type KioskConfig } from '../kiosk/config';
import { EventLog, type KioskEvent, type KioskEventKind, type KioskEventLevel } from '../kiosk/event-log';
import { GreySampler, MotionDetector } from '../kiosk/motion';
import { cycleAt, type Stop } from '../kiosk/schedule';
import type { StudioState } from './studio.svelte';

/** live: the camera; attract: nobody there, the demo scene and the attract text; demo: no camera to be had. */
export type KioskMode = 'starting' | 'live' | 'attract' | 'demo';

/** How often the camera is looked at for motion. */
const MOTION_EVERY_MS = 250;
/** A camera that is listed but not open is tried again this often (devicechange covers unplug/replug). */
const CAMERA_RETRY_MS = 30_000;
/** A studio that could not start at all reloads the page after this long. */
const RELOAD_AFTER_FAILURE_MS = 60_000;

export class KioskState {
	mode = $state<KioskMode>('starting');
	/** The stop on screen now (a painting, or a blend). */
	caption = $state('');
	staffOpen = $state(false);
	/** The event log, oldest first (a copy, refreshed on each event). */
	events = $state.raw<KioskEvent[]>([]);
	/** The last motion level seen (share of the picture that changed). */
	motionLevel = $state(0);
	hidden = $state(false);
	readonly startedAt = Date.now();

	private readonly log = new EventLog();
	private stops: Stop[] = [];
	private stylesKey = '';
	private cycleStart = 0;
	private lastIndex = -1;
	private readonly detector: MotionDetector;
	private sampler: GreySampler | null = null;
	private attractSource: DemoSource | null = null;
	private sourceKind: string | null = null;
	private timers: ReturnType<typeof setInterval>[] = [];
	private stopEffects: (() => void) | null = null;
	private lastCameraTry = 0;
	private wakeLock: { release(): Promise<void> } | null = null;
	private wakeLockRefused = false;
	private disposed = false;

	constructor(
		readonly studio: StudioState,
		readonly config: KioskConfig,
		private readonly problems: string[] = []
	) {
		this.detector = new MotionDetector({ threshold: config.motion, holdMs: config.idleMs }, performance.now());
	}

	/** A model that could not load (style or classifier), or a studio that could not start: shown small on screen. */
	get problem(): string | null {
		const s = this.studio;
		return s.style.error ?? s.explain.error ?? (s.status === 'failed' ? s.error : null);
	}

	async start(): Promise<void> {
		const s = this.studio;
		const c = this.config;
		this.record('start', 'info', `kiosk started: ${c.stops ? `${c.stops.length} stop${c.stops.length > 1 ? 's' : ''}` : 'every style'}, ${c.periodMs / 1000} s each with a ${c.fadeMs / 1000} s cross-fade, resolution ${c.resolution}, attract after ${c.idleMs ? `${c.idleMs / 1000} s` : 'never'}`);
		for (const p of this.problems) this.record('config', 'warning', p);
		s.onEvent = (e) => this.record(e.kind, e.level, e.message);
		s.beforeFrame = (now) => this.animate(now);
		this.applySettings();
		document.addEventListener('visibilitychange', this.onVisibility);
		this.stopEffects = $effect.root(() => {
			$effect(() => {
				const kind = s.source.kind;
				const notice = s.source.notice;
				untrack(() => this.sourceChanged(kind, notice?.text ?? null));
			});
			$effect(() => {
				const styles = s.style.styles;
				untrack(() => this.useStyles(styles));
			});
			$effect(() => {
				const err = s.style.error;
				if (err) untrack(() => this.record('model', 'error', err));
			});
			$effect(() => {
				const err = s.explain.error;
				if (err) untrack(() => this.record('model', 'error', err));
			});
		});
		this.timers.push(setInterval(this.checkMotion, MOTION_EVERY_MS), setInterval(this.checkCamera, 5000));
		this.onVisibility();
		this.keepScreenOn();
		await s.start(c.studio);
		if (s.status === 'failed' && !this.disposed) {
			this.record('backend', 'error', `the studio could not start: ${s.error}; reloading in ${RELOAD_AFTER_FAILURE_MS / 1000} s`);
			this.timers.push(setTimeout(() => location.reload(), RELOAD_AFTER_FAILURE_MS));
		}
	}

	/** Puts every setting back to the address's (at start, when the attract loop starts and when it ends). */
	applySettings(): void {
		const c = this.config;
		const st = this.studio.style;
		st.enabled = true;
		st.strength = c.strength;
		st.stabilize = true;
		st.keepColours = c.colours > 0;
		st.colourAmount = c.colours > 0 ? c.colours : 1;
		st.resolution = c.resolution;
		this.studio.mirror = c.mirror;
		this.studio.sideBySide = false;
		const ex = this.studio.explain;
		ex.target = 'raw';
		ex.method = 'gradcam';
		ex.showCam = c.gradcam;
		ex.classIndex = null;
		ex.showActivations = false;
		ex.channel = null;
		if (ex.enabled !== c.studio.explain) void ex.setEnabled(c.studio.explain);
		this.cycleStart = performance.now();
		this.lastIndex = -1;
	}

	/** Before each frame: the blend for this moment of the cycle. */
	private animate(now: number): void {
		if (this.stops.length === 0) return;
		const c = cycleAt(this.stops, { periodMs: this.config.periodMs, fadeMs: this.config.fadeMs }, now - this.cycleStart);
		// Outside a fade the blend only changes when the stop does.
		if (c.mix > 0 || c.index !== this.lastIndex) this.studio.style.setWeights(c.weights);
		this.lastIndex = c.mix > 0 ? -1 : c.index;
		if (c.label !== this.caption) this.caption = c.label;
	}

	private useStyles(styles: readonly import('../models/style-net').StyleInfo[]): void {
		const key = styles.map((x) => x.id).join(',');
		if (key === this.stylesKey) return; // the same network again (after a backend switch)
		this.stylesKey = key;
		const problems: string[] = [];
		this.stops = resolveStops(this.config.stops, styles, problems);
		for (const p of problems) this.record('config', 'warning', p);
		this.lastIndex = -1;
	}

	private sourceChanged(kind: string | null, notice: string | null): void {
		if (kind === null || kind === this.sourceKind) return;
		const first = this.sourceKind === null;
		this.sourceKind = kind;
		const now = performance.now();
		if (kind === 'camera') {
			this.detector.reset(now);
			this.record('camera', 'info', `${first ? 'camera on' : 'the camera is back'}: ${this.studio.source.label}`);
			this.endAttract();
			this.mode = 'live';
		} else {
			this.endAttract();
			this.mode = 'demo';
			const why = notice ?? (this.config.studio.camera ? 'no camera' : 'camera off (camera=0)');
			this.record('camera', notice ? 'warning' : 'info', `showing the demo scene: ${why}`);
		}
	}

	private checkMotion = () => {
		if (this.studio.paused || this.config.idleMs === 0) return;
		const src = this.studio.source.current;
		if (src?.kind !== 'camera' || !(src.width > 0)) return;
		try {
			this.sampler ??= new GreySampler();
			const r = this.detector.update(this.sampler.sample(src.element), performance.now());
			this.motionLevel = r.level;
			if (this.mode === 'live' && r.idle) this.beginAttract();
			else if (this.mode === 'attract' && r.moving) {
				this.endAttract();
				this.mode = 'live';
				this.applySettings();
				this.record('attract', 'info', `someone is there (${(r.level * 100).toFixed(1)} % of the picture moved): back to the camera, settings from the address`);
			}
		} catch (err) {
			this.record('camera', 'warning', `the motion check failed: ${err instanceof Error ? err.message : String(err)}`);
		}
	};

	private beginAttract(): void {
		this.mode = 'attract';
		this.attractSource = new DemoSource(640, 480, this.config.studio.demoFps);
		this.studio.showSource = this.attractSource;
		this.applySettings();
		this.record('attract', 'info', `nobody in front of the camera for ${this.config.idleMs / 1000} s: attract loop, settings from the address`);
	}

	private endAttract(): void {
		this.studio.showSource = null;
		this.attractSource?.stop();
		this.attractSource = null;
	}

	/** A camera that is listed but not open (a glitch that sent no devicechange) is tried again now and then. */
	private checkCamera = async () => {
		const src = this.studio.source;
		const now = performance.now();
		if (this.studio.paused || !src.wantCamera || src.kind === 'camera' || src.busy || now - this.lastCameraTry < CAMERA_RETRY_MS) return;
		this.lastCameraTry = now;
		try {
			if ((await listCameras()).length === 0) return;
		} catch {
			return;
		}
		this.record('camera', 'info', 'a camera is listed but not open: trying it again');
		await src.useCamera();
	};

	private onVisibility = () => {
		const hidden = document.visibilityState === 'hidden';
		if (hidden === this.hidden) return;
		this.hidden = hidden;
		if (hidden) {
			this.studio.pause();
			this.record('visibility', 'info', 'the tab is hidden: paused (no frames processed)');
		} else {
			this.studio.resume();
			this.detector.reset(performance.now());
			this.record('visibility', 'info', 'the tab is visible again: resumed');
			this.keepScreenOn();
		}
	};

	/** Asks the browser to keep the screen on (a wake lock is dropped whenever the tab is hidden). */
	private async keepScreenOn(): Promise<void> {
		const wl = (navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<{ release(): Promise<void> }> } }).wakeLock;
		if (!wl || this.hidden) return;
		try {
			this.wakeLock = await wl.request('screen');
		} catch (err) {
			if (this.wakeLockRefused) return;
			this.wakeLockRefused = true;
			this.record('start', 'info', `the screen may turn off: no wake lock (${err instanceof Error ? err.message : String(err)})`);
		}
	}

	openStaff(how: string): void {
		if (this.staffOpen) return;
		this.staffOpen = true;
		this.record('staff', 'info', `staff panel opened (${how})`);
	}

	closeStaff(): void {
		this.staffOpen = false;
	}

	record(kind: KioskEventKind, level: KioskEventLevel, message: string): void {
		const added = this.log.push({ at: Date.now(), kind, level, message });
		this.events = this.log.entries();
		// The console too (remote debugging), once per new entry: a fault on every frame is not written 30 times a second.
		if (added) (level === 'error' ? console.error : level === 'warning' ? console.warn : console.info)(`[kiosk] ${kind}: ${message}`);
	}

	/** Held events of one kind (tests). */
	count(kind: KioskEventKind): number {
		return this.log.count(kind);
	}

	dispose(): void {
		this.disposed = true;
		for (const t of this.timers) clearInterval(t);
		this.timers = [];
		document.removeEventListener('visibilitychange', this.onVisibility);
		this.stopEffects?.();
		this.endAttract();
		this.wakeLock?.release().catch(() => {});
		this.studio.onEvent = null;
		this.studio.beforeFrame = null;
		this.studio.dispose();
	}
}
