/**
 * Automatic processing resolution: holds a target frame rate by stepping the short side down when
 * frames are slow and back up when there is headroom. Hysteresis keeps it from oscillating:
 * - down at once when the median frame time is over budget (1000/target) by 15 % for `patience` checks;
 * - up only when the time predicted at the next level (scaled by pixel count) fits in 80 % of the
 *   budget for `patience` * 2 checks, and not sooner than `cooldownMs` after the last change.
 * Pure: feed it measurements, read `level`.
 */
const SHORT_SIDES = [144, 192, 256, 360, 480, 720] as const;

export interface AutoResolutionOptions {
	targetFps: number;
	levels?: readonly number[];
	patience?: number;
	cooldownMs?: number;
	start?: number;
}

export class AutoResolution {
	readonly levels: readonly number[];
	private index: number;
	private slow = 0;
	private fast = 0;
	private lastChange = -Infinity;
	targetFps: number;
	private readonly patience: number;
	private readonly cooldownMs: number;

	constructor(opts: AutoResolutionOptions) {
		this.levels = opts.levels ?? SHORT_SIDES;
		this.targetFps = opts.targetFps;
		this.patience = opts.patience ?? 3;
		this.cooldownMs = opts.cooldownMs ?? 2000;
		const start = opts.start ?? 256;
		const i = this.levels.findIndex((l) => l >= start);
		this.index = i < 0 ? this.levels.length - 1 : i;
	}

	get shortSide(): number {
		return this.levels[this.index];
	}

	/** One measurement: median ms per frame at the current level, at time `now` (ms). Returns the level. */
	update(medianMs: number, now: number): number {
		if (!Number.isFinite(medianMs) || medianMs <= 0) return this.shortSide;
		const budget = 1000 / this.targetFps;
		if (medianMs > budget * 1.15) {
			this.fast = 0;
			if (++this.slow >= this.patience && this.index > 0) this.change(-1, now);
			return this.shortSide;
		}
		this.slow = 0;
		if (this.index < this.levels.length - 1) {
			const next = this.levels[this.index + 1];
			const predicted = medianMs * (next / this.shortSide) ** 2;
			if (predicted < budget * 0.8) {
				if (++this.fast >= this.patience * 2 && now - this.lastChange >= this.cooldownMs) this.change(+1, now);
			} else this.fast = 0;
		}
		return this.shortSide;
	}

	private change(step: number, now: number): void {
		this.index += step;
		this.slow = 0;
		this.fast = 0;
		this.lastChange = now;
	}
}
