/**
 * The kiosk's event log: the last `capacity` events (200 by default) in a fixed ring, oldest dropped
 * first, so weeks of running never grow it. Pure; the kiosk state pushes, the staff panel reads.
 */
export type KioskEventKind =
	| 'start'
	| 'config'
	| 'camera'
	| 'backend'
	| 'webgl'
	| 'worker'
	| 'frame'
	| 'model'
	| 'visibility'
	| 'attract'
	| 'offline'
	| 'staff';

export type KioskEventLevel = 'info' | 'warning' | 'error';

export interface KioskEvent {
	/** Wall-clock time (ms since the epoch). */
	at: number;
	kind: KioskEventKind;
	level: KioskEventLevel;
	message: string;
	/** The same event again and again (a fault on every frame) is held once, counted. */
	count: number;
}

export const LOG_CAPACITY = 200;

export class EventLog {
	private readonly ring: (KioskEvent | undefined)[];
	/** Where the next event goes. */
	private head = 0;
	/** Entries ever added (the ring holds the last `capacity` of them; repeats are not counted here). */
	total = 0;

	constructor(readonly capacity = LOG_CAPACITY) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`event log capacity must be a positive integer, got ${capacity}`);
		this.ring = new Array(capacity);
	}

	get size(): number {
		return Math.min(this.total, this.capacity);
	}

	/**
	 * Adds an event; one that repeats the newest (same kind, level and message) only bumps its count and
	 * time. Returns false for such a repeat.
	 */
	push(event: Omit<KioskEvent, 'count'> & { count?: number }): boolean {
		const last = this.total > 0 ? this.ring[(this.head + this.capacity - 1) % this.capacity] : undefined;
		if (last && last.kind === event.kind && last.level === event.level && last.message === event.message) {
			last.count += event.count ?? 1;
			last.at = event.at;
			return false;
		}
		this.ring[this.head] = { ...event, count: event.count ?? 1 };
		this.head = (this.head + 1) % this.capacity;
		this.total++;
		return true;
	}

	/** The events held, oldest first (copies). */
	entries(): KioskEvent[] {
		const out: KioskEvent[] = [];
		const start = this.total > this.capacity ? this.head : 0;
		for (let i = 0; i < this.size; i++) out.push({ ...this.ring[(start + i) % this.capacity]! });
		return out;
	}

	/** How many held events are of this kind (tests and the staff panel's summary). */
	count(kind: KioskEventKind): number {
		let n = 0;
		for (let i = 0; i < this.size; i++) if (this.ring[i]!.kind === kind) n++;
		return n;
	}

	clear(): void {
		this.ring.fill(undefined);
		this.head = 0;
		this.total = 0;
	}
}
