import { describe, expect, it } from 'vitest';
import { cosineDistance, l2Distance, nearest, neighbourLists } from '../../../src/lib/gallery/neighbours';

describe('nearest neighbours', () => {
	it('cosine finds the same direction whatever the length; L2 finds the nearest point', () => {
		// Two families: along x (lengths 1, 5, 10) and along y (lengths 1.2, 6); plus noise-free structure.
		const v = [
			[1, 0.01, 0], // 0: x, short
			[5, 0.02, 0], // 1: x, mid
			[10, 0, 0.01], // 2: x, long
			[0, 1.2, 0], // 3: y, short
			[0.01, 6, 0] // 4: y, mid
		];
		const cos = nearest(v, 0, 4, 'cosine');
		expect(cos.map((n) => n.index).slice(0, 2).sort()).toEqual([1, 2]);
		expect(cos[0].distance).toBeLessThan(1e-3);
		expect(cos[3].distance).toBeGreaterThan(0.9);
		// In L2 the short x vector is closest to the short y vector.
		const l2 = nearest(v, 0, 4, 'l2');
		expect(l2[0].index).toBe(3);
		expect(l2[0].distance).toBeCloseTo(Math.hypot(1, 1.19), 6);
	});

	it('leaves the query out, sorts ascending, breaks ties by index, and clips k', () => {
		const v = [[0], [1], [-1], [2]];
		const r = nearest(v, 0, 10, 'l2');
		expect(r.map((n) => n.index)).toEqual([1, 2, 3]);
		expect(r.map((n) => n.distance)).toEqual([1, 1, 2]);
		expect(() => nearest(v, 9, 1, 'l2')).toThrow(RangeError);
	});

	it('distances', () => {
		expect(cosineDistance([1, 0], [0, 1])).toBeCloseTo(1);
		expect(cosineDistance([1, 1], [2, 2])).toBeCloseTo(0);
		expect(cosineDistance([0, 0], [2, 2])).toBe(1);
		expect(l2Distance([0, 0], [3, 4])).toBe(5);
	});

	it('the gallery’s two lists: by features (cosine) and by pixels (L2), with ids; none without a query or a second picture', () => {
		const vectors: Record<string, { pooled: number[]; tiny: number[] }> = {
			a: { pooled: [1, 0], tiny: [0, 0] },
			b: { pooled: [10, 0.5], tiny: [9, 9] },
			c: { pooled: [0, 1], tiny: [0.5, 0] }
		};
		const ids = ['a', 'b', 'c'];
		const lists = neighbourLists(ids, (id) => vectors[id], 'a', 8)!;
		expect(lists.features.map((n) => n.id)).toEqual(['b', 'c']);
		expect(lists.pixels.map((n) => n.id)).toEqual(['c', 'b']);
		expect(lists.features[0]).toEqual({ index: 1, id: 'b', distance: cosineDistance(vectors.a.pooled, vectors.b.pooled) });
		expect(neighbourLists(ids, (id) => vectors[id], 'b', 1)!.pixels).toEqual([{ index: 2, id: 'c', distance: l2Distance([9, 9], [0.5, 0]) }]);
		expect(neighbourLists(ids, (id) => vectors[id], null, 8)).toBeNull();
		expect(neighbourLists(ids, (id) => vectors[id], 'gone', 8)).toBeNull();
		expect(neighbourLists(['a'], (id) => vectors[id], 'a', 8)).toBeNull();
	});
});
