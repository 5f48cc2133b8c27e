/** Camera capture resolutions offered to the person, by name. */
export interface CaptureResolution {
	id: string;
	label: string;
	width: number;
	height: number;
}

export const CAPTURE_RESOLUTIONS: CaptureResolution[] = [
	{ id: '320x240', label: '320 × 240', width: 320, height: 240 },
	{ id: '640x480', label: '640 × 480', width: 640, height: 480 },
	{ id: '1280x720', label: '1280 × 720 (HD)', width: 1280, height: 720 },
	{ id: '1920x1080', label: '1920 × 1080 (Full HD)', width: 1920, height: 1080 }
];

const DEFAULT_CAPTURE = CAPTURE_RESOLUTIONS[1];

export function findResolution(id: string | null | undefined): CaptureResolution {
	return CAPTURE_RESOLUTIONS.find((r) => r.id === id) ?? DEFAULT_CAPTURE;
}

/** getUserMedia constraints: a device when one is chosen, the size as an ideal (cameras round it). */
export function videoConstraints(res: CaptureResolution, deviceId?: string | null): MediaStreamConstraints {
	return {
		audio: false,
		video: {
			...(deviceId ? { deviceId: { exact: deviceId } } : { facingMode: 'user' }),
			width: { ideal: res.width },
			height: { ideal: res.height },
			frameRate: { ideal: 30 }
		}
	};
}
