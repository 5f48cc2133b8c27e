import type { StyleNetManifest } from './types';

/** IEEE 754 half -> single precision, for one 16-bit pattern. */
function halfToFloat(h: number): number {
	const sign = h & 0x8000 ? -1 : 1;
	const exp = (h >> 10) & 0x1f;
	const frac = h & 0x3ff;
	if (exp === 0) return sign * frac * 2 ** -24; // zero / subnormal
	if (exp === 0x1f) return frac ? NaN : sign * Infinity;
	return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Dequantize little-endian float16 values from `buffer` starting at byte `offset`. */
function float16ToFloat32(buffer: ArrayBuffer, offset: number, count: number): Float32Array {
	const view = new DataView(buffer, offset, count * 2);
	const out = new Float32Array(count);
	for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
	return out;
}

export interface DecodedTensor {
	shape: number[];
	data: Float32Array;
}

/** All tensors of the weight table as float32 arrays, by name. */
export function decodeWeights(manifest: StyleNetManifest, buffer: ArrayBuffer): Map<string, DecodedTensor> {
	const out = new Map<string, DecodedTensor>();
	for (const t of manifest.weights.tensors) {
		const n = t.shape.reduce((a, b) => a * b, 1);
		const data = float16ToFloat32(buffer, t.offset, n);
		for (let i = 0; i < n; i++) {
			if (!Number.isFinite(data[i])) throw new Error(`style-net: tensor ${t.name} holds a non-finite value`);
		}
		out.set(t.name, { shape: t.shape, data });
	}
	return out;
}
