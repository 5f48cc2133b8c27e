/**
 * Errors after which a tfjs backend cannot be trusted: a WebAssembly trap (memory access out of bounds,
 * unreachable), an allocation that failed (out of memory), a lost WebGL context. The thread that saw one
 * is restarted (its worker terminated and started again) so the next run starts on a fresh backend,
 * instead of failing the same way until the page is reloaded. Pure.
 */
const FATAL = [
	/memory access out of bounds/i,
	/\bunreachable\b/i,
	/out of memory/i,
	/array buffer allocation failed/i,
	/could not allocate|cannot allocate|failed to allocate/i,
	/\bAborted\(/,
	/context (was |is )?lost|CONTEXT_LOST/i
];

/** True when `err` (as thrown, or as it came back from a worker) can leave the backend broken. */
export function leavesBackendBroken(err: unknown): boolean {
	if (err == null) return false;
	const e = err as { name?: unknown; message?: unknown };
	const text = typeof e.message === 'string' ? e.message : String(err);
	// WebAssembly.RuntimeError is a trap whatever its message says.
	if (e.name === 'RuntimeError') return true;
	return FATAL.some((re) => re.test(text));
}
