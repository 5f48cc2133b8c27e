import { DemoSource } from '../camera/demo';
import { describeCameraError } from '../camera/errors';
import { CAPTURE_RESOLUTIONS, findResolution } from '../camera/resolution';
import { StillImageSource, UploadError } from '../camera/still-image';
import type { CameraDevice, FrameSource } from '../camera/types';
import { listCameras, WebcamSource } from '../camera/webcam';
import { DEMO_FPS } from '../config/studio';

export type Notice = { level: 'info' | 'warning' | 'error'; text: string } | null;

/**
 * Which frame source is live, and switching between them: the camera when there is one and it
 * is allowed, else the demo scene with a message; an uploaded still on request. Stops the old
 * source's tracks on every switch, and picks the camera up again when one appears.
 */
export class SourceState {
	current = $state.raw<FrameSource | null>(null);
	notice = $state<Notice>(null);
	cameras = $state<CameraDevice[]>([]);
	deviceId = $state<string | null>(null);
	resolutionId = $state(findResolution(null).id);
	/** The person wants the camera (not a demo/still of their choosing). */
	wantCamera = $state(true);
	busy = $state(false);
	readonly resolutions = CAPTURE_RESOLUTIONS;
	private disposed = false;
	private switchId = 0;
	/** The demo scene's frame rate (?demoFps). */
	private demoFps = DEMO_FPS;

	get kind() {
		return this.current?.kind ?? null;
	}
	get label() {
		return this.current?.label ?? '';
	}

	async init(opts: { camera: boolean; demoFps?: number }): Promise<void> {
		navigator.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
		this.demoFps = opts.demoFps ?? DEMO_FPS;
		this.wantCamera = opts.camera;
		if (opts.camera) await this.useCamera();
		else this.useDemo(null);
	}

	private replace(next: FrameSource | null): void {
		const old = this.current;
		this.current = next;
		if (old && old !== next) old.stop();
	}

	async useCamera(deviceId: string | null = this.deviceId): Promise<boolean> {
		const id = ++this.switchId;
		this.wantCamera = true;
		this.busy = true;
		try {
			// Release the old camera first: some devices cannot be opened twice.
			if (this.current?.kind === 'camera') this.replace(null);
			const cam = await WebcamSource.open(findResolution(this.resolutionId), deviceId, this.onCameraEnded);
			if (id !== this.switchId || this.disposed) {
				cam.stop();
				return false;
			}
			this.replace(cam);
			this.deviceId = cam.deviceId ?? deviceId;
			this.notice = null;
			this.cameras = await listCameras();
			return true;
		} catch (err) {
			if (id !== this.switchId || this.disposed) return false;
			const problem = describeCameraError(err);
			this.useDemo({ level: problem.kind === 'other' ? 'error' : 'warning', text: problem.message });
			this.wantCamera = problem.kind !== 'denied';
			return false;
		} finally {
			if (id === this.switchId) this.busy = false;
		}
	}

	useDemo(notice: Notice): void {
		++this.switchId;
		this.replace(new DemoSource(640, 480, this.demoFps));
		this.notice = notice;
		if (notice === null) this.wantCamera = false;
	}

	async useImage(file: File): Promise<void> {
		const id = ++this.switchId;
		try {
			const still = await StillImageSource.fromFile(file);
			if (id !== this.switchId || this.disposed) return still.stop();
			this.replace(still);
			this.wantCamera = false;
			this.notice = still.note ? { level: 'info', text: still.note } : null;
		} catch (err) {
			// The live source stays as it was: nothing is lost.
			const text = err instanceof UploadError ? err.message : `The image could not be opened: ${String(err)}`;
			this.notice = { level: 'error', text };
		}
	}

	async setResolution(id: string): Promise<void> {
		this.resolutionId = findResolution(id).id;
		if (this.current?.kind === 'camera') await this.useCamera();
	}

	/** The next camera of the device (front ↔ back on a phone): only where it has more than one. */
	async nextCamera(): Promise<void> {
		const n = this.cameras.length;
		if (n < 2) return;
		const i = this.cameras.findIndex((c) => c.deviceId === this.deviceId);
		await this.setDevice(this.cameras[(i + 1) % n].deviceId);
	}

	async setDevice(deviceId: string): Promise<void> {
		this.deviceId = deviceId;
		await this.useCamera(deviceId);
	}

	private onCameraEnded = () => {
		this.useDemo({ level: 'warning', text: 'The camera was disconnected. Showing the demo scene; it will come back when the camera does.' });
		this.wantCamera = true;
		this.refreshCameras();
	};

	private onDeviceChange = async () => {
		await this.refreshCameras();
		if (this.wantCamera && this.current?.kind !== 'camera' && this.cameras.length > 0) {
			await this.useCamera(this.cameras.some((c) => c.deviceId === this.deviceId) ? this.deviceId : null);
		}
	};

	private async refreshCameras(): Promise<void> {
		try {
			this.cameras = await listCameras();
		} catch {
			this.cameras = [];
		}
	}

	dispose(): void {
		this.disposed = true;
		++this.switchId;
		navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
		this.replace(null);
	}
}
