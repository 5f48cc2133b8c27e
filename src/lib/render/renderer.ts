import type * as tf from '@tensorflow/tfjs';

/** Puts a float [H, W, 3] image in [0, 1] on screen. */
export interface FrameRenderer {
	readonly canvas: HTMLCanvasElement;
	/** 'gpu' draws from a texture without reading pixels back; 'cpu' reads them back. */
	readonly path: 'gpu' | 'cpu';
	draw(image: tf.Tensor3D): Promise<void> | void;
	dispose(): void;
}
