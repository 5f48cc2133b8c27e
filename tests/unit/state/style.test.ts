import { describe, expect, it } from 'vitest';
import { StyleState } from '../../../src/lib/state/style.svelte';

describe('StyleState: the frame rate auto resolution holds', () => {
	it('follows where frames are processed until the person picks one, then keeps theirs', () => {
		const style = new StyleState();
		expect(style.targetFps).toBe(24);
		style.runtimeChanged(false); // the CPU path
		expect(style.targetFps).toBe(12);
		style.runtimeChanged(true); // WebGL back
		expect(style.targetFps).toBe(24);
		style.setTargetFps(15);
		style.runtimeChanged(false);
		expect(style.targetFps).toBe(15);
	});
});
