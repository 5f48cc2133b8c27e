// docs/picture-detail-<side>p.jpg: what "detail from the camera frame" (src/lib/stylize/guided.ts) adds
// when the network runs at 144p, 256p and 360p, shown on a 1080p screen — the plain upscale (Detail 0 %)
// beside the guided one (100 %), whole pictures on top and one place enlarged (--zoom) below. The shipped
// style network and guided.ts run on tfjs-wasm in Node (bench/node-style-net.mjs); ffmpeg only decodes
// the photo into camera-sized frames (area scaling, as a camera or a browser downscale would give) and
// encodes the JPEGs. Also measures the CPU time per frame of the network, keep colours and the guided
// detail at each size (src/lib/bench/picture-bench.ts), and writes bench/results/picture-detail-<date>.json.
//
//   node scripts/docs-picture.mjs [--photo=debian/mate-backgrounds__TwoWings.jpg] [--style=woman_with_hat]
//        [--crop=0.78,0.45] [--zoom=2.5] [--sides=144,256,360] [--screen=1080] [--runs=7] [--figures=0] [--costs=0]
// --photo: a path under ../shared/data/content/, or any file (e.g. the package's full-size original).
// The guide frame follows the studio's rule (guideShortSide: twice the processing size, capped at the
// camera's and the screen's); the camera frame is the photo at --screen on its short side, at most its own.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cpuClock, openStyleNet, ROOT } from '../bench/node-style-net.mjs';
import { machineLoad } from '../bench/studio.mjs';
import { requireSharedData } from './shared-data.mjs';

const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const photoArg = arg('photo', 'debian/mate-backgrounds__TwoWings.jpg');
const photo = existsSync(photoArg) ? photoArg : requireSharedData('content', ...photoArg.split('/'));
const styleId = arg('style', 'woman_with_hat');
const [cx, cy] = arg('crop', '0.78,0.45').split(',').map(Number);
const sides = arg('sides', '144,256,360').split(',').map(Number);
const screen = Number(arg('screen', '1080'));
const zoom = Number(arg('zoom', '2.5'));
const runs = Number(arg('runs', '7'));
const MAX_BYTES = 300_000;

/** The photo at width × height (area scaling), RGBA bytes. */
function decode(width, height) {
	const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', photo, '-vf', `scale=${width}:${height}:flags=area`, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'], { maxBuffer: 1 << 30 });
	return { width, height, data: new Uint8ClampedArray(raw.buffer, raw.byteOffset, raw.byteLength) };
}

/** A JPEG under MAX_BYTES (the best ffmpeg quality that fits) from RGB bytes. */
function jpeg(width, height, rgb) {
	for (let q = 2; q <= 31; q++) {
		const out = execFileSync('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', '-', '-q:v', String(q), '-f', 'image2', '-c:v', 'mjpeg', '-'], { input: rgb, maxBuffer: 1 << 28 });
		if (out.length < MAX_BYTES) return { bytes: out, q };
	}
	throw new Error('no JPEG quality fits');
}

const even = (x) => 2 * Math.round(x / 2);
const probe = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', photo]).toString().trim().split(',').map(Number);
const aspect = probe[0] / probe[1];
const camH = Math.min(screen, probe[1]);
const camera = { width: even(camH * aspect), height: camH };
/** Each of the four panels of a figure (the figure is 2 × 2 of them), in the photo's aspect. */
const PANEL = { width: 800, height: even(800 / aspect) };

