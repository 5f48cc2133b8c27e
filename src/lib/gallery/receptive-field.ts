/**
 * Receptive fields from a network's layer geometry (pure): for every layer, the jump (product of the
 * strides: input pixels between neighbouring units), the receptive field's side, and where unit 0's
 * centre falls in the input — so unit (i, j) is centred at (start + i·jump, start + j·jump) and sees a
 * size × size square of input pixels around it (Araujo et al., "Computing receptive fields of CNNs").
 *
 * Per layer with kernel k, stride s and leading padding p (same in both axes here):
 *   size' = size + (k − 1)·jump,  start' = start + ((k − 1)/2 − p)·jump,  jump' = jump·s.
 * An Add of branches takes the largest field (the branches agree on jump and centre in a ResNet).
 * Pixel index convention: input pixel x has its centre at x (0 … inputSize − 1).
 */
import type * as tf from '@tensorflow/tfjs';

export interface LayerSpec {
	name: string;
	className: string;
	inbound: string[];
	kernel?: number;
	stride?: number;
	/** 'valid' | 'same' for convolutions and pools; [before, after] for ZeroPadding2D. */
	padding?: 'valid' | 'same' | [number, number];
}

export interface Geometry {
	/** Input pixels between neighbouring units. */
	jump: number;
	/** Side of the receptive field, in input pixels. */
	size: number;
	/** Centre of unit 0, in input pixels. */
	start: number;
	/** Side of the layer's feature map for this input size. */
	extent: number;
}

/** A Keras-style model's layers as specs (first inbound node; square kernels and strides). */
export function describeLayers(model: tf.LayersModel): LayerSpec[] {
	return model.layers.map((layer) => {
		const cfg = layer.getConfig() as Record<string, unknown>;
		const node = layer.inboundNodes[0];
		const spec: LayerSpec = { name: layer.name, className: layer.getClassName(), inbound: node ? node.inboundLayers.map((l) => l.name) : [] };
		const first = (v: unknown) => (Array.isArray(v) ? Number(v[0]) : Number(v));
		if (spec.className === 'Conv2D' || spec.className === 'DepthwiseConv2D') {
			spec.kernel = first(cfg.kernelSize);
			spec.stride = first(cfg.strides ?? 1);
			spec.padding = cfg.padding as 'valid' | 'same';
		} else if (spec.className === 'MaxPooling2D' || spec.className === 'AveragePooling2D') {
			spec.kernel = first(cfg.poolSize);
			spec.stride = first(cfg.strides ?? cfg.poolSize);
			spec.padding = cfg.padding as 'valid' | 'same';
		} else if (spec.className === 'ZeroPadding2D') {
			const p = cfg.padding as [[number, number], [number, number]] | number;
			spec.padding = typeof p === 'number' ? [p, p] : [p[0][0], p[0][1]];
		}
		return spec;
	});
}

/** Geometry of every layer for a square input of `inputSize` pixels (layers in topological order). */
export function receptiveFields(layers: readonly LayerSpec[], inputSize: number): Map<string, Geometry> {
	const out = new Map<string, Geometry>();
	for (const L of layers) {
		const ins = L.inbound.map((n) => {
			const g = out.get(n);
			if (!g) throw new Error(`receptive field: ${L.name} needs ${n}, not seen yet`);
			return g;
		});
		if (ins.length === 0) {
			out.set(L.name, { jump: 1, size: 1, start: 0, extent: inputSize });
			continue;
		}
		if (L.className === 'Add' || L.className === 'Concatenate' || L.className === 'Multiply') {
			const widest = ins.reduce((a, b) => (b.size > a.size ? b : a));
			for (const g of ins) {
				if (g.jump !== widest.jump || Math.abs(g.start - widest.start) > 1e-9) throw new Error(`receptive field: the branches into ${L.name} are not aligned`);
			}
			out.set(L.name, { ...widest });
			continue;
		}
		const g = ins[0];
		if (L.className === 'ZeroPadding2D' && Array.isArray(L.padding)) {
			const [before, after] = L.padding;
			out.set(L.name, { jump: g.jump, size: g.size, start: g.start - before * g.jump, extent: g.extent + before + after });
			continue;
		}
		if (L.kernel != null && L.stride != null) {
			const k = L.kernel;
			const s = L.stride;
			let pad = 0;
			let extent: number;
			if (L.padding === 'same') {
				extent = Math.ceil(g.extent / s);
				pad = Math.floor(Math.max((extent - 1) * s + k - g.extent, 0) / 2);
			} else extent = Math.floor((g.extent - k) / s) + 1;
			out.set(L.name, { jump: g.jump * s, size: g.size + (k - 1) * g.jump, start: g.start + ((k - 1) / 2 - pad) * g.jump, extent });
			continue;
		}
		// Element-wise layers (batch norm, activations) keep the geometry.
		out.set(L.name, { ...g });
	}
	return out;
}

/** Input-pixel box [x0, x1] × [y0, y1] (inclusive, may reach outside the input) that unit (i, j) sees. */
export function unitBox(g: Geometry, i: number, j: number): { x0: number; y0: number; x1: number; y1: number; cx: number; cy: number } {
	const cy = g.start + i * g.jump;
	const cx = g.start + j * g.jump;
	const r = (g.size - 1) / 2;
	return { x0: cx - r, x1: cx + r, y0: cy - r, y1: cy + r, cx, cy };
}
