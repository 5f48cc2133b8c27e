/** Turns getUserMedia failures into a kind and a sentence a person can act on. */
export type CameraErrorKind = 'denied' | 'not-found' | 'in-use' | 'insecure' | 'unsupported' | 'other';

export interface CameraProblem {
	kind: CameraErrorKind;
	message: string;
}

export function describeCameraError(err: unknown): CameraProblem {
	const name = (err as { name?: string } | null)?.name ?? '';
	const detail = (err as { message?: string } | null)?.message ?? String(err);
	switch (name) {
		case 'NotAllowedError':
		case 'PermissionDeniedError':
		case 'SecurityError':
			return {
				kind: 'denied',
				message: 'Camera access was denied. Showing the demo scene; allow the camera in the address bar and press “Use camera” to try again.'
			};
		case 'NotFoundError':
		case 'DevicesNotFoundError':
		case 'OverconstrainedError':
			return { kind: 'not-found', message: 'No camera was found. Showing the demo scene; plug in a camera and it will be picked up.' };
		case 'NotReadableError':
		case 'TrackStartError':
		case 'AbortError':
			return { kind: 'in-use', message: 'The camera could not be started (is another app using it?). Showing the demo scene.' };
		case 'TypeError':
			if (typeof navigator !== 'undefined' && !navigator.mediaDevices)
				return { kind: 'insecure', message: 'Camera needs a secure page (https or localhost). Showing the demo scene.' };
			return { kind: 'other', message: `The camera failed: ${detail}. Showing the demo scene.` };
		case 'Unsupported':
			return { kind: 'unsupported', message: 'This browser offers no camera API. Showing the demo scene.' };
		default:
			return { kind: 'other', message: `The camera failed: ${detail}. Showing the demo scene.` };
	}
}
