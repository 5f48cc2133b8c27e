/**
 * What travels with every frame: the settings snapshot a pipeline processes it with (the style blend,
 * the heat map to overlay, the size …) and the timings that come back. Plain data and types only — no
 * tfjs, no state — so the state classes, the pipelines, the style worker's protocol and the projector
 * can all import it without pulling the frame engine in.
 */
import type { ColormapName } from '../render/colormap-stops';
import type { ScalarMap } from '../render/pixels';

export interface StyleSnapshot {
	/** One weight per style, summing to 1. */
	weights: number[];
	/** 0 = the camera image, 1 = full style. */
	strength: number;
	stabilize: boolean;
	/** Keep colours: 0 = the painting's colours, 1 = the photo's (stylize/colour.ts); applied before stabilization. */
	keepColours: number;
	/** Detail from the camera frame when a larger guide frame comes along (stylize/guided.ts): 0 = plain upscale. */
	detail: number;
}

export interface OverlaySnapshot {
	map: ScalarMap;
	opacity: number;
	colormap: ColormapName;
}

/** Everything a pipeline needs to process one frame. Plain data: it crosses to the worker as is. */
export interface FrameSettings {
	/** Processing size (the frame is scaled to it before it reaches the engine). */
	width: number;
	height: number;
	mirror: boolean;
	sideBySide: boolean;
	/** null: style off (or no network loaded). */
	style: StyleSnapshot | null;
	overlay: OverlaySnapshot | null;
	/**
	 * Size of the guide frame (the camera frame at a larger size than the processing size) the
	 * pipeline grabs as well, for detail from the camera frame; null: none, the output is the processing size.
	 */
	guide: { width: number; height: number } | null;
	/** Keep copies of the raw and shown frame for an explanation. */
	capture: boolean;
	/** Tests: busy-wait this long per frame (a slow machine). */
	debugDelayMs: number;
}

/** Where the time of a frame went, in ms (meaningful where ops run synchronously: wasm and cpu). */
export interface StepTimings {
	input: number;
	style: number;
	/** Keep colours (0 when off). */
	colour: number;
	stabilize: number;
	/** Detail from the camera frame (0 when off). */
	detail: number;
	overlay: number;
	draw: number;
	total: number;
}
