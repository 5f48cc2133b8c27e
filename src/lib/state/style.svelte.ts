import { extraStyles, usedExtraStyles } from '../learn/extra-styles';
import { LearnedStyleStore } from '../learn/store';
import { oneHot, STYLE_NET_URL, type ExtraStyle, type StyleInfo } from '../models/style-net';
import { AutoResolution, defaultTargetFps } from '../stylize/auto-resolution';
import { carryBlend, expand, normalize, padWeights, setWeight } from '../stylize/blend';
import type { StyleSnapshot } from '../live/settings';
import type { BackendFeature, Runtime } from '../live/runtime';

/** 'auto' or a processing short side in pixels (the studio offers RESOLUTION_CHOICES; the kiosk's ?res= any). */
export type ResolutionChoice = 'auto' | number;
export const RESOLUTION_CHOICES: ResolutionChoice[] = ['auto', 256, 360, 480, 720];
export type BlendMode = 'single' | 'sliders' | 'pad';

/**
 * Live style transfer settings. The network itself lives where the frames are processed (the page
 * on WebGL, the style worker on the CPU path); this holds its style list and what the person set.
 * Blend weights are always a normalized vector over all styles; the three modes (one style, sliders,
 * blend pad) only differ in how a person sets it.
 */
/** Auto resolution judges no frame in the first 3 s of new workers or a new size (their first frames are slow). */
const AUTO_WARMUP_MS = 3000;

export class StyleState implements BackendFeature {
	readonly name = 'style';
	styles = $state.raw<StyleInfo[]>([]);
	status = $state<'idle' | 'loading' | 'ready' | 'failed'>('idle');
	error = $state<string | null>(null);
	/** Learned styles left out because they were learned for another version of the network (null: none). */
	learnedError = $state<string | null>(null);
	enabled = $state(true);
	mode = $state<BlendMode>('single');
	selected = $state(0);
	weights = $state.raw<number[]>([]);
	strength = $state(1);
	stabilize = $state(true);
	/** Keep colours: the photo's colours with the painting's strokes (stylize/colour.ts). */
	keepColours = $state(false);
	/** How much of the photo's colours when keepColours is on: 0 the painting's … 1 the photo's. */
	colourAmount = $state(1);
	/** Detail from the camera frame (stylize/guided.ts) when the processing size is below the camera's and the screen's: 0 = plain upscale. */
	detail = $state(0);
	resolution = $state<ResolutionChoice>('auto');
	/** The short side auto mode chose last. */
	autoSide = $state(256);
	targetFps = $state(24);
	padStyles = $state.raw<number[]>([0, 1, 2, 3]);
	padPoint = $state.raw({ x: 0.5, y: 0.5 });
	/** How many of `styles` are learned on this device (they follow the built-in ones). */
	learnedCount = $state(0);
	/** The learned styles' rows, as the network got them (a full-size still's own network needs them too). */
	learned: readonly ExtraStyle[] = [];
	/** The network's own styles (the twelve), kept to add the learned ones again. */
	private builtIn: StyleInfo[] = [];
	private auto = new AutoResolution({ targetFps: 24, start: 256, warmupMs: AUTO_WARMUP_MS });
	private lastAutoCheck = 0;
	private targetChosen = false;

	get active(): boolean {
		return this.enabled && this.status === 'ready';
	}

	/** Processing short side while style is active. */
	get shortSide(): number {
		return this.resolution === 'auto' ? this.autoSide : this.resolution;
	}

	/** Loads the network into the runtime's pipeline (at start, and again after a backend change). */
	async load(rt: Runtime): Promise<void> {
		this.status = 'loading';
		this.error = null;
		try {
			this.builtIn = await rt.pipeline.loadStyle(STYLE_NET_URL);
			// One style list, learned ones included: the kiosk resolves its `styles=` against it once.
			await this.loadLearned(rt);
			this.status = 'ready';
		} catch (err) {
			this.status = 'failed';
			this.error = `The style network could not be loaded, so style transfer is off: ${err instanceof Error ? err.message : String(err)}`;
		}
	}

	/**
	 * Reads the learned styles again while the network is loaded: one was saved, imported or deleted in
	 * another window (the store announces it). Returns a sentence when the blend lost a style, else null.
	 */
	async reloadLearned(rt: Runtime): Promise<string | null> {
		if (this.status !== 'ready') return null; // a load in progress reads the store itself
		return this.loadLearned(rt);
	}

	/**
	 * The styles learned on this device (learn/, kept in IndexedDB) as styles 13, 14 … after the built-in
	 * ones. A store that cannot be opened, or a style that does not fit this network, is reported, not fatal.
	 */
	private async loadLearned(rt: Runtime): Promise<string | null> {
		const builtIn = this.builtIn;
		let learned: Awaited<ReturnType<LearnedStyleStore['list']>> = [];
		try {
			const store = await LearnedStyleStore.open();
			learned = await store.list();
			store.close();
		} catch {
			/* no IndexedDB (private mode): only the built-in styles */
		}
		try {
			const extra = extraStyles(learned, builtIn);
			const styles = await rt.pipeline.setExtraStyles(extra);
			// The network leaves out rows learned for another version of it (stored before an update).
			const { used, leftOut } = usedExtraStyles(extra, styles);
			this.learned = used;
			this.learnedError = leftOut;
			return this.setStyles(styles.length ? styles : builtIn, used.length);
		} catch (err) {
			this.learned = [];
			await rt.pipeline.setExtraStyles([]).catch(() => {});
			this.error = `Your learned styles could not be added: ${err instanceof Error ? err.message : String(err)}`;
			return this.setStyles(builtIn);
		}
	}

