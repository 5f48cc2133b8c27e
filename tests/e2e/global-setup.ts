import { execFileSync } from 'node:child_process';

/** Fake-camera clips and upload fixtures are generated, never committed. */
export default function globalSetup() {
	execFileSync('node', ['scripts/make-fake-camera.mjs'], { stdio: 'inherit' });
}
