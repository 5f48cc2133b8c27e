// Where the project's test and training data lives: `../shared/data`, the folder beside the checkout
// (see README.md and ../shared/data/README.md). The one place scripts, unit tests and benchmarks find
// it: resolved from the repository root (this file's folder's parent), so it works in any clone and
// from any working directory, and never from an absolute path.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the checkout). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `../shared/data` beside the checkout. */
export const SHARED_DATA = resolve(ROOT, '../shared/data');

/**
 * A path under the shared data folder; it may not exist (for callers that skip, with a stated reason).
 * @param {...string} parts
 * @returns {string}
 */
export function sharedData(...parts) {
	return join(SHARED_DATA, ...parts);
}

/**
 * A path under the shared data folder that must exist; otherwise throws, saying what is missing and where
 * it was looked for.
 * @param {...string} parts
 * @returns {string}
 */
export function requireSharedData(...parts) {
	const path = sharedData(...parts);
	if (!existsSync(path)) {
		throw new Error(
			`Test data not found: ${path}\n` +
				`The project reads its data from ../shared/data beside the checkout (here ${SHARED_DATA}, ` +
				`for the checkout at ${ROOT}); ${existsSync(SHARED_DATA) ? `it has no ${join(...parts)}` : 'that folder does not exist'}. ` +
				`See README.md.`
		);
	}
	return path;
}
