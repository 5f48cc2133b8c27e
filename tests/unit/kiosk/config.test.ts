import { describe, expect, it } from 'vitest';
import { KIOSK_DEFAULTS, parseKioskConfig, resolveStops } from '../../../src/lib/kiosk/config';
import type { StyleInfo } from '../../../src/lib/models/style-net';

const parse = (q: string) => parseKioskConfig(new URLSearchParams(q), { cores: 8 });
const styles: StyleInfo[] = ['starry_night', 'great_wave', 'udnie'].map((id, i) => ({ id, title: `Title ${i + 1}`, artist: 'a', year: '1900', file: `${id}.jpg` }));

describe('kiosk address options', () => {
	it('defaults when the address says nothing', () => {
		const { config, problems } = parse('');
		expect(problems).toEqual([]);
		expect(config).toMatchObject({
			stops: null,
			periodMs: KIOSK_DEFAULTS.periodS * 1000,
			fadeMs: KIOSK_DEFAULTS.fadeS * 1000,
			resolution: 'auto',
			strength: 1,
			mirror: true,
			labels: false,
			gradcam: false,
			caption: true,
			fit: 'contain',
			attractText: 'Step in front of the camera…',
			idleMs: 30_000,
			motion: 0.01
		});
		expect(config.studio).toEqual({ backend: null, camera: true, explain: false, pipeline: 'auto', threads: null, styleWorkers: null, explainShare: null, scoreEvery: null, demoFps: 30 });
	});

	it('reads every option', () => {
		const { config, problems } = parse('period=8&fade=2.5&res=96&strength=0.6&mirror=0&labels=1&gradcam=1&caption=0&fit=cover&text=Hello%20there&idle=5&motion=3&camera=0&backend=wasm&threads=2&styles=udnie,1+2');
		expect(problems).toEqual([]);
		expect(config).toMatchObject({ periodMs: 8000, fadeMs: 2500, resolution: 96, strength: 0.6, mirror: false, labels: true, gradcam: true, caption: false, fit: 'cover', attractText: 'Hello there', idleMs: 5000, motion: 0.03 });
		expect(config.studio).toMatchObject({ backend: 'wasm', camera: false, explain: true, threads: 2 });
		expect(config.stops?.map((s) => s.text)).toEqual(['udnie', '1+2']);
	});

	it('colours= keeps the photo colours: painting (default) 0, photo 1, or an amount; a bad value is the painting with a message', () => {
		expect(parse('').config.colours).toBe(0);
		expect(parse('colours=photo').config.colours).toBe(1);
		expect(parse('colours=painting').config.colours).toBe(0);
		expect(parse('colours=0.4').config.colours).toBe(0.4);
		const bad = parse('colours=sepia');
		expect(bad.config.colours).toBe(0);
		expect(bad.problems).toEqual(['colours=sepia is not painting, photo or a number from 0 to 1; using painting']);
	});

	it('labels or Grad-CAM turn explanations on', () => {
		expect(parse('labels=1').config.studio.explain).toBe(true);
		expect(parse('gradcam=1').config.studio.explain).toBe(true);
		expect(parse('explain=1').config.studio.explain).toBe(false);
	});

	it('a bad value falls back to its default with a message that names it', () => {
		const { config, problems } = parse('period=soon&res=5&strength=2&mirror=maybe&idle=-3&motion=200&fit=stretch');
		expect(config).toMatchObject({ periodMs: 20_000, resolution: 'auto', strength: 1, mirror: true, idleMs: 30_000, motion: 0.01, fit: 'contain' });
		expect(problems).toHaveLength(7);
		expect(problems[0]).toBe('period=soon is not a number of seconds from 1 to 86400; using 20');
		expect(problems.join('\n')).toMatch(/res=5 is not auto or a whole number of pixels/);
		expect(problems.join('\n')).toMatch(/mirror=maybe should be 1 or 0; using 1/);
	});

	it('a fade longer than the period fades for the whole period; the default fade fits a short period', () => {
		const long = parse('period=4&fade=9');
		expect(long.config.fadeMs).toBe(4000);
		expect(long.problems[0]).toMatch(/longer than period/);
		expect(parse('period=2').config.fadeMs).toBe(1000);
	});

	it('idle=0 turns the attract loop off; an empty text shows none; a long one is cut', () => {
		expect(parse('idle=0').config.idleMs).toBe(0);
		expect(parse('text=').config.attractText).toBe('');
		const long = parse(`text=${'x'.repeat(300)}`);
		expect(long.config.attractText).toHaveLength(200);
		expect(long.problems[0]).toMatch(/first 200/);
	});
});

describe('cycle stops', () => {
	it('no styles option: every style of the network in turn, one-hot', () => {
		const stops = resolveStops(null, styles, []);
		expect(stops.map((s) => s.label)).toEqual(['Title 1 — a', 'Title 2 — a', 'Title 3 — a']);
		expect(stops[1].weights).toEqual([0, 1, 0]);
	});

	it('ids (any case), numbers from 1, equal blends and weighted blends', () => {
		const problems: string[] = [];
		const specs = parse('styles=UDNIE,1,great_wave+3,starry_night*3+udnie').config.stops;
		const stops = resolveStops(specs, styles, problems);
		expect(problems).toEqual([]);
		expect(stops.map((s) => s.weights)).toEqual([
			[0, 0, 1],
			[1, 0, 0],
			[0, 0.5, 0.5],
			[0.75, 0, 0.25]
		]);
		expect(stops[2].label).toBe('Title 2 + Title 3');
		for (const s of stops) expect(s.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
	});

	it('unknown styles and malformed stops are left out with a message; the rest stay', () => {
		const parsed = parse('styles=starry_night,mona_lisa,a**2,13,udnie*0,,great_wave');
		const problems = [...parsed.problems];
		const stops = resolveStops(parsed.config.stops, styles, problems);
		expect(stops.map((s) => s.label)).toEqual(['Title 1 — a', 'Title 2 — a']);
		expect(problems).toHaveLength(4);
		expect(problems.join('\n')).toMatch(/no style "mona_lisa" \(use an id such as starry_night, or a number from 1 to 3\)/);
		expect(problems.join('\n')).toMatch(/"a\*\*2" is not a style or a blend/);
		expect(problems.join('\n')).toMatch(/no style "13"/);
	});

	it('when nothing usable is left, every style cycles (and says so)', () => {
		const parsed = parse('styles=nope');
		const problems: string[] = [];
		expect(resolveStops(parsed.config.stops, styles, problems)).toHaveLength(3);
		expect(problems.at(-1)).toMatch(/cycling through every style/);
		const junk = parse('styles=*,+');
		expect(junk.config.stops).toBeNull();
		expect(junk.problems.at(-1)).toMatch(/no usable stop/);
	});
});
