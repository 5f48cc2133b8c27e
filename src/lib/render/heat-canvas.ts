/**
 * A small heat map laid over a picture on a 2D canvas, for views that draw without tfjs (the presenter
 * layout's Grad-CAM panel, the projector window). The map (7×7 for conv5, at most a few thousand values)
 * is coloured at its own size, then stretched with the canvas's bilinear smoothing and blended at the
 * given opacity — like the frame engine's overlay(), which also interpolates colours rather than values.
 */
import { colorAt, type ColormapName } from './colormap-stops';
import type { ScalarMap } from './pixels';
import type { OverlaySnapshot } from '../live/settings';

/** A map, its colours and opacity: the frame engine's overlay snapshot. */
export type HeatLayer = OverlaySnapshot;

/** RGBA bytes of the map coloured with the colormap (values clipped to [0, 1]). */
export function colorizeMap(map: ScalarMap, colormap: ColormapName): Uint8ClampedArray<ArrayBuffer> {
	const out = new Uint8ClampedArray(map.width * map.height * 4);
	for (let i = 0; i < map.data.length; i++) {
		const [r, g, b] = colorAt(colormap, map.data[i]);
		out.set([r, g, b, 255], i * 4);
	}
	return out;
}

/** Draws `heat` over the rectangle (x, y, w, h) of `ctx`. `scratch` holds the coloured map (reused). */
export function paintHeat(ctx: CanvasRenderingContext2D, heat: HeatLayer, x: number, y: number, w: number, h: number, scratch: HTMLCanvasElement): void {
	const { map } = heat;
	if (scratch.width !== map.width || scratch.height !== map.height) {
		scratch.width = map.width;
		scratch.height = map.height;
	}
	const sctx = scratch.getContext('2d');
	if (!sctx) return;
	sctx.putImageData(new ImageData(colorizeMap(map, heat.colormap), map.width, map.height), 0, 0);
	ctx.save();
	ctx.imageSmoothingEnabled = true;
	ctx.imageSmoothingQuality = 'high';
	ctx.globalAlpha = Math.min(1, Math.max(0, heat.opacity));
	ctx.drawImage(scratch, x, y, w, h);
	ctx.restore();
}
