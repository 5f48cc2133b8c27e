import { describe, expect, it } from 'vitest';
import { receptiveFields, unitBox, type LayerSpec } from '../../../src/lib/gallery/receptive-field';

describe('receptive-field arithmetic', () => {
	it('composes kernels, strides and paddings along a chain', () => {
		// pad 3 → conv 7×7/2 → pad 1 → pool 3×3/2 → conv 3×3 same → conv 1×1/2 (ResNet50's stem and one block's start).
		const layers: LayerSpec[] = [
			{ name: 'in', className: 'InputLayer', inbound: [] },
			{ name: 'pad', className: 'ZeroPadding2D', inbound: ['in'], padding: [3, 3] },
			{ name: 'c1', className: 'Conv2D', inbound: ['pad'], kernel: 7, stride: 2, padding: 'valid' },
			{ name: 'pad2', className: 'ZeroPadding2D', inbound: ['c1'], padding: [1, 1] },
			{ name: 'pool', className: 'MaxPooling2D', inbound: ['pad2'], kernel: 3, stride: 2, padding: 'valid' },
			{ name: 'c3', className: 'Conv2D', inbound: ['pool'], kernel: 3, stride: 1, padding: 'same' },
			{ name: 'down', className: 'Conv2D', inbound: ['c3'], kernel: 1, stride: 2, padding: 'valid' },
			{ name: 'short', className: 'Conv2D', inbound: ['pool'], kernel: 1, stride: 2, padding: 'valid' },
			{ name: 'add', className: 'Add', inbound: ['down', 'short'] }
		];
		const g = receptiveFields(layers, 224);
		expect(g.get('c1')).toEqual({ jump: 2, size: 7, start: 0, extent: 112 });
		expect(g.get('pool')).toEqual({ jump: 4, size: 11, start: 0, extent: 56 });
		expect(g.get('c3')).toEqual({ jump: 4, size: 19, start: 0, extent: 56 });
		// The Add takes the wider branch; both are centred alike.
		expect(g.get('add')).toEqual({ jump: 8, size: 19, start: 0, extent: 28 });
		expect(unitBox(g.get('add')!, 2, 3)).toEqual({ x0: 15, x1: 33, y0: 7, y1: 25, cx: 24, cy: 16 });
	});

	it('"same" padding of an even kernel or a stride puts the extra pixel after (TensorFlow’s rule)', () => {
		const g = receptiveFields(
			[
				{ name: 'in', className: 'InputLayer', inbound: [] },
				{ name: 'c', className: 'Conv2D', inbound: ['in'], kernel: 3, stride: 2, padding: 'same' }
			],
			8
		);
		// out 4, total padding (4 − 1)·2 + 3 − 8 = 1 → 0 before: unit 0 is centred on pixel 1.
		expect(g.get('c')).toEqual({ jump: 2, size: 3, start: 1, extent: 4 });
	});

	it('refuses branches that do not line up', () => {
		expect(() =>
			receptiveFields(
				[
					{ name: 'in', className: 'InputLayer', inbound: [] },
					{ name: 'a', className: 'Conv2D', inbound: ['in'], kernel: 1, stride: 2, padding: 'valid' },
					{ name: 'b', className: 'Conv2D', inbound: ['in'], kernel: 1, stride: 1, padding: 'valid' },
					{ name: 'add', className: 'Add', inbound: ['a', 'b'] }
				],
				8
			)
		).toThrow(/not aligned/);
	});
});
