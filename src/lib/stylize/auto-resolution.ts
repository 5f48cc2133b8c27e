/**
 * Automatic processing resolution: holds a target frame rate by stepping the short side down when
 * frames are slow and back up when there is headroom. Hysteresis keeps it from oscillating:
 * - down at once when the median frame time is over budget (1000/target) by 15 % for `patience` checks;
 * - up only when the time predicted at the next level (scaled by pixel count) fits in 80 % of the
 *   budget for `patience` * 2 checks, and not sooner than `cooldownMs` after the last change;
 * - nothing at all in the first `warmupMs` after a (re)start or a change of level: a fresh worker's first
 *   frames, and the first at a new size, are slow (wasm compiled, weights packed, buffers grown) and say
 *   nothing about the frame rate that follows.
 * Pure: feed it measurements, read `level`.
 */
const SHORT_SIDES = [144, 192, 256, 360, 480, 720] as const;

export interface AutoResolutionOptions {
	targetFps: number;
	levels?: readonly number[];
	patience?: number;
	cooldownMs?: number;
	/** Measurements ignored after a (re)start and after each change of level (ms; default 0). */
	warmupMs?: number;
	start?: number;
}

export class AutoResolution {
	readonly levels: readonly number[];
	private index: number;
	private slow = 0;
	private fast = 0;
	private lastChange = -Infinity;
	/** When the current warm-up began (null: at the next measurement). */
	private warmFrom: number | null = null;
	targetFps: number;
	private readonly patience: number;
	private readonly cooldownMs: number;
	private readonly warmupMs: number;

	constructor(opts: AutoResolutionOptions) {
		this.levels = opts.levels ?? SHORT_SIDES;
		this.targetFps = opts.targetFps;
		this.patience = opts.patience ?? 3;
		this.cooldownMs = opts.cooldownMs ?? 2000;
		this.warmupMs = opts.warmupMs ?? 0;
		const start = opts.start ?? 256;
		const i = this.levels.findIndex((l) => l >= start);
		this.index = i < 0 ? this.levels.length - 1 : i;
	}

	get shortSide(): number {
		return this.levels[this.index];
	}

	/** Frames are processed somewhere new (a new worker, backend or network): warm up again before judging. */
	restart(): void {
		this.warmFrom = null;
		this.slow = 0;
		this.fast = 0;
	}

	/** One measurement: median ms per frame at the current level, at time `now` (ms). Returns the level. */
	update(medianMs: number, now: number): number {
		if (!Number.isFinite(medianMs) || medianMs <= 0) return this.shortSide;
		this.warmFrom ??= now;
		if (now - this.warmFrom < this.warmupMs) return this.shortSide;
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
		this.warmFrom = now;
	}
}

/** The frame rates a person can ask auto resolution to hold. */
export const TARGET_FPS_CHOICES = [12, 15, 24, 30] as const;

/**
 * The frame rate auto resolution holds until the person picks one: 24 where a GPU processes the frames;
 * 12 on the CPU path (wasm, cpu), where 24 would only be reached at 144p, a blur on any screen — a
 * 2-core machine draws 256p at 12–15 fps with two style workers (bench), and a painting at 12 fps reads as moving.
 */
export function defaultTargetFps(onGpu: boolean): number {
	return onGpu ? 24 : 12;
}

