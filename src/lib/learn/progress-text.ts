/**
 * How a learning run reads on screen, the same on /learn and in the studio's own learner: the phase and
 * step, the progress in per cent, the status line. Pure.
 */
import { formatDuration } from '../duration';
import type { LearnProgress } from './protocol';

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
