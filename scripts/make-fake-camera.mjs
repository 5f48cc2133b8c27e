// Makes the fake-camera clips and test images the browser tests use (tests/fixtures/generated/,
// git-ignored), with Debian's ffmpeg: a moving test pattern, a clip from one of ../shared/data's
// photos when it is there, and images for the upload checks. Skips files that already exist.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'tests/fixtures/generated');
mkdirSync(out, { recursive: true });

function ffmpeg(args, file) {
	const dst = join(out, file);
	if (existsSync(dst)) return;
	execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...args, dst], { stdio: 'inherit' });
	console.log(`made ${file}`);
}

// 640×480, 30 fps, 4 s of moving pattern: the fake camera loops it.
ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=30', '-t', '3', '-pix_fmt', 'yuv420p'], 'camera.y4m');
// A photo held still with a slow zoom (for content-sensitive checks).
const photo = join(root, '../shared/data/content/debian/darknet__eagle.jpg');
if (existsSync(photo)) {
	ffmpeg(
		['-loop', '1', '-i', photo, '-vf', 'scale=640:480,format=yuv420p', '-r', '30', '-t', '2'],
		'eagle.y4m'
	);
}
// Upload fixtures: a normal photo-sized PNG, a 40-megapixel PNG (solid, so small on disk), a 0-byte file
// and a file that claims to be a JPEG but is not.
ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=800x600', '-frames:v', '1'], 'upload.png');
ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x3366aa:s=8000x5000', '-frames:v', '1'], 'big-40mp.png');
if (!existsSync(join(out, 'empty.png'))) writeFileSync(join(out, 'empty.png'), new Uint8Array(0));
if (!existsSync(join(out, 'corrupt.jpg'))) writeFileSync(join(out, 'corrupt.jpg'), 'this is not a jpeg\n'.repeat(64));
