// Copies what the app serves from its own origin and that comes from node_modules:
// the tfjs WebAssembly binaries (static/tfjs-wasm/). Idempotent; run before dev and build.
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasmSrc = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const wasmDst = join(root, 'static/tfjs-wasm');
mkdirSync(wasmDst, { recursive: true });
let copied = 0;
for (const f of readdirSync(wasmSrc).filter((f) => f.endsWith('.wasm'))) {
	const src = join(wasmSrc, f);
	const dst = join(wasmDst, f);
	let same = false;
	try {
		same = statSync(dst).size === statSync(src).size && statSync(dst).mtimeMs >= statSync(src).mtimeMs;
	} catch {}
	if (!same) {
		copyFileSync(src, dst);
		copied++;
	}
}
console.log(`prepare-assets: tfjs wasm binaries ready in static/tfjs-wasm (${copied} copied)`);

// The classifier for the explanation views: quantized ResNet50 in static/models/resnet50/ (skips when up to date).
const { prepare: prepareClassifier } = await import('./prepare-classifier.mjs');
prepareClassifier();
