/**
 * Image dimensions read from the file header, before anything is decoded, so that a decompression
 * bomb (a small file that claims a huge canvas) is refused without ever being decoded. Pure; tested
 * in Node. Returns null when the format is not recognised or the header is not within `bytes`
 * (e.g. a JPEG whose frame header sits behind more metadata than was read): the caller then falls
 * back to the check after decoding.
 */
export interface HeaderSize {
	format: 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'avif';
	width: number;
	height: number;
}

/** How much of the file to read for the header: enough for JPEGs with large EXIF/ICC blocks. */
export const HEADER_BYTES = 512 * 1024;

export function readImageSize(bytes: Uint8Array): HeaderSize | null {
	const size = sniff(bytes);
	// A zero side (e.g. a JPEG that defers its height to a DNL marker) is left to the decoder.
	return size && size.width > 0 && size.height > 0 ? size : null;
}

function sniff(bytes: Uint8Array): HeaderSize | null {
	const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const n = bytes.length;
	const ascii = (at: number, s: string) =>
		at + s.length <= n && [...s].every((ch, i) => bytes[at + i] === ch.charCodeAt(0));

	// PNG: signature, then the IHDR chunk: width, height as big-endian uint32.
	if (n >= 24 && bytes[0] === 0x89 && ascii(1, 'PNG\r\n\x1a\n') && ascii(12, 'IHDR')) {
		return { format: 'png', width: v.getUint32(16), height: v.getUint32(20) };
	}
	// GIF: logical screen size, little-endian uint16.
	if (n >= 10 && (ascii(0, 'GIF87a') || ascii(0, 'GIF89a'))) {
		return { format: 'gif', width: v.getUint16(6, true), height: v.getUint16(8, true) };
	}
	// BMP: BITMAPINFOHEADER (or later) width/height as int32 LE; a negative height means top-down.
	if (n >= 26 && ascii(0, 'BM')) {
		const headerSize = v.getUint32(14, true);
		if (headerSize === 12) return { format: 'bmp', width: v.getUint16(18, true), height: v.getUint16(20, true) };
		return { format: 'bmp', width: Math.abs(v.getInt32(18, true)), height: Math.abs(v.getInt32(22, true)) };
	}
	// WebP: RIFF....WEBP then a VP8 / VP8L / VP8X chunk.
	if (n >= 30 && ascii(0, 'RIFF') && ascii(8, 'WEBP')) {
		if (ascii(12, 'VP8X')) {
			const w = 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16));
			const h = 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16));
			return { format: 'webp', width: w, height: h };
		}
		if (ascii(12, 'VP8L') && bytes[20] === 0x2f) {
			const b = v.getUint32(21, true);
			return { format: 'webp', width: (b & 0x3fff) + 1, height: ((b >>> 14) & 0x3fff) + 1 };
		}
		if (ascii(12, 'VP8 ') && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) {
			return { format: 'webp', width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
		}
		return null;
	}
	// AVIF (ISOBMFF): ftyp with an AVIF brand, then meta → iprp → ipco → ispe boxes.
	if (n >= 16 && ascii(4, 'ftyp')) {
		const ftypSize = v.getUint32(0);
		let avif = false;
		for (let at = 8; at + 4 <= Math.min(ftypSize, n); at += 4) avif ||= ascii(at, 'avif') || ascii(at, 'avis');
		if (!avif) return null;
		const size = largestIspe(v, 0, n, 0);
		return size && { format: 'avif', ...size };
	}
	// JPEG: walk the marker segments to the first start-of-frame (SOF0–SOF15 except DHT/JPG/DAC).
	if (n >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
		let i = 2;
		while (i + 4 <= n) {
			if (bytes[i] !== 0xff) return null; // not at a marker: corrupt
			const marker = bytes[i + 1];
			if (marker === 0xff) {
				i += 1; // fill byte
				continue;
			}
			if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
				i += 2; // markers without a length
				continue;
			}
			const len = v.getUint16(i + 2);
			if (len < 2) return null;
			const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
			if (isSof) {
				if (i + 9 > n) return null;
				return { format: 'jpeg', height: v.getUint16(i + 5), width: v.getUint16(i + 7) };
			}
			if (marker === 0xda || marker === 0xd9) return null; // scan data or end before any frame header
			i += 2 + len;
		}
		return null;
	}
	return null;
}

/** Boxes whose children hold the image properties; `meta` is a full box (4 bytes of version/flags). */
const CONTAINERS: Record<string, number> = { meta: 4, iprp: 0, ipco: 0 };

/**
 * The largest image spatial extent (`ispe`) declared among the boxes in [start, end): the primary
 * image, its tiles, alpha and thumbnails all declare one, and the largest is what a decoder may
 * allocate. Null when none is within the bytes read.
 */
function largestIspe(v: DataView, start: number, end: number, depth: number): { width: number; height: number } | null {
	let best: { width: number; height: number } | null = null;
	let i = start;
	while (i + 8 <= end && depth < 4) {
		let size = v.getUint32(i);
		let header = 8;
		const type = String.fromCharCode(v.getUint8(i + 4), v.getUint8(i + 5), v.getUint8(i + 6), v.getUint8(i + 7));
		if (size === 1) {
			if (i + 16 > end) break;
			const big = v.getBigUint64(i + 8);
			size = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
			header = 16;
		} else if (size === 0) {
			size = end - i; // to the end of the enclosing box / file
		}
		if (size < header) return best; // corrupt
		const boxEnd = Math.min(i + size, end);
		let found: { width: number; height: number } | null = null;
		if (type === 'ispe' && i + header + 12 <= end) {
			found = { width: v.getUint32(i + header + 4), height: v.getUint32(i + header + 8) };
		} else if (type in CONTAINERS) {
			found = largestIspe(v, i + header + CONTAINERS[type], boxEnd, depth + 1);
		}
		if (found && (!best || found.width * found.height > best.width * best.height)) best = found;
		if (type === 'mdat') break; // coded data: the properties come before it in files we accept
		i += size;
	}
	return best;
}