	/**
	 * A new style list: the blend, the selected style and the pad's styles follow their ids (stylize/blend.ts
	 * `carryBlend`); a removed style's weight goes. When nothing of the blend is left it falls back to the
	 * first style, alone. Returns a sentence naming the removed styles the blend used (null: none).
	 */
	private setStyles(styles: StyleInfo[], learnedCount = 0): string | null {
		const before = this.styles;
		const c = carryBlend(
			before.map((s) => s.id),
			styles.map((s) => s.id),
			this
		);
		const n = styles.length;
		this.styles = styles;
		this.learnedCount = learnedCount;
		this.selected = c.selected;
		const padChanged = c.padStyles.length !== this.padStyles.length;
		this.padStyles = c.padStyles;
		if (!c.weights) {
			this.mode = 'single';
			this.weights = oneHot(c.selected, n);
		} else if (this.mode === 'pad' && padChanged) {
			this.weights = expand(n, c.padStyles, padWeights(c.padStyles.length as 2 | 3 | 4, this.padPoint.x, this.padPoint.y));
		} else {
			this.weights = c.weights;
		}
		if (!c.lost.length) return null;
		const names = c.lost.map((i) => `“${before[i].title}”`).join(' and ');
		return c.weights ? `${names} ${c.lost.length > 1 ? 'were' : 'was'} deleted: the blend goes on without ${c.lost.length > 1 ? 'them' : 'it'}.` : `${names} ${c.lost.length > 1 ? 'were' : 'was'} deleted: back to ${styles[c.selected]?.title ?? 'the first style'}.`;
	}

	/** The pipeline frees the network with its backend; only the status changes here. */
	unload(): void {
		if (this.status === 'ready' || this.status === 'loading') this.status = 'idle';
	}

	/** What the pipeline needs for the next frame (null: style off). */
	snapshot(): StyleSnapshot | null {
		if (!this.active) return null;
		return {
			weights: [...this.weights],
			strength: this.strength,
			stabilize: this.stabilize,
			keepColours: this.keepColours ? this.colourAmount : 0,
			detail: this.detail
		};
	}

	select(index: number): void {
		this.selected = index;
		this.mode = 'single';
		this.weights = oneHot(index, this.styles.length);
	}

	setSlider(index: number, value: number): void {
		this.mode = 'sliders';
		this.weights = setWeight(this.weights, index, value);
	}

	/** A blend over all styles; one of another length (a list that just changed under the kiosk's cycle) is ignored. */
	setWeights(weights: number[]): void {
		const w = normalize(weights);
		if (w && w.length === this.styles.length) this.weights = w;
	}

	setPad(point: { x: number; y: number }, styles = this.padStyles): void {
		this.mode = 'pad';
		this.padPoint = point;
		this.padStyles = styles;
		const local = padWeights(styles.length as 2 | 3 | 4, point.x, point.y);
		this.weights = expand(this.styles.length, styles, local);
	}

	/** Keys: the style `delta` places from the selected one (wrapping), alone. */
	step(delta: number): void {
		const n = this.styles.length;
		if (n > 0) this.select((((this.selected + delta) % n) + n) % n);
	}

	/** Keys: moves the blend `amount` toward the style `delta` places from the selected one; reaching it selects it. */
	blendStep(delta: number, amount: number): void {
		const n = this.styles.length;
		if (n === 0) return;
		const target = (((this.selected + delta) % n) + n) % n;
		const w = (this.weights[target] ?? 0) + amount;
		if (w >= 1 - 1e-6) return this.select(target);
		this.mode = 'sliders';
		this.weights = setWeight(this.weights, target, w);
	}

	/** Strength clipped to [0, 1] and rounded to whole percents (keys step it by 0.1). */
	setStrength(value: number): void {
		this.strength = Math.min(1, Math.max(0, Math.round(value * 100) / 100));
	}

	/** Keys: keep colours on / off. */
	toggleColours(): void {
		this.keepColours = !this.keepColours;
	}

	/** The amount of the photo's colours, clipped to [0, 1] (0 turns keep colours off, as painting's colours). */
	setColourAmount(value: number): void {
		this.colourAmount = Math.min(1, Math.max(0, Math.round(value * 100) / 100));
	}

	/** Detail from the camera frame, clipped to [0, 1]. */
	setDetail(value: number): void {
		this.detail = Math.min(1, Math.max(0, Math.round(value * 100) / 100));
	}

	/** Keys: the next resolution choice (auto → 256 → … → 720 → auto). */
	nextResolution(): void {
		const i = RESOLUTION_CHOICES.indexOf(this.resolution);
		this.resolution = RESOLUTION_CHOICES[(i + 1) % RESOLUTION_CHOICES.length];
	}

	/** The person's choice: kept over backend changes. */
	setTargetFps(fps: number): void {
		this.targetChosen = true;
		this.applyTargetFps(fps);
	}

	/**
	 * Frames are processed somewhere new (a runtime started: workers, backend): auto resolution warms up
	 * again, and the target follows where they run (a GPU or not), unless the person chose one.
	 */
	runtimeChanged(onGpu: boolean): void {
		this.auto.restart();
		if (!this.targetChosen) this.applyTargetFps(defaultTargetFps(onGpu));
	}

	private applyTargetFps(fps: number): void {
		this.targetFps = fps;
		this.auto.targetFps = fps;
	}

	/** Called with the loop's median frame time; returns true when the auto level changed. */
	observe(medianMs: number, now: number): boolean {
		if (this.resolution !== 'auto' || now - this.lastAutoCheck < 250) return false;
		this.lastAutoCheck = now;
		const side = this.auto.update(medianMs, now);
		if (side === this.autoSide) return false;
		this.autoSide = side;
		return true;
	}
}
