// The paintings the lab's optimization style transfer (Gatys) takes its style from: the style
// network's 12 public-domain paintings (../shared/data/styles), downscaled with ffmpeg so the long
// side is at most 512 px (JPEG, ~40 KB each), written to static/paintings/<id>.jpg. Run by hand when
// the painting set changes; the output is committed (the app never reads ../shared at run time).
//
//   node scripts/prepare-paintings.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, requireSharedData } from './shared-data.mjs';

const MAX_SIDE = 512;
const src = requireSharedData('styles');
const out = join(ROOT, 'static/paintings');
mkdirSync(out, { recursive: true });
for (const file of readdirSync(src).filter((f) => f.endsWith('.jpg')).sort()) {
	const scale = `scale='if(gt(iw,ih),min(${MAX_SIDE},iw),-2)':'if(gt(iw,ih),-2,min(${MAX_SIDE},ih))'`;
	execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', join(src, file), '-vf', scale, '-q:v', '4', join(out, file)]);
	console.log(`static/paintings/${file}`);
}
