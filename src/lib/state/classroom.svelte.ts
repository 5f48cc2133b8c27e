import { BLEND_STEP, STRENGTH_STEP, type ShortcutHit } from '../classroom/shortcuts';
import { describeStyle } from '../classroom/describe';
import { presentLabels, type PresentState } from '../classroom/sync';
import { TeacherLink } from '../classroom/teacher-link';
import { PROJECTOR_WINDOW, openLabWindow, openNamed } from '../classroom/windows';
import type { StudioState } from './studio.svelte';

/** What the page does for the classroom that needs its elements. */
export interface ClassroomView {
	toggleFullscreen(): void;
}

/** The projector window's name: a second "open" brings the same window back instead of a new one. */

/**
 * The classroom around the studio: the presenter layout, the `?` overlay, the keyboard's actions
 * (classroom/shortcuts.ts names them) and the projector window, kept in step over a channel
 * (classroom/teacher-link.ts). Thin: each action calls the studio's own state.
 */
export class ClassroomState {
	presenter = $state(false);
	helpOpen = $state(false);
	/** Show the network's labels on the projector (when explanations are on). */
	projectorLabels = $state(true);
	/** A projector window listens (it said hello in the last few seconds). */
	projectorListening = $state(false);
	/** The projector shows this window (false: another studio window took the lead). */
	projectorFollowed = $state(true);
	/** This window's id, as the projector names it. */
	windowId = $state('');
	link: TeacherLink | null = null;
	private sideBySideBefore = false;
	private hudBefore = true;

	constructor(
		private readonly studio: StudioState,
		private readonly view: ClassroomView
	) {}

	/** Opens the channel to projector windows (in the browser, once the page is up); says goodbye when the page goes. */
	start(): void {
		this.link ??= new TeacherLink({ onListening: (on) => (this.projectorListening = on), onFollowed: (on) => (this.projectorFollowed = on) });
		this.windowId = this.link.id;
		window.addEventListener('pagehide', this.onPageHide);
		window.addEventListener('pageshow', this.onPageShow);
		// The window a teacher works in takes the projector: when it is focused, and with every key (run()).
		window.addEventListener('focus', this.takeLead);
		if (document.hasFocus()) this.takeLead();
	}

	/** This window takes the projector (another studio window had it). */
	takeLead = () => {
		this.link?.takeLead();
	};

	private onPageHide = () => {
		window.removeEventListener('focus', this.takeLead);
		this.link?.dispose();
		this.link = null;
		this.projectorListening = false;
	};

	/** Back from the browser's page cache: open the channel again. */
	private onPageShow = (e: PageTransitionEvent) => {
		if (e.persisted) this.start();
	};

	/** The style as the presenter layout and the projector name it. */
	get styleName(): string | null {
		const s = this.studio.style;
		return describeStyle(s.styles, s.weights, s.strength, s.active);
	}

	/** Runs one shortcut's action. */
	run(hit: ShortcutHit): void {
		const { style, explain } = this.studio;
		this.takeLead();
		switch (hit.id) {
			case 'style-prev':
				return style.step(-1);
			case 'style-next':
				return style.step(1);
			case 'style-pick':
				if (hit.index != null && hit.index < style.styles.length) style.select(hit.index);
				return;
			case 'blend-prev':
				return style.blendStep(-1, BLEND_STEP);
			case 'blend-next':
				return style.blendStep(1, BLEND_STEP);
			case 'strength-up':
				return style.setStrength(style.strength + STRENGTH_STEP);
			case 'strength-down':
				return style.setStrength(style.strength - STRENGTH_STEP);
			case 'resolution':
				return style.nextResolution();
			case 'colours':
				return style.toggleColours();
			case 'freeze':
				return this.studio.setFrozen(this.studio.frozen === null);
			case 'snapshot':
				void this.studio.capture.snapshot(() => this.studio.snapshot());
				return;
			case 'to-lab':
				// The tab opens inside the key press (no popup blocker objects); the frame follows.
				void this.studio.sendToLab('shown', openLabWindow());
				return;
			case 'to-gallery':
				void this.studio.burst.once(() => this.studio.saveToGallery('camera'));
				return;
			case 'explain':
				void explain.setEnabled(!explain.enabled);
				return;
			case 'cam':
				return this.toggleExplainView('showCam');
			case 'activations':
				return this.toggleExplainView('showActivations');
			case 'presenter':
				return this.setPresenter(!this.presenter);
			case 'projector':
				return this.openProjector();
			case 'projector-labels':
				this.projectorLabels = !this.projectorLabels;
				return;
			case 'fullscreen':
				return this.view.toggleFullscreen();
			case 'hud':
				this.studio.hudVisible = !this.studio.hudVisible;
				return;
			case 'mirror':
				this.studio.mirror = !this.studio.mirror;
				return;
			case 'help':
				this.helpOpen = !this.helpOpen;
				return;
			default: {
				// Every action of the shortcut table is handled above (a new one fails the type check here).
				const missing: never = hit.id;
				throw new Error(`classroom: no action "${String(missing)}"`);
			}
		}
	}

