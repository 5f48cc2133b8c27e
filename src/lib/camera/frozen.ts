import type { FrameSource } from './types';

/**
 * Freeze frame: a copy of one frame of another source, held in a canvas. It keeps that source's kind
 * (so a frozen camera frame is mirrored like the camera) and says "new frame" on every animation frame,
 * like a still image, so style, strength and explanations keep applying to the held picture.
 */
export class FrozenFrame implements FrameSource {
	readonly element: HTMLCanvasElement;
	readonly kind: FrameSource['kind'];
	readonly label: string;

	private constructor(from: FrameSource) {
		this.kind = from.kind;
		this.label = `${from.label} (frozen)`;
		this.element = document.createElement('canvas');
		this.element.width = from.width;
		this.element.height = from.height;
		const ctx = this.element.getContext('2d');
		if (!ctx) throw new Error('2D canvas is not available.');
		ctx.drawImage(from.element, 0, 0, from.width, from.height);
	}

	/** The frame `from` shows now; null when it has none yet. */
	static of(from: FrameSource | null): FrozenFrame | null {
		return from && from.width > 0 && from.height > 0 ? new FrozenFrame(from) : null;
	}

	get width(): number {
		return this.element.width;
	}
	get height(): number {
		return this.element.height;
	}

	advance(): boolean {
		return true;
	}

	stop(): void {
		this.element.width = 0;
		this.element.height = 0;
	}
}
