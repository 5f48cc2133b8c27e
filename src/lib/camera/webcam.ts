import type { FrameSource, CameraDevice } from './types';
import { videoConstraints, type CaptureResolution } from './resolution';

/** A webcam stream. Its tracks are stopped by stop(); `onEnded` fires when the camera goes away. */
export class WebcamSource implements FrameSource {
	readonly kind = 'camera' as const;
	readonly element: HTMLVideoElement;
	label = 'Camera';
	private stream: MediaStream | null = null;
	private frames = 0;
	private seen = -1;
	private stopped = false;

	private constructor(
		video: HTMLVideoElement,
		private readonly onEnded: () => void
	) {
		this.element = video;
	}

	static async open(res: CaptureResolution, deviceId: string | null, onEnded: () => void): Promise<WebcamSource> {
		if (!navigator.mediaDevices?.getUserMedia) {
			throw Object.assign(new Error('no mediaDevices'), { name: 'Unsupported' });
		}
		const stream = await navigator.mediaDevices.getUserMedia(videoConstraints(res, deviceId));
		const video = document.createElement('video');
		video.muted = true;
		video.playsInline = true;
		video.srcObject = stream;
		const source = new WebcamSource(video, onEnded);
		source.stream = stream;
		const track = stream.getVideoTracks()[0];
		source.label = track?.label || 'Camera';
		track?.addEventListener('ended', source.handleEnded);
		try {
			await video.play();
			await source.firstFrame();
		} catch (err) {
			source.stop();
			throw err;
		}
		return source;
	}

	get width(): number {
		return this.element.videoWidth;
	}
	get height(): number {
		return this.element.videoHeight;
	}
	get deviceId(): string | undefined {
		return this.stream?.getVideoTracks()[0]?.getSettings().deviceId;
	}

	private firstFrame(): Promise<void> {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(Object.assign(new Error('the camera sent no frame in 10 s'), { name: 'NotReadableError' })), 10_000);
			const check = () => {
				if (this.element.videoWidth > 0 && this.element.readyState >= 2) {
					clearTimeout(timer);
					this.countFrames();
					resolve();
				} else setTimeout(check, 30);
			};
			check();
		});
	}

	private countFrames(): void {
		const v = this.element as HTMLVideoElement & {
			requestVideoFrameCallback?: (cb: () => void) => number;
		};
		if (!v.requestVideoFrameCallback) {
			this.frames = NaN; // unknown: treat every animation frame as new
			return;
		}
		const tick = () => {
			if (this.stopped) return;
			this.frames++;
			v.requestVideoFrameCallback!(tick);
		};
		v.requestVideoFrameCallback(tick);
	}

	advance(): boolean {
		if (Number.isNaN(this.frames)) return true;
		if (this.frames === this.seen) return false;
		this.seen = this.frames;
		return true;
	}

	private handleEnded = () => {
		if (this.stopped) return;
		this.stop();
		this.onEnded();
	};

	stop(): void {
		if (this.stopped) return;
		this.stopped = true;
		for (const t of this.stream?.getTracks() ?? []) {
			t.removeEventListener('ended', this.handleEnded);
			t.stop();
		}
		this.stream = null;
		this.element.srcObject = null;
	}
}

export async function listCameras(): Promise<CameraDevice[]> {
	if (!navigator.mediaDevices?.enumerateDevices) return [];
	const devices = await navigator.mediaDevices.enumerateDevices();
	return devices
		.filter((d) => d.kind === 'videoinput')
		.map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}
