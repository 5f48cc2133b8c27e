/**
 * When the live faithfulness score (explain/faithfulness.ts, LIVE_SCORE) starts: with every `every`-th
 * explanation while the settings hold, and soon after they change — but never with the first explanation
 * after a change: the new heat map (and, on start, the first labels) come at once, the score with the next.
 * Pure and synchronous; ExplainState asks it before each explanation and the bench (benchLiveScore)
 * drives the real Explainer with it.
 */
import { LIVE_SCORE } from './faithfulness';

export class ScoreSchedule {
	private since = Number.POSITIVE_INFINITY;
	private scoredKey = '';
	private shownKey = '';

	/** `every`: score with every N-th explanation (N ≥ 1; 1: a new score as soon as one ends). */
	constructor(private every: number = LIVE_SCORE.every) {
		this.setEvery(every);
	}

	setEvery(every: number): void {
		if (!(Number.isInteger(every) && every >= 1)) throw new RangeError(`score schedule: every ${every} must be a whole number from 1`);
		this.every = every;
	}

	/** Start a score with the next explanation of the settings `key`? */
	wants(key: string): boolean {
		if (this.shownKey !== key) return false;
		return this.since >= this.every - 1 || this.scoredKey !== key;
	}

	/**
	 * An explanation arrived: `shown` the settings key of the heat map it brought (null: none), `scored`
	 * the key of the score that finished with it (null: none finished).
	 */
	explained(shown: string | null, scored: string | null): void {
		if (shown != null) this.shownKey = shown;
		if (scored != null) {
			this.since = 0;
			this.scoredKey = scored;
		} else {
			this.since++;
		}
	}

	/** Forget everything (explanations turned off). */
	reset(): void {
		this.since = Number.POSITIVE_INFINITY;
		this.scoredKey = '';
		this.shownKey = '';
	}
}
