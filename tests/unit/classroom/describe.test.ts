import { describe, expect, it } from 'vitest';
import { describeStyle, panelCaption } from '../../../src/lib/classroom/describe';

const styles = [
	{ title: 'The Starry Night', artist: 'Vincent van Gogh' },
	{ title: 'The Scream', artist: 'Edvard Munch' },
	{ title: 'Composition VII', artist: 'Wassily Kandinsky' }
];

describe('describeStyle', () => {
	it('names one style with its painter, a blend by its two largest parts', () => {
		expect(describeStyle(styles, [0, 1, 0], 1, true)).toBe('The Scream — Edvard Munch');
		expect(describeStyle(styles, [0.75, 0.25, 0], 1, true)).toBe('75 % The Starry Night + 25 % The Scream');
		expect(describeStyle(styles, [0.2, 0.5, 0.3], 1, true)).toBe('50 % The Scream + 30 % Composition VII + others');
	});
	it('says the strength when it is not full, and when the style is off', () => {
		expect(describeStyle(styles, [1, 0, 0], 0.6, true)).toBe('The Starry Night — Vincent van Gogh · strength 60 %');
		expect(describeStyle(styles, [1, 0, 0], 0, true)).toBe('The camera image (style strength 0)');
		expect(describeStyle(styles, [1, 0, 0], 1, false)).toBeNull();
		expect(describeStyle([], [], 1, true)).toBeNull();
	});
});

describe('panelCaption', () => {
	it('is one plain line per panel, with the detail when there is one', () => {
		expect(panelCaption('camera')).toBe('What the camera sees');
		expect(panelCaption('stylized', { style: 'The Scream — Edvard Munch' })).toBe('Repainted as The Scream — Edvard Munch');
		expect(panelCaption('gradcam', { label: 'banana (87.1 %)' })).toContain('for “banana (87.1 %)”');
		expect(panelCaption('gradcam')).not.toContain('“');
		expect(panelCaption('activations', { stage: 'conv3' })).toMatch(/^Layer conv3/);
	});
});
