/**
 * The studio's burst: a frame into the gallery every N seconds, `count` times, while a class holds
 * objects up to the camera; a running counter; stops on demand. The timing is the pure schedule of
 * gallery/burst.ts; what a shot does (save the camera frame) is the caller's.
 */
import { checkBurst, nextShot } from '../gallery/burst';

export class BurstState {
	everySeconds = $state(2);
	count = $state(10);
	running = $state(false);
	taken = $state(0);
	/** Pictures this page put in the gallery (single shots and bursts). */
	saved = $state(0);
	error = $state<string | null>(null);
	private stopper: (() => void) | null = null;

	/** Runs a burst: `shoot` saves one frame. Resolves when it is done or stopped. */
	async start(shoot: () => Promise<void>): Promise<void> {
		if (this.running) return;
		this.error = checkBurst(this.everySeconds, this.count);
		if (this.error) return;
		this.running = true;
		this.taken = 0;
		let stopped = false;
		let wake: (() => void) | null = null;
		this.stopper = () => {
			stopped = true;
			wake?.();
		};
		const plan = { everyMs: this.everySeconds * 1000, count: this.count, startedAt: performance.now() };
		let lastSlot = -1;
		try {
			while (!stopped) {
				const step = nextShot(plan, this.taken, lastSlot, performance.now());
				if (step.done) break;
				if (step.waitMs > 0) {
					await new Promise<void>((resolve) => {
						const t = setTimeout(resolve, step.waitMs);
						wake = () => {
							clearTimeout(t);
							resolve();
						};
					});
					wake = null;
					if (stopped) break;
				}
				await shoot();
				lastSlot = step.slot;
				this.taken++;
				this.saved++;
			}
		} catch (err) {
			this.error = `The burst stopped: ${err instanceof Error ? err.message : String(err)}`;
		} finally {
			this.running = false;
			this.stopper = null;
		}
	}

	/** One frame into the gallery. */
	async once(shoot: () => Promise<void>): Promise<void> {
		try {
			this.error = null;
			await shoot();
			this.saved++;
		} catch (err) {
			this.error = `The frame could not be saved: ${err instanceof Error ? err.message : String(err)}`;
		}
	}

	stop(): void {
		this.stopper?.();
	}
}
