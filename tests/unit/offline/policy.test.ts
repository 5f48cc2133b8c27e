import { describe, expect, it } from 'vitest';
import { buildFiles, CACHE_PREFIX, cacheName, mayTakeOver, precacheList, route, staleCaches, TAKE_OVER_DEADLINE_MS, TAKE_OVER_WAIT_MS, type RequestLike } from '../../../src/lib/offline/policy';

const ORIGIN = 'http://127.0.0.1:4173';
const PAGES = new Set(['/', '/lab', '/gallery']);
const req = (url: string, init: Partial<Omit<RequestLike, 'url'>> & { range?: boolean } = {}): RequestLike => ({
	url: new URL(url, ORIGIN).href,
	method: init.method ?? 'GET',
	mode: init.mode ?? 'cors',
	headers: { has: (n: string) => n === 'range' && !!init.range }
});

describe('route', () => {
	it('answers a navigation to a page from the cache under its path, whatever the address options', () => {
		expect(route(req('/', { mode: 'navigate' }), ORIGIN, PAGES)).toEqual({ kind: 'page', key: '/' });
		expect(route(req('/?camera=0&explain=1', { mode: 'navigate' }), ORIGIN, PAGES)).toEqual({ kind: 'page', key: '/' });
		expect(route(req('/lab?snapshot=abc', { mode: 'navigate' }), ORIGIN, PAGES)).toEqual({ kind: 'page', key: '/lab' });
		expect(route(req('/gallery/', { mode: 'navigate' }), ORIGIN, PAGES)).toEqual({ kind: 'page', key: '/gallery' });
	});

	it('leaves unknown pages, other origins, non-GET and byte ranges to the network', () => {
		expect(route(req('/nope', { mode: 'navigate' }), ORIGIN, PAGES)).toEqual({ kind: 'network' });
		expect(route(req('https://example.com/x.js'), ORIGIN, PAGES)).toEqual({ kind: 'network' });
		expect(route(req('http://127.0.0.1:4174/'), ORIGIN, PAGES)).toEqual({ kind: 'network' }); // another port is another origin
		expect(route(req('/models/style-net/weights.bin', { method: 'POST' }), ORIGIN, PAGES)).toEqual({ kind: 'network' });
		expect(route(req('/models/style-net/weights.bin', { range: true }), ORIGIN, PAGES)).toEqual({ kind: 'network' });
	});

	it('answers the app’s own files (scripts, workers, models, wasm) from the cache when there', () => {
		for (const path of ['/_app/immutable/chunks/a.js', '/_app/immutable/workers/style.worker-x.js', '/models/resnet50/model.json', '/tfjs-wasm/tfjs-backend-wasm-simd.wasm']) {
			expect(route(req(path), ORIGIN, PAGES)).toEqual({ kind: 'asset' });
		}
	});
});

describe('caches', () => {
	it('one cache per build; the other builds’ caches are stale, other apps’ caches untouched', () => {
		expect(cacheName('123')).toBe(`${CACHE_PREFIX}123`);
		expect(staleCaches([cacheName('1'), cacheName('2'), cacheName('3'), 'someone-else'], '2')).toEqual([cacheName('1'), cacheName('3')]);
		expect(staleCaches([cacheName('2')], '2')).toEqual([]);
	});

	it('the precache list has each URL once: pages, the build, static files', () => {
		expect(precacheList(['/_app/a.js', '/_app/b.css'], ['/models/m.bin', '/_app/a.js'], ['/', '/lab'])).toEqual(['/', '/lab', '/_app/a.js', '/_app/b.css', '/models/m.bin']);
	});

	it('takes the full build list (with the workers’ chunks) only when it is this build’s', () => {
		const listed = { files: ['_app/immutable/entry/start.A.js', '_app/immutable/workers/style.worker-B.js', '_app/immutable/workers/chunks/C.js'] };
		const build = ['/_app/immutable/entry/start.A.js', '/_app/immutable/workers/style.worker-B.js'];
		expect(buildFiles('', listed, build)).toEqual(['/_app/immutable/entry/start.A.js', '/_app/immutable/workers/style.worker-B.js', '/_app/immutable/workers/chunks/C.js']);
		expect(buildFiles('/app', { files: ['_app/x.js'] }, ['/app/_app/x.js'])).toEqual(['/app/_app/x.js']);
		// A list from another build lacks this build's hashed files: installing must fail, not mix builds.
		expect(() => buildFiles('', listed, [...build, '/_app/immutable/entry/app.D.js'])).toThrow(/another build.*1 of this build's files/);
	});
});

describe('mayTakeOver', () => {
	it('only for the one window that asks, and only before its deadline', () => {
		expect(mayTakeOver(['a'], 'a', 1000, 2000)).toBe(true);
		expect(mayTakeOver(['a', 'b'], 'a', 1000, 2000)).toBe(false); // a kiosk still runs in another window
		expect(mayTakeOver(['b'], 'a', 1000, 2000)).toBe(false);
		expect(mayTakeOver([], 'a', 1000, 2000)).toBe(false);
		expect(mayTakeOver(['a'], 'a', 2000, 2000)).toBe(false); // the page may have stopped waiting and started
	});

	it('the deadline comes well before the page stops waiting', () => {
		expect(TAKE_OVER_WAIT_MS - TAKE_OVER_DEADLINE_MS).toBeGreaterThanOrEqual(5000);
	});
});
