import { describe, expect, it } from 'vitest';
import { EventLog, LOG_CAPACITY, type KioskEvent } from '../../../src/lib/kiosk/event-log';

const ev = (i: number, kind: KioskEvent['kind'] = 'frame') => ({ at: 1000 + i, kind, level: 'info' as const, message: `event ${i}` });

describe('EventLog (ring buffer)', () => {
	it('holds 200 events by default', () => {
		expect(new EventLog().capacity).toBe(LOG_CAPACITY);
		expect(LOG_CAPACITY).toBe(200);
	});

	it('keeps events oldest first until it is full', () => {
		const log = new EventLog(5);
		expect(log.entries()).toEqual([]);
		for (let i = 0; i < 3; i++) log.push(ev(i));
		expect(log.size).toBe(3);
		expect(log.entries().map((e) => e.message)).toEqual(['event 0', 'event 1', 'event 2']);
	});

	it('drops the oldest once full and never grows past its capacity', () => {
		const log = new EventLog(5);
		for (let i = 0; i < 5; i++) log.push(ev(i));
		expect(log.entries().map((e) => e.at)).toEqual([1000, 1001, 1002, 1003, 1004]);
		log.push(ev(5));
		expect(log.entries().map((e) => e.at)).toEqual([1001, 1002, 1003, 1004, 1005]);
		for (let i = 6; i < 1234; i++) log.push(ev(i));
		expect(log.size).toBe(5);
		expect(log.total).toBe(1234);
		expect(log.entries().map((e) => e.at)).toEqual([2229, 2230, 2231, 2232, 2233]);
	});

	it('entries() are copies: changing them does not change the log', () => {
		const log = new EventLog(3);
		log.push(ev(0));
		const got = log.entries();
		got[0].message = 'changed';
		got.pop();
		expect(log.size).toBe(1);
		expect(log.entries()[0].message).toBe('event 0');
	});

	it('an event that repeats the newest is counted, not added (a fault on every frame fills nothing)', () => {
		const log = new EventLog(3);
		expect(log.push(ev(0, 'camera'))).toBe(true);
		const added = [];
		for (let i = 0; i < 1000; i++) added.push(log.push({ at: 5000 + i, kind: 'frame', level: 'error', message: 'A frame failed: boom' }));
		expect(added.filter(Boolean)).toHaveLength(1); // the first is new, the rest repeats
		expect(log.size).toBe(2);
		expect(log.entries()[1]).toEqual({ at: 5999, kind: 'frame', level: 'error', message: 'A frame failed: boom', count: 1000 });
		// Another message in between starts a new entry.
		log.push(ev(1, 'camera'));
		log.push({ at: 7000, kind: 'frame', level: 'error', message: 'A frame failed: boom' });
		expect(log.entries().map((e) => e.count)).toEqual([1000, 1, 1]);
	});

	it('counts held events by kind, and clears', () => {
		const log = new EventLog(3);
		log.push(ev(0, 'camera'));
		log.push(ev(1, 'frame'));
		log.push(ev(2, 'camera'));
		log.push(ev(3, 'frame')); // the first camera event falls out
		expect(log.count('camera')).toBe(1);
		expect(log.count('frame')).toBe(2);
		log.clear();
		expect(log.size).toBe(0);
		expect(log.entries()).toEqual([]);
	});

	it('refuses a capacity that is not a positive integer', () => {
		expect(() => new EventLog(0)).toThrow(/positive integer/);
		expect(() => new EventLog(2.5)).toThrow(/positive integer/);
	});
});
