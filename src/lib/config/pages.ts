/**
 * The lab's, the gallery's and the learner's address options (README: "Address options"), read by the same reader as
 * the studio's and the kiosk's. Pure.
 */
import type { BackendName } from '../tf/backend-choice';
import { OptionReader, machineFromBrowser, type Machine } from './options';
import { readBackend } from './studio';

export interface LabOptions {
	/** A picture the studio stored (set by "To lab"). */
	snapshotId: string | null;
	backend: BackendName | null;
}

export function parseLabOptions(params: URLSearchParams, machine: Machine = machineFromBrowser()): { options: LabOptions; problems: string[] } {
	const r = new OptionReader(params, machine);
	const options = { snapshotId: r.raw('snapshot'), backend: readBackend(r) };
	return { options, problems: r.problems };
}

export interface GalleryOptions<V extends string> {
	view: V | null;
	/** t-SNE steps (undefined: the gallery's default). */
	tsneIterations: number | undefined;
	/** The gallery worker's wasm threads (undefined: every core). */
	threads: number | undefined;
	backend: BackendName | null;
}

export function parseGalleryOptions<V extends string>(
	params: URLSearchParams,
	views: readonly V[],
	machine: Machine = machineFromBrowser()
): { options: GalleryOptions<V>; problems: string[] } {
	const r = new OptionReader(params, machine);
	const options: GalleryOptions<V> = {
		view: r.choice('view', views, null, `showing ${views[0]}`),
		tsneIterations: r.int('tsne', { min: 10, max: 5000, fallback: null, unit: 'a whole number of steps', fallbackText: 'using 1000' }) ?? undefined,
		threads: r.threads('threads', 'using every core') ?? undefined,
		backend: readBackend(r)
	};
	return { options, problems: r.problems };
}

/** How a learning run is sized by the address (`learnSteps`, `learnSides`: for tests and demos). */
export interface LearnRunOptions {
	/** Steps instead of the effort's. */
	steps: number | null;
	/** The picture's short sides for its statistics instead of training's 384 and 512. */
	sides: number[] | null;
}

/** learnSteps and learnSides, from a reader the caller may share (the studio's own learner reads them too). */
export function readLearnRunOptions(r: OptionReader): LearnRunOptions {
	const steps = r.int('learnSteps', { min: 1, max: 5000, fallback: null, unit: 'a whole number of steps', fallbackText: "using the effort's steps" });
	const raw = r.text('learnSides', 40);
	let sides: number[] | null = null;
	if (raw) {
		const v = raw.split(',').map((x) => Number(x.trim()));
		if (v.every((x) => Number.isInteger(x) && x >= 32 && x <= 1024)) sides = v;
		else r.problems.push(`learnSides=${raw} should be short sides from 32 to 1024 px, separated by commas; using 384 and 512`);
	}
	return { steps, sides };
}

export interface LearnOptions extends LearnRunOptions {
	backend: BackendName | null;
}

/** The /learn page's address options. */
export function parseLearnOptions(params: URLSearchParams, machine: Machine = machineFromBrowser()): { options: LearnOptions; problems: string[] } {
	const r = new OptionReader(params, machine);
	const options = { backend: readBackend(r), ...readLearnRunOptions(r) };
	return { options, problems: r.problems };
}
