/** Fooling images (Szegedy et al. 2014; FGSM): the catalogue entry (the run: optvis/modes/fooling.ts). */
import { NET_SIDE, className, gradientCost, opts, type ModeInfo } from './types';

export interface FoolingParams {
	method: 'fgsm' | 'iterative';
	/** Largest change of any pixel, in 0–255 units. */
	epsilon: number;
	/** Iterative: the class to reach (default: goldfish). */
	target: number;
	steps: number;
	/** Iterative: step size in 0–255 units. */
	alpha: number;
}

export const foolingInfo: ModeInfo<FoolingParams> = {
	id: 'fooling',
	title: 'Fooling images',
	source: 'Szegedy et al., “Intriguing properties of neural networks”, 2014; Goodfellow, Shlens & Szegedy, “Explaining and Harnessing Adversarial Examples” (FGSM), 2015',
	caption:
		'Change every pixel by at most a few levels out of 255 — invisible to us — in exactly the direction the gradient says, and the network’s answer changes. ' +
		'One step away from the current class (FGSM) often suffices; a few more steps can steer it to any class you pick. ' +
		'The magnified difference shows the change is structured noise, not an object.',
	defaults: { method: 'iterative', epsilon: 4, target: 1, steps: 10, alpha: 1 },
	fields: [
		{ key: 'method', label: 'Method', kind: 'select', options: opts(['iterative', 'iterative, to a target class'], ['fgsm', 'FGSM, one step']) },
		{ key: 'target', label: 'Target class', kind: 'class' },
		{ key: 'epsilon', label: 'ε (of 255)', kind: 'number', min: 0.5, max: 32, step: 0.5 },
		{ key: 'steps', label: 'Steps (iterative)', kind: 'number', min: 1, max: 100, step: 1, integer: true },
		{ key: 'alpha', label: 'Step (of 255, iterative)', kind: 'number', min: 0.1, max: 8, step: 0.1 }
	],
	uses: (p, labels) =>
		p.method === 'fgsm' ? `the top class: −log p, one signed step of ${p.epsilon}/255` : `target ${className(labels, p.target)}: −log p(target), ${p.steps} signed steps of ${p.alpha}/255 within ±${p.epsilon}/255`,
	units: (p) => (p.method === 'fgsm' ? 1 : p.steps),
	cost: () => gradientCost([NET_SIDE, NET_SIDE])
};
