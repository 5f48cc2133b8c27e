// Makes the fake-camera clips and test images the browser tests use (tests/fixtures/generated/,
// git-ignored), with Debian's ffmpeg: a moving test pattern, a clip from one of ../shared/data's
// photos when it is there, and images for the upload checks. Skips files that already exist.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from './png.mjs';
import { sharedData } from './shared-data.mjs';

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
const photo = sharedData('content/debian/darknet__eagle.jpg');
if (existsSync(photo)) {
	ffmpeg(
		['-loop', '1', '-i', photo, '-vf', 'scale=640:480,format=yuv420p', '-r', '30', '-t', '2'],
		'eagle.y4m'
	);
} else if (!existsSync(join(out, 'eagle.y4m'))) {
	console.warn(`not making eagle.y4m: ${photo} is missing (the data folder ../shared/data beside the checkout); the browser tests that show the eagle will fail`);
}
// A camera that sees nobody, then someone (the kiosk's attract loop and its way back): 6 s of a still
// picture (colour bars), then 3 s of the moving pattern; the fake camera loops it. Small, to keep it light.
ffmpeg(
	[
		'-f', 'lavfi', '-i', 'smptebars=size=320x240:rate=15:duration=6',
		'-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15:duration=3',
		'-filter_complex', '[0:v][1:v]concat=n=2:v=1,format=yuv420p[v]', '-map', '[v]'
	],
	'still-then-move.y4m'
);
// Upload fixtures: a normal photo-sized PNG, a 40-megapixel PNG (solid, so small on disk), a 0-byte file
// and a file that claims to be a JPEG but is not.
ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=800x600', '-frames:v', '1'], 'upload.png');
ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x3366aa:s=8000x5000', '-frames:v', '1'], 'big-40mp.png');
if (!existsSync(join(out, 'empty.png'))) writeFileSync(join(out, 'empty.png'), new Uint8Array(0));
if (!existsSync(join(out, 'corrupt.jpg'))) writeFileSync(join(out, 'corrupt.jpg'), 'this is not a jpeg\n'.repeat(64));
// A decompression bomb: a real small PNG whose IHDR is rewritten to claim 40000 × 40000 (1.6 gigapixels),
// with a valid CRC, so only the header check (before decoding) can refuse it with the size.
if (!existsSync(join(out, 'bomb.png'))) {
	const png = execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=64x64', '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', '-']);
	const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
	v.setUint32(16, 40000);
	v.setUint32(20, 40000);
	v.setUint32(29, crc32(png.subarray(12, 29)));
	writeFileSync(join(out, 'bomb.png'), png);
	console.log('made bomb.png');
}

