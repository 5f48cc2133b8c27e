/** Synthetic data with known structure for the gallery's tests (seeded, deterministic). */
import { gaussian, mulberry32 } from '../../../src/lib/gallery/tsne';

/** `k` Gaussian blobs of `per` points in `d` dimensions, centres `spread` apart on the axes, unit spread. */
export function blobs(k: number, per: number, d: number, spread = 20, seed = 7): { data: Float64Array; labels: number[]; n: number } {
	const rand = mulberry32(seed);
	const n = k * per;
	const data = new Float64Array(n * d);
	const labels: number[] = [];
	for (let c = 0; c < k; c++) {
		for (let p = 0; p < per; p++) {
			const i = c * per + p;
			labels.push(c);
			for (let j = 0; j < d; j++) data[i * d + j] = gaussian(rand) + (j === c ? spread : 0);
		}
	}
	return { data, labels, n };
}
