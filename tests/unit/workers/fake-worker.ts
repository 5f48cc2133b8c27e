/**
 * A Worker stand-in for the owner and client tests: `service` is exposed with comlink on one end of a
 * MessageChannel, exactly as a worker script exposes its API on `self`; the owner talks to the other end.
 */
import * as Comlink from 'comlink';
import type { WorkerLike } from '../../../src/lib/workers/owner';

/** A Worker stand-in: comlink messages go over port1; 'error' events are dispatched by the test. */
export class FakeWorker<S extends object> implements WorkerLike {
	readonly channel = new MessageChannel();
	private readonly events = new EventTarget();
	terminated = false;

	constructor(readonly service: S) {
		Comlink.expose(service, this.channel.port2 as unknown as Comlink.Endpoint);
	}

	private get port(): Comlink.Endpoint {
		return this.channel.port1 as unknown as Comlink.Endpoint;
	}

	postMessage(message: unknown, transfer?: Transferable[]): void {
		this.port.postMessage(message, transfer);
	}

	addEventListener(type: string, listener: EventListenerOrEventListenerObject | ((ev: Event) => void)): void {
		if (type === 'message') this.port.addEventListener(type, listener as EventListener);
		else this.events.addEventListener(type, listener as EventListener);
	}

	removeEventListener(type: string, listener: EventListenerOrEventListenerObject | ((ev: Event) => void)): void {
		if (type === 'message') this.port.removeEventListener(type, listener as EventListener);
		else this.events.removeEventListener(type, listener as EventListener);
	}

	start(): void {
		this.port.start?.();
	}

	terminate(): void {
		this.terminated = true;
		this.closePorts();
	}

	/** Stops answering without any event (a worker terminated behind the owner's back). */
	closePorts(): void {
		this.channel.port1.close();
		this.channel.port2.close();
	}

	/** An uncaught error in the worker, as the browser reports it on the Worker object. */
	crash(message: string): Event {
		const ev = Object.assign(new Event('error', { cancelable: true }), { message });
		this.events.dispatchEvent(ev);
		return ev;
	}

	messageError(): void {
		this.events.dispatchEvent(new Event('messageerror'));
	}
}
