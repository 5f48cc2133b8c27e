import { describe, expect, it } from 'vitest';
import { describeCameraError } from '../../../src/lib/camera/errors';
import { CAPTURE_RESOLUTIONS, findResolution, videoConstraints } from '../../../src/lib/camera/resolution';

const err = (name: string, message = '') => Object.assign(new Error(message), { name });

describe('describeCameraError', () => {
	it('classifies the getUserMedia failures a person meets', () => {
		expect(describeCameraError(err('NotAllowedError')).kind).toBe('denied');
		expect(describeCameraError(err('NotFoundError')).kind).toBe('not-found');
		expect(describeCameraError(err('OverconstrainedError')).kind).toBe('not-found');
		expect(describeCameraError(err('NotReadableError')).kind).toBe('in-use');
		expect(describeCameraError(err('Unsupported')).kind).toBe('unsupported');
		const other = describeCameraError(err('WeirdError', 'boom'));
		expect(other.kind).toBe('other');
		expect(other.message).toContain('boom');
	});
	it('always says the demo scene is showing', () => {
		for (const n of ['NotAllowedError', 'NotFoundError', 'NotReadableError', 'X'])
			expect(describeCameraError(err(n)).message).toMatch(/demo scene/);
	});
});

describe('capture resolutions', () => {
	it('falls back to the default for unknown ids', () => {
		expect(findResolution('nope').id).toBe('640x480');
		expect(findResolution('1280x720').width).toBe(1280);
	});
	it('asks for an exact device only when one is chosen', () => {
		const any = videoConstraints(CAPTURE_RESOLUTIONS[0]).video as MediaTrackConstraints;
		expect(any.deviceId).toBeUndefined();
		const chosen = videoConstraints(CAPTURE_RESOLUTIONS[0], 'abc').video as MediaTrackConstraints;
		expect(chosen.deviceId).toEqual({ exact: 'abc' });
		expect(chosen.width).toEqual({ ideal: 320 });
	});
});
