import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../scripts/shared-data.mjs';
import { johnsonGmac } from '../../../src/lib/bench/johnson';

describe('johnsonGmac', () => {
	it('agrees with the count training/ wrote into the style-net manifest', () => {
		const manifest = JSON.parse(readFileSync(join(ROOT, 'static/models/style-net/manifest.json'), 'utf8'));
		for (const [size, g] of Object.entries(manifest.gmac as Record<string, { ours: number; johnson2016: number }>)) {
			const [w, h] = size.split('x').map(Number);
			expect(johnsonGmac(h, w)).toBeCloseTo(g.johnson2016, 1);
			// The targets: ours ≤ 2 GMAC at 480×360 and far below the Johnson net.
			if (size === '480x360') expect(g.ours).toBeLessThanOrEqual(2);
		}
	});
});
