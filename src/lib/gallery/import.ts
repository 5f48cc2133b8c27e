/**
 * The last check of pictures from a gallery file, after their headers passed (archive.ts): a real
 * decode, within the upload's limits, one picture at a time, so a damaged one is left out and named
 * while the others are kept. The decoder is passed in (the browser's, decodedSize), so the choice is tested in Node.
 */
import { checkDimensions } from '../camera/upload-check';

export interface Decoded {
	width: number;
	height: number;
}

/** Decodes a picture for real (every byte of it) and gives its size; throws when it cannot be decoded. */
export async function decodedSize(blob: Blob): Promise<Decoded> {
	const bitmap = await createImageBitmap(blob);
	try {
		return { width: bitmap.width, height: bitmap.height };
	} finally {
		bitmap.close();
	}
}

/** Keeps the pictures that decode within the limits; names each one left out by its label or id ("“mug” could not be decoded"). */
export async function keepDecodable<T extends { blob: Blob; id: string; label?: string }>(
	items: readonly T[],
	decode: (blob: Blob) => Promise<Decoded>
): Promise<{ kept: T[]; refused: string[] }> {
	const kept: T[] = [];
	const refused: string[] = [];
	for (let i = 0; i < items.length; i++) {
		const name = items[i].label || items[i].id;
		let size: Decoded;
		try {
			size = await decode(items[i].blob);
		} catch {
			refused.push(`“${name}” could not be decoded (damaged)`);
			continue;
		}
		const dims = checkDimensions(name, size.width, size.height);
		if (dims.ok) kept.push(items[i]);
		else refused.push(dims.message.replace(/\.$/, ''));
	}
	return { kept, refused };
}

/** One message for an import: how many came in, and every picture left out with its reason. */
export function importMessage(fileName: string, imported: number, refused: readonly string[]): { level: 'info' | 'error'; text: string } {
	const n = (k: number) => `${k} picture${k === 1 ? '' : 's'}`;
	if (refused.length === 0) return { level: 'info', text: `Imported ${n(imported)} from “${fileName}”.` };
	return { level: 'error', text: `Imported ${n(imported)} from “${fileName}”; left out ${n(refused.length)}: ${refused.join('; ')}.` };
}
