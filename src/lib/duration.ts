/** A duration as people read it: "850 ms", "42 s", "3 min 5 s"; "—" for none (the lab's and the learner's expected and remaining times). */
export function formatDuration(ms: number | null): string {
	if (ms == null || !Number.isFinite(ms)) return '—';
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
	return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
