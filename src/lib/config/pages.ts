/**
 * The lab's and the gallery's address options (README: "Address options"), read by the same reader as
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
