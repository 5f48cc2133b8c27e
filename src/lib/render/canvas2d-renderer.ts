import * as tf from '@tensorflow/tfjs';
import type { FrameRenderer } from './renderer';
import { toRgbaBytes } from '../tf/image';

/**
 * For the wasm and cpu backends, whose tensors live in CPU memory anyway: RGBA bytes are made
 * by tensor ops, read once, and put on a 2D canvas.
 */
export class Canvas2DRenderer implements FrameRenderer {
	readonly path = 'cpu' as const;
	private readonly ctx: CanvasRenderingContext2D;

	constructor(readonly canvas: HTMLCanvasElement = document.createElement('canvas')) {
		const ctx = canvas.getContext('2d');
		if (!ctx) throw new Error('2D canvas is not available');
		this.ctx = ctx;
	}

	async draw(image: tf.Tensor3D): Promise<void> {
		const [h, w] = image.shape;
		const rgba = toRgbaBytes(image);
		let data: Int32Array;
		try {
			data = (await rgba.data()) as Int32Array;
		} finally {
			rgba.dispose();
		}
		if (this.canvas.width !== w) this.canvas.width = w;
		if (this.canvas.height !== h) this.canvas.height = h;
		this.ctx.putImageData(new ImageData(new Uint8ClampedArray(data), w, h), 0, 0);
	}

	dispose(): void {
		/* nothing held */
	}
}
