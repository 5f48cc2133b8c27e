/**
 * How a learning run reads on screen, the same on /learn and in the studio's own learner: a duration,
 * the phase and step, the progress in per cent. Pure.
 */
import type { LearnProgress } from './protocol';

/** "850 ms", "42 s", "3 min 5 s"; "—" for none. */
export function formatDuration(ms: number | null): string {
	if (ms == null || !Number.isFinite(ms)) return '—';
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
	return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The phase of a run in words ('' before the first progress). */
export function phaseText(p: LearnProgress | null): string {
	if (!p) return '';
	if (p.phase === 'targets') return 'Reading the picture’s style…';
	if (p.phase === 'guess') return 'Finding the nearest of the twelve…';
	return `Step ${p.step} of ${p.steps}`;
}

/** Steps done, in whole per cent (0 before the first). */
export function progressPercent(p: LearnProgress | null): number {
	return p && p.steps ? Math.round((100 * p.step) / p.steps) : 0;
}

/** The line under the progress bar: phase, last loss, time left, paused. */
export function statusLine(s: { status: string; progress: LearnProgress | null; losses: readonly number[]; etaMs: number | null; paused: boolean }): string {
	const loss = s.losses.length ? ` · loss ${s.losses[s.losses.length - 1].toFixed(3)}` : '';
	const eta = s.etaMs != null && s.status === 'learning' ? ` · about ${formatDuration(s.etaMs)} left` : '';
	return `${s.status === 'estimating' ? 'Measuring…' : phaseText(s.progress)}${loss}${eta}${s.paused ? ' · paused' : ''}`;
}
