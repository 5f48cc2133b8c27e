import { describe, expect, it } from 'vitest';
import { OptionReader } from '../../../src/lib/config/options';
import { parseStudioConfig } from '../../../src/lib/config/studio';
import { parseGalleryOptions, parseLabOptions } from '../../../src/lib/config/pages';
import { parseKioskConfig } from '../../../src/lib/kiosk/config';

const two = { cores: 2 };
const reader = (q: string, machine = two) => new OptionReader(new URLSearchParams(q), machine);

describe('the option reader', () => {
	it('absent or empty options give their defaults without a message', () => {
		const r = reader('a=&b=%20');
		expect(r.number('a', { min: 0, max: 1, fallback: 0.5, unit: 'a number' })).toBe(0.5);
		expect(r.flag('b', true)).toBe(true);
		expect(r.choice('c', ['x', 'y'], 'x')).toBe('x');
		expect(r.text('d', 10)).toBeNull();
		expect(r.problems).toEqual([]);
	});

	it('refuses malformed, fractional and out-of-range numbers, naming each', () => {
		const r = reader('n=abc&w=2.5&big=1e9&neg=-1&inf=Infinity');
		const spec = { min: 0, max: 100, fallback: 7, unit: 'a whole number' };
		expect([r.int('n', spec), r.int('w', spec), r.int('big', spec), r.int('neg', spec), r.number('inf', spec)]).toEqual([7, 7, 7, 7, 7]);
		expect(r.problems).toEqual([
			'n=abc is not a whole number from 0 to 100; using 7',
			'w=2.5 is not a whole number from 0 to 100; using 7',
			'big=1e9 is not a whole number from 0 to 100; using 7',
			'neg=-1 is not a whole number from 0 to 100; using 7',
			'inf=Infinity is not a whole number from 0 to 100; using 7'
		]);
	});

	it('clamps threads to the machine and says so; refuses nonsense with the default named', () => {
		const r = reader('threads=64&t2=0&t3=2');
		expect(r.threads('threads', 'using the default')).toBe(2);
		expect(r.threads('t2', 'using the default')).toBeNull();
		expect(r.threads('t3', 'using the default')).toBe(2);
		expect(r.problems).toEqual(["threads=64 is more than this machine's 2 cores; using 2", 't2=0 is not a whole number from 1 to 64; using the default']);
		expect(reader('threads=1', { cores: 1 }).threads('threads', '')).toBe(1);
	});

	it('a choice outside its list is named with the list', () => {
		const r = reader('fit=stretch');
		expect(r.choice('fit', ['contain', 'cover'], 'contain')).toBe('contain');
		expect(r.problems).toEqual(['fit=stretch should be contain or cover; using contain']);
	});

	it('cuts long text, keeps an empty text', () => {
		const r = reader(`t=${'y'.repeat(250)}&e=`);
		expect(r.text('t', 200)).toHaveLength(200);
		expect(r.text('e', 200)).toBe('');
		expect(r.problems).toEqual(['t is 250 characters long; showing the first 200']);
	});
});

describe('every page reads its address with the same reader', () => {
	it('the studio: backend=nonsense and threads=64 are named, the rest kept', () => {
		const { config, problems } = parseStudioConfig(new URLSearchParams('backend=nonsense&threads=64&camera=0&pipeline=gpu'), two);
		expect(config).toEqual({ backend: null, camera: false, explain: false, pipeline: 'auto', threads: 2, styleWorkers: null, explainShare: null, scoreEvery: null, demoFps: 30 });
		expect(problems).toEqual([
			'backend=nonsense should be webgl, wasm or cpu; choosing the backend by this machine',
			'pipeline=gpu should be auto, main or worker; using auto',
			"threads=64 is more than this machine's 2 cores; using 2"
		]);
		expect(parseStudioConfig(new URLSearchParams(''), two)).toEqual({
			config: { backend: null, camera: true, explain: false, pipeline: 'auto', threads: null, styleWorkers: null, explainShare: null, scoreEvery: null, demoFps: 30 },
			problems: []
		});
	});

	it('the studio: the number of style workers, 1 to 3, or the default for the machine with a message', () => {
		expect(parseStudioConfig(new URLSearchParams('styleWorkers=1'), two).config.styleWorkers).toBe(1);
		expect(parseStudioConfig(new URLSearchParams('styleWorkers=3'), two).config.styleWorkers).toBe(3);
		for (const bad of ['0', '4', 'two', '1.5']) {
			const { config, problems } = parseStudioConfig(new URLSearchParams(`styleWorkers=${bad}`), two);
			expect(config.styleWorkers).toBeNull();
			expect(problems).toHaveLength(1);
			expect(problems[0]).toMatch(new RegExp(`^styleWorkers=${bad.replace('.', '\\.')} .*using the default for this machine's cores$`));
		}
	});

	it('the studio: the explain share and the score period, in range or replaced', () => {
		expect(parseStudioConfig(new URLSearchParams('explainShare=0.9&scoreEvery=1'), two).config).toMatchObject({ explainShare: 0.9, scoreEvery: 1 });
		const { config, problems } = parseStudioConfig(new URLSearchParams('explainShare=2&scoreEvery=2.5'), two);
		expect(config).toMatchObject({ explainShare: null, scoreEvery: null, demoFps: 30 });
		expect(problems).toEqual([
			'explainShare=2 is not a number from 0.05 to 1; using the default (0.4 in the page, 0.3 in the explain worker)',
			'scoreEvery=2.5 is not a whole number from 1 to 100; scoring every 4th explanation'
		]);
	});

	it('the studio: the demo scene\'s frame rate, in range or replaced', () => {
		expect(parseStudioConfig(new URLSearchParams('demoFps=60'), two).config.demoFps).toBe(60);
		const { config, problems } = parseStudioConfig(new URLSearchParams('demoFps=0'), two);
		expect(config.demoFps).toBe(30);
		expect(problems).toEqual(['demoFps=0 is not a whole number from 1 to 120; drawing the demo scene at 30 frames a second']);
		expect(parseKioskConfig(new URLSearchParams('demoFps=60'), two).config.studio.demoFps).toBe(60);
	});

	it('the kiosk names the same replacements in its problems (its event log)', () => {
		const { config, problems } = parseKioskConfig(new URLSearchParams('threads=64&backend=nonsense&res=96'), two);
		expect(config.studio.threads).toBe(2);
		expect(config.resolution).toBe(96);
		expect(problems).toContain("threads=64 is more than this machine's 2 cores; using 2");
		expect(problems).toContain('backend=nonsense should be webgl, wasm or cpu; choosing the backend by this machine');
	});

	it('the lab and the gallery', () => {
		expect(parseLabOptions(new URLSearchParams('snapshot=abc&backend=gpu'), two)).toEqual({
			options: { snapshotId: 'abc', backend: null },
			problems: ['backend=gpu should be webgl, wasm or cpu; choosing the backend by this machine']
		});
		const g = parseGalleryOptions(new URLSearchParams('view=stack&tsne=3&threads=9&backend=wasm'), ['grid', 'map'] as const, two);
		expect(g.options).toEqual({ view: null, tsneIterations: undefined, threads: 2, backend: 'wasm' });
		expect(g.problems).toEqual([
			'view=stack should be grid or map; showing grid',
			'tsne=3 is not a whole number of steps from 10 to 5000; using 1000',
			"threads=9 is more than this machine's 2 cores; using 2"
		]);
		expect(parseGalleryOptions(new URLSearchParams('view=map&tsne=50'), ['grid', 'map'] as const, two).options).toMatchObject({ view: 'map', tsneIterations: 50 });
	});
});