const { tf, net, ssr, backend, close } = await openStyleNet({ threads: 1 });
try {
	const { guidedUpsample, guideShortSide } = await ssr('/src/lib/stylize/guided.ts');
	const { pixelsToTensor } = await ssr('/src/lib/render/pixel-tensors.ts');
	const { benchPictureSteps } = await ssr('/src/lib/bench/picture-bench.ts');
	const style = net.styles.findIndex((s) => s.id === styleId);
	if (style < 0) throw new Error(`no style ${styleId} (${net.styles.map((s) => s.id).join(', ')})`);
	const weights = net.styles.map((_, i) => (i === style ? 1 : 0));
	const result = { date: new Date().toISOString(), backend, photo: photoArg, photoSize: `${probe[0]}×${probe[1]}`, camera: `${camera.width}×${camera.height}`, style: styleId, load: { start: machineLoad() }, sizes: [] };

	for (const side of sides) {
		const proc = { width: Math.round((side * aspect) / 8) * 8, height: side };
		const gSide = guideShortSide(side, camera.height, screen);
		const guideSize = gSide ? { width: even(gSide * aspect), height: gSide } : proc;
		const row = { processing: `${proc.width}×${proc.height}`, guide: `${guideSize.width}×${guideSize.height}` };
		if (arg('figures', '1') !== '0') {
			// Both as a 1080p screen shows them: the output (processing size, or the guide's with detail)
			// drawn at the camera frame's size, bilinear.
			const [plain, guided] = tf.tidy(() => {
				const input = pixelsToTensor(decode(proc.width, proc.height));
				const guide = pixelsToTensor(decode(guideSize.width, guideSize.height));
				const styled = net.stylize(input, weights);
				const show = (x) => tf.clipByValue(tf.image.resizeBilinear(x, [camera.height, camera.width], false, true), 0, 1);
				return [show(guidedUpsample(styled, guide, 0)), show(guidedUpsample(styled, guide, 1, { lowGuide: input }))];
			});
			const figure = await compose(plain, guided);
			tf.dispose([plain, guided]);
			const { bytes, q } = jpeg(figure.width, figure.height, figure.rgb);
			const file = `docs/picture-detail-${side}p.jpg`;
			await writeFile(join(ROOT, file), bytes);
			console.log(`${file}: ${row.processing} → guide ${row.guide}, shown at ${camera.width}×${camera.height}; ${figure.width}×${figure.height}, ${(bytes.length / 1000).toFixed(0)} kB (ffmpeg q ${q})`);
			row.figure = file;
		}
		if (arg('costs', '1') !== '0') {
			const steps = await benchPictureSteps(net, { side, runs, aspect, clock: cpuClock, log: (s) => console.log(`  cpu time: ${s}`) });
			Object.assign(row, { styleMs: steps.styleMs, coloursMs: steps.coloursMs, detailMs: steps.detailMs, detailGuide: steps.guide, share: steps.share, drawMs: steps.drawMs, frameShare: steps.frameShare });
		}
		result.sizes.push(row);
	}
	result.load.end = machineLoad();
	await mkdir(join(ROOT, 'bench/results'), { recursive: true });
	const out = `bench/results/picture-detail-${result.date.slice(0, 10)}.json`;
	await writeFile(join(ROOT, out), JSON.stringify(result, null, 2) + '\n');
	console.log(`load average ${result.load.start.loadavg.join(', ')} → ${result.load.end.loadavg.join(', ')}; wrote ${out}`);
} finally {
	await close();
}

/**
 * The figure: plain | guided, whole (scaled to a panel) on top; below, the same PANEL-sized place cut
 * from the screen-sized pictures at (cx, cy), enlarged `zoom` times (nearest: the screen's pixels, larger), its
 * place outlined on top.
 */
async function compose(plain, guided) {
	const W = camera.width;
	const H = camera.height;
	const cw = Math.round(PANEL.width / zoom);
	const ch = Math.round(PANEL.height / zoom);
	const x0 = Math.max(0, Math.min(W - cw, Math.round(cx * W - cw / 2)));
	const y0 = Math.max(0, Math.min(H - ch, Math.round(cy * H - ch / 2)));
	const figure = { width: 2 * PANEL.width, height: 2 * PANEL.height, rgb: Buffer.alloc(4 * PANEL.width * PANEL.height * 3) };
	for (const [col, img] of [plain, guided].entries()) {
		const [whole, crop] = tf.tidy(() => {
			const small = tf.image.resizeBilinear(img, [PANEL.height, PANEL.width], false, true);
			const cut = tf.slice(img, [y0, x0, 0], [ch, cw, 3]);
			const big = tf.image.resizeNearestNeighbor(cut, [PANEL.height, PANEL.width], false, true);
			const bytes = (x) => tf.cast(tf.round(tf.mul(x, 255)), 'int32');
			return [bytes(small), bytes(big)];
		});
		const panels = [await whole.data(), await crop.data()];
		tf.dispose([whole, crop]);
		for (const [r, data] of panels.entries()) {
			for (let y = 0; y < PANEL.height; y++) {
				for (let x = 0; x < PANEL.width; x++) {
					const o = ((r * PANEL.height + y) * figure.width + col * PANEL.width + x) * 3;
					figure.rgb.set(data.subarray((y * PANEL.width + x) * 3, (y * PANEL.width + x) * 3 + 3), o);
				}
			}
		}
		// The enlarged place, outlined on the whole picture (white, 2 px).
		const s = PANEL.width / W;
		const [bx0, by0, bx1, by1] = [x0 * s, y0 * s, (x0 + cw) * s, (y0 + ch) * s].map(Math.round);
		for (let y = by0; y <= by1; y++) {
			for (let x = bx0; x <= bx1; x++) {
				if (Math.min(y - by0, by1 - y, x - bx0, bx1 - x) >= 2) continue;
				figure.rgb.fill(255, (y * figure.width + col * PANEL.width + x) * 3, (y * figure.width + col * PANEL.width + x) * 3 + 3);
			}
		}
	}
	return figure;
}
