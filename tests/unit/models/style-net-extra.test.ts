/** Learned styles in a loaded StyleNet: extra rows after the twelve, blendable, validated, freed. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { load, oneHot } from '../../../src/lib/models/style-net';
import { diskFetch, MODEL_URL } from './style-net-helpers';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

const info = (title: string) => ({ id: `learned-${title}`, title, artist: '', year: '', file: '' });

async function maxDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
	const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
	const [v] = await d.data();
	d.dispose();
	return v;
}

describe('StyleNet extra styles', () => {
	it('a copied row stylizes like its original; blends with built-ins are linear; no leaks', async () => {
		const net = await load({ url: MODEL_URL, fetch: diskFetch(), warmupSize: [16, 16] });
		const table = net.manifest.styles.length;
		// the row of style 3, read from the loaded table
		const params = (net as unknown as { params: { cinTable: Float32Array; cinWidth: number } }).params;
		const row3 = Array.from(params.cinTable.subarray(3 * params.cinWidth, 4 * params.cinWidth));
		const before = tf.memory().numTensors;
		net.setExtraStyles([{ info: info('copy of 3'), row: row3, networkVersion: net.manifest.version }]);
		expect(net.styles).toHaveLength(table + 1);
		expect(net.styles[table].title).toBe('copy of 3');
		const x = tf.randomUniform([24, 24, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
		const a = net.stylize(x, oneHot(3, table + 1));
		const b = net.stylize(x, oneHot(table, table + 1));
		expect(await maxDiff(a, b)).toBe(0);
		const half = net.stylize(x, Array.from({ length: table + 1 }, (_, i) => (i === 0 || i === table ? 0.5 : 0)));
		const ref = net.stylize(x, Array.from({ length: table + 1 }, (_, i) => (i === 0 || i === 3 ? 0.5 : 0)));
		expect(await maxDiff(half, ref)).toBeLessThan(1e-6);
		tf.dispose([a, b, half, ref]);
		expect(() => net.stylize(x, oneHot(0, table))).toThrow(/13 styles/);
		expect(() => net.setExtraStyles([{ info: info('short'), row: [1, 2], networkVersion: net.manifest.version }])).toThrow(/needs \d+ finite/);
		// A malformed row is refused and the styles set before stay as they were.
		expect(net.styles).toHaveLength(table + 1);
		// A row learned for another body (a stored style from before a network update) is left out; the others are used.
		net.setExtraStyles([
			{ info: info('old'), row: row3, networkVersion: net.manifest.version - 1 },
			{ info: info('copy of 3'), row: row3, networkVersion: net.manifest.version }
		]);
		expect(net.styles.slice(table).map((s) => s.title)).toEqual(['copy of 3']);
		const c = net.stylize(x, oneHot(table, table + 1));
		const d = net.stylize(x, oneHot(3, table + 1));
		expect(await maxDiff(c, d)).toBe(0);
		tf.dispose([c, d]);
		net.setExtraStyles([]);
		expect(net.styles).toHaveLength(table);
		x.dispose();
		expect(tf.memory().numTensors).toBe(before); // x freed, the extra table freed
		net.dispose();
	});
});
