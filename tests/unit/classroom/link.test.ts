import { afterEach, describe, expect, it } from 'vitest';
import { TeacherLink } from '../../../src/lib/classroom/teacher-link';
import { ProjectorState } from '../../../src/lib/state/projector.svelte';
import { frameMessage, type PresentState } from '../../../src/lib/classroom/sync';

/**
 * The teacher's and the projector's ends over a real BroadcastChannel (Node has one), with short
 * intervals. Frames are "grabbed" as ImageData-shaped pixels (Node has no canvas); the projector has
 * no canvas either, so it counts frames by its status.
 */
const STATE: PresentState = { style: 'The Scream — Edvard Munch', frozen: false, labels: null, heat: null, heatCaption: null };
const canvas = { width: 4, height: 2 } as HTMLCanvasElement;
const grab = async () => ({ width: 4, height: 2, data: new Uint8ClampedArray(32) }) as unknown as ImageData;
const disposers: (() => void)[] = [];
afterEach(() => {
	for (const d of disposers.splice(0)) d();
});

function teacher(name: string, opts: Partial<ConstructorParameters<typeof TeacherLink>[0]> = {}) {
	const link = new TeacherLink({ channel: new BroadcastChannel(name), grab, heartbeatMs: 20, listenMs: 150, ...opts });
	disposers.push(() => link.dispose());
	return link;
}
function projector(name: string) {
	const p = new ProjectorState({ channel: new BroadcastChannel(name), helloMs: 20, quietMs: 150 });
	disposers.push(() => p.dispose());
	return p;
}
const until = async (cond: () => boolean, ms = 2000) => {
	const end = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 5));
	}
};

describe('teacher ⇄ projector', () => {
	it('sends no frame while no projector listens', async () => {
		const link = teacher(`link-${Math.random()}`);
		expect(await link.publishFrame(canvas)).toBe(false);
		expect(link.sent).toBe(0);
	});

	it('a projector that says hello gets the state and the newest frame at once, then follows', async () => {
		const name = `link-${Math.random()}`;
		const seen: boolean[] = [];
		const link = teacher(name, { onListening: (on) => seen.push(on) });
		link.setState(STATE);
		await link.publishFrame(canvas); // before any projector: kept as the newest, not sent
		const p = projector(name);
		await until(() => p.status === 'live' && p.state !== null);
		expect(p.state).toEqual(STATE);
		expect(seen).toEqual([true]);
		link.setState({ ...STATE, frozen: true });
		await until(() => p.state?.frozen === true);
	});

	it('caps the frame rate and drops a frame that comes while the last is being grabbed', async () => {
		const name = `link-${Math.random()}`;
		let now = 0;
		let pending: (() => void) | null = null;
		const slowGrab = () => new Promise<ImageData>((r) => (pending = () => ((pending = null), r({ width: 1, height: 1, data: new Uint8ClampedArray(4) } as unknown as ImageData))));
		const link = teacher(name, { grab: slowGrab, maxFps: 10, now: () => now });
		expect(await link.publishFrame(canvas)).toBe(false); // nobody listens: kept as the newest
		projector(name);
		await until(() => pending !== null); // the new projector's hello: the newest frame is being grabbed
		pending!();
		await until(() => link.sent === 1);
		now += 50; // 1/20 s later: under the 1/10 s cap
		expect(await link.publishFrame(canvas)).toBe(false);
		now += 60;
		const first = link.publishFrame(canvas);
		expect(await link.publishFrame(canvas, true)).toBe(false); // still grabbing: dropped, not queued
		pending!();
		expect(await first).toBe(true);
		expect([link.sent, link.skipped]).toEqual([2, 2]);
	});

	it('the projector waits again when the teacher says goodbye, and follows a reloaded teacher', async () => {
		const name = `link-${Math.random()}`;
		const first = new TeacherLink({ channel: new BroadcastChannel(name), grab, heartbeatMs: 20, listenMs: 150 });
		first.setState(STATE);
		const p = projector(name);
		await until(() => first.listening);
		await first.publishFrame(canvas, true);
		await until(() => p.status === 'live');
		first.dispose(); // the teacher's window reloads
		await until(() => p.status === 'waiting');
		const second = teacher(name);
		second.setState({ ...STATE, style: 'Composition VII — Wassily Kandinsky' });
		await until(() => second.listening); // the projector's next hello
		await second.publishFrame(canvas, true);
		await until(() => p.status === 'live' && p.state?.style?.startsWith('Composition') === true);
	});

	it('the projector waits again when the teacher goes quiet without a goodbye (a crashed tab)', async () => {
		const name = `link-${Math.random()}`;
		const p = projector(name);
		const gone = new BroadcastChannel(name); // a teacher that sends one frame and dies
		gone.postMessage(frameMessage(1, await grab()));
		await until(() => p.status === 'live');
		gone.close();
		await until(() => p.status === 'waiting'); // after quietMs without a message
	});
});

describe('two teacher windows, one projector', () => {
	it('the projector follows the window that took the lead, says which, and never shows the other one’s state', async () => {
		const name = `link-${Math.random()}`;
		const a = teacher(name, { id: 'AAAA' });
		a.setState(STATE);
		const p = projector(name);
		await until(() => p.state !== null && p.following === 'AAAA');
		const b = teacher(name, { id: 'BBBB' });
		b.setState({ ...STATE, style: 'The Great Wave — Hokusai' });
		await until(() => b.listening);
		// B is not followed: it sends nothing, and the projector keeps A's state.
		expect(b.followed).toBe(false);
		expect(await b.publishFrame(canvas, true)).toBe(false);
		await new Promise((r) => setTimeout(r, 60));
		expect(p.state?.style).toBe(STATE.style);
		// B takes the lead (focused): the projector switches, with B's state only.
		const styles: (string | null)[] = [];
		b.takeLead();
		await until(() => p.following === 'BBBB' && p.state !== null);
		styles.push(p.state!.style);
		await until(() => !a.followed && b.followed);
		a.setState({ ...STATE, style: 'Composition VII — Wassily Kandinsky' }); // A changes: not shown
		expect(await a.publishFrame(canvas, true)).toBe(false);
		await new Promise((r) => setTimeout(r, 60));
		styles.push(p.state!.style);
		expect(styles).toEqual(['The Great Wave — Hokusai', 'The Great Wave — Hokusai']);
		// A takes it back.
		a.takeLead();
		await until(() => p.following === 'AAAA' && p.state?.style?.startsWith('Composition') === true);
	});
});
