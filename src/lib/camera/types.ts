/** A source of frames for the live loop. */
export type SourceKind = 'camera' | 'demo' | 'image';

export interface FrameSource {
	readonly kind: SourceKind;
	/** What the live loop reads pixels from. */
	readonly element: HTMLVideoElement | HTMLCanvasElement;
	readonly width: number;
	readonly height: number;
	/** A short human label (camera name, "Demo scene", file name). */
	readonly label: string;
	/**
	 * Called once per animation frame before reading. Returns true when a new frame is there
	 * since the last call (the loop skips work otherwise).
	 */
	advance(now: number): boolean;
	/** Stops tracks / animation and frees resources. Safe to call twice. */
	stop(): void;
}

export interface CameraDevice {
	deviceId: string;
	label: string;
}
