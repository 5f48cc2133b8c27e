// A gallery file (the format of src/lib/gallery/archive.ts) made from photos in ../shared/data, for
// the gallery's screenshots and its bench: each photo scaled by ffmpeg and stored as PNG.
//
//   import { CLASS_PHOTOS, makeGalleryArchive } from './gallery-archive.mjs';
//   writeFileSync('gallery.json', makeGalleryArchive(CLASS_PHOTOS));
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { requireSharedData } from './shared-data.mjs';

/** 30 ImageNet photos in six groups a class would bring: dogs, cats, vehicles, fruit, cups, landscapes. */
export const CLASS_PHOTOS = [
	'n02099601_golden_retriever', 'n02099712_Labrador_retriever', 'n02102318_cocker_spaniel', 'n02093754_Border_terrier', 'n02094433_Yorkshire_terrier', 'n02086646_Blenheim_spaniel',
	'n02123045_tabby', 'n02123394_Persian_cat', 'n02123597_Siamese_cat',
	'n02701002_ambulance', 'n03345487_fire_engine', 'n03594945_jeep', 'n03977966_police_van', 'n04146614_school_bus', 'n04285008_sports_car',
	'n07742313_Granny_Smith', 'n07745940_strawberry', 'n07747607_orange', 'n07749582_lemon', 'n07753275_pineapple', 'n07753592_banana',
	'n03063599_coffee_mug', 'n04398044_teapot', 'n07920052_espresso', 'n07930864_cup',
	'n09193705_alp', 'n09246464_cliff', 'n09332890_lakeside', 'n09428293_seashore', 'n09468604_valley'
].map((n) => `imagenet/${n}.jpg`);

/** One photo (a path under ../shared/data/content) as PNG bytes, `width` wide, and its size. */
export function photoPng(rel, width = 320) {
	const file = requireSharedData('content', ...rel.split('/'));
	const r = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', `scale=${width}:-2`, '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'png', '-'], { maxBuffer: 64 << 20 });
	if (r.status !== 0) throw new Error(`ffmpeg failed on ${file}: ${r.stderr}`);
	const png = r.stdout;
	// IHDR: width and height at bytes 16–23.
	return { png, width: png.readUInt32BE(16), height: png.readUInt32BE(20), name: basename(file, '.jpg').replace(/^n\d+_/, '').replace(/_/g, ' ') };
}

/** A gallery file (JSON text) holding `photos`, repeated to `count` pictures when asked. */
export function makeGalleryArchive(photos, { count = photos.length, width = 320, start = Date.UTC(2026, 10, 23, 9) } = {}) {
	const cache = new Map();
	const snapshots = [];
	for (let i = 0; i < count; i++) {
		const rel = photos[i % photos.length];
		if (!cache.has(rel)) cache.set(rel, photoPng(rel, width));
		const p = cache.get(rel);
		snapshots.push({ id: `photo-${String(i).padStart(4, '0')}`, width: p.width, height: p.height, source: 'upload', createdAt: start + i * 1000, label: p.name, type: 'image/png', data: p.png.toString('base64') });
	}
	return JSON.stringify({ format: 'neural-style-studio-gallery', version: 1, exportedAt: start, snapshots });
}
