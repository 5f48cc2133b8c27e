import type { FrameSource } from './types';
import { drawDemoScene } from './demo-scene';

/** The built-in animated scene, drawn locally at a fixed size. */
export class DemoSource implements FrameSource {
	readonly kind = 'demo' as const;
	readonly label = 'Demo scene';
	readonly element: HTMLCanvasElement;
	private readonly ctx: CanvasRenderingContext2D;
	private readonly start = performance.now();
	private last = -Infinity;

	constructor(
		readonly width = 640,
		readonly height = 480,
		/** Frames per second the scene is redrawn at (a camera's rate). */
		private readonly fps = 30
	) {
		this.element = document.createElement('canvas');
		this.element.width = width;
		this.element.height = height;
		const ctx = this.element.getContext('2d', { willReadFrequently: true });
		if (!ctx) throw new Error('2D canvas is not available');
		this.ctx = ctx;
		drawDemoScene(ctx, width, height, 0);
	}

	advance(now: number): boolean {
		if (now - this.last < 1000 / this.fps - 1) return false;
		this.last = now;
		drawDemoScene(this.ctx, this.width, this.height, now - this.start);
		return true;
	}

	stop(): void {
		/* nothing held */
	}
}