	/** The heat map or activation maps on/off; turning one on while explanations are off turns them on too. */
	private toggleExplainView(view: 'showCam' | 'showActivations'): void {
		const explain = this.studio.explain;
		if (!explain.enabled) {
			explain[view] = true;
			void explain.setEnabled(true);
		} else explain[view] = !explain[view];
	}

	/**
	 * Presenter layout: large panels (camera | stylized | Grad-CAM | activations), slim controls. The
	 * heat map gets a panel of its own there, so the stylized picture stays clean; side by side (the
	 * camera has its own panel) and the HUD (h brings it back) are off, and come back with the default layout.
	 */
	setPresenter(on: boolean): void {
		if (on === this.presenter) return;
		this.presenter = on;
		this.studio.explain.overlayOnFrame = !on;
		if (on) {
			this.sideBySideBefore = this.studio.sideBySide;
			this.hudBefore = this.studio.hudVisible;
			this.studio.sideBySide = false;
			this.studio.hudVisible = false;
		} else {
			this.studio.sideBySide = this.sideBySideBefore;
			this.studio.hudVisible = this.hudBefore;
		}
	}

	/** Opens the projector window (or brings it back); the teacher drags it to the projector's screen. */
	openProjector(): void {
		// One window under one name: pressed again, `o` brings it to the front (it keeps running, not reloaded).
		const win = openNamed(window, PROJECTOR_WINDOW, { url: '/present', features: 'popup,width=960,height=600' });
		if (!win) this.studio.notice = { level: 'warning', text: 'The browser blocked the projector window: allow pop-ups for this page, or open /present in a new window yourself.' };
	}

	/** What the projector shows besides the picture (plain data: it is cloned over the channel). */
	presentState(): PresentState {
		const { explain, style } = this.studio;
		const styleOn = style.active && style.strength > 0;
		const explaining = explain.active;
		const heat = explaining && !explain.overlayOnFrame ? explain.camLayer() : null;
		const label = explain.camLabel;
		// An enlarged channel replaces the heat map over the picture (ExplainState.overlay).
		const channelShown = explain.channel != null && explain.showActivations;
		const labels =
			explaining && this.projectorLabels
				? [
						{ title: 'Camera', top: presentLabels(explain.rawTop) },
						...(styleOn ? [{ title: 'Painting', top: presentLabels(explain.styledTop) }] : [])
					].filter((g) => g.top.length > 0)
				: null;
		return {
			style: this.styleName,
			frozen: this.studio.frozen !== null,
			labels: labels && labels.length > 0 ? labels : null,
			heat: heat ? { map: heat.map, colormap: heat.colormap, opacity: heat.opacity, label } : null,
			heatCaption: explaining && explain.overlayOnFrame && explain.showCam && !channelShown && label ? `Heat map: where the network looks to decide “${label}”` : null
		};
	}

	dispose(): void {
		window.removeEventListener('focus', this.takeLead);
		window.removeEventListener('pagehide', this.onPageHide);
		window.removeEventListener('pageshow', this.onPageShow);
		this.onPageHide();
	}
}
