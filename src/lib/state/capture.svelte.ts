/**
 * Snapshot (PNG of the picture at processing resolution) and recording (WebM via MediaRecorder
 * of the output canvas), with the elapsed time and bytes recorded so far for the indicator.
 */
export class CaptureState {
	recording = $state(false);
	seconds = $state(0);
	bytes = $state(0);
	error = $state<string | null>(null);
	private recorder: MediaRecorder | null = null;
	private chunks: Blob[] = [];
	private timer = 0;
	private started = 0;

	/** `take` gives a PNG of the picture (the pipeline makes it where the picture is drawn). */
	async snapshot(take: () => Promise<Blob | null>): Promise<void> {
		let blob: Blob | null = null;
		try {
			blob = await take();
		} catch (err) {
			this.error = `The snapshot could not be made: ${err instanceof Error ? err.message : String(err)}`;
			return;
		}
		if (!blob) {
			this.error = 'The snapshot could not be made (no picture yet).';
			return;
		}
		this.error = null;
		download(blob, `style-studio-${stamp()}.png`);
	}

	start(canvas: HTMLCanvasElement | null | undefined): void {
		if (this.recording || !canvas) return;
		if (typeof MediaRecorder === 'undefined' || !canvas.captureStream) {
			this.error = 'This browser cannot record the canvas.';
			return;
		}
		const type = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t));
		if (!type) {
			this.error = 'This browser cannot record WebM video.';
			return;
		}
		const stream = canvas.captureStream(30);
		const rec = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 4_000_000 });
		this.chunks = [];
		this.bytes = 0;
		this.seconds = 0;
		this.error = null;
		rec.ondataavailable = (e) => {
			if (e.data.size > 0) {
				this.chunks.push(e.data);
				this.bytes += e.data.size;
			}
		};
		rec.onstop = () => {
			for (const t of stream.getTracks()) t.stop();
			if (this.chunks.length) download(new Blob(this.chunks, { type: 'video/webm' }), `style-studio-${stamp()}.webm`);
			this.chunks = [];
		};
		rec.start(500);
		this.recorder = rec;
		this.recording = true;
		this.started = performance.now();
		this.timer = window.setInterval(() => (this.seconds = (performance.now() - this.started) / 1000), 250);
	}

	stop(): void {
		if (!this.recording) return;
		clearInterval(this.timer);
		this.recording = false;
		this.recorder?.stop();
		this.recorder = null;
	}

	dispose(): void {
		this.stop();
	}
}

/** Offers `blob` as a download named `name`. */
export function download(blob: Blob, name: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	a.click();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function stamp(): string {
	return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
}
