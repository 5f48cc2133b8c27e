import type { StyleNetManifest, StyleNetOp, TensorEntry } from './types';

const SUPPORTED_FORMAT = 'style-net/1';

export class StyleNetFormatError extends Error {
	constructor(message: string) {
		super(`style-net: ${message}`);
		this.name = 'StyleNetFormatError';
	}
}

function fail(msg: string): never {
	throw new StyleNetFormatError(msg);
}

function isObj(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function posInt(v: unknown, what: string): number {
	if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(`${what} must be a non-negative integer`);
	return v;
}

/** Parse manifest text (JSON) and validate it. Throws StyleNetFormatError with a clear message. */
export function parseManifestText(text: string): StyleNetManifest {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (e) {
		fail(`manifest.json is not valid JSON (${(e as Error).message})`);
	}
	return validateManifest(json);
}

/** Validate an already-parsed manifest object: format, styles, op program, weight table. */
function validateManifest(json: unknown): StyleNetManifest {
	if (!isObj(json)) fail('manifest must be a JSON object');
	if (json.format !== SUPPORTED_FORMAT) fail(`unsupported manifest format ${JSON.stringify(json.format)} (expected ${SUPPORTED_FORMAT})`);
	const styles = json.styles;
	if (!Array.isArray(styles) || styles.length === 0) fail('manifest.styles must be a non-empty array');
	styles.forEach((s, i) => {
		if (!isObj(s) || typeof s.id !== 'string' || typeof s.title !== 'string') fail(`manifest.styles[${i}] needs id and title`);
	});
	const input = json.input;
	if (!isObj(input) || !Array.isArray(input.range) || input.range.length !== 2) fail('manifest.input.range missing');
	if (input.padMode !== 'reflect') fail('manifest.input.padMode must be "reflect"');
	posInt(input.padToMultiple, 'manifest.input.padToMultiple');
	const weights = json.weights;
	if (!isObj(weights) || typeof weights.file !== 'string' || !Array.isArray(weights.tensors)) fail('manifest.weights must have file and tensors');
	const byteLength = posInt(weights.byteLength, 'manifest.weights.byteLength');
	const q = json.quantization;
	if (!isObj(q) || q.dtype !== 'float16') fail('manifest.quantization.dtype must be "float16"');
	const names = new Map<string, TensorEntry>();
	for (const [i, t] of (weights.tensors as unknown[]).entries()) {
		if (!isObj(t) || typeof t.name !== 'string' || !Array.isArray(t.shape)) fail(`weights.tensors[${i}] malformed`);
		const shape = (t.shape as unknown[]).map((d, j) => posInt(d, `weights.tensors[${i}].shape[${j}]`));
		const offset = posInt(t.offset, `weights.tensors[${i}].offset`);
		const n = shape.reduce((a, b) => a * b, 1);
		if (t.dtype !== 'float16') fail(`weights.tensors[${i}] dtype must be float16`);
		if (t.byteLength !== n * 2) fail(`weights.tensors[${i}] (${t.name}) byteLength ${t.byteLength} != ${n * 2}`);
		if (offset % 2 !== 0 || offset + n * 2 > byteLength) fail(`weights.tensors[${i}] (${t.name}) lies outside weights.bin`);
		names.set(t.name, t as unknown as TensorEntry);
	}
	if (!Array.isArray(json.ops) || json.ops.length === 0) fail('manifest.ops must be a non-empty array');
	const nStyles = styles.length;
	const slots = new Set<string>();
	for (const [i, o] of (json.ops as unknown[]).entries()) {
		if (!isObj(o) || typeof o.op !== 'string') fail(`ops[${i}] malformed`);
		const op = o as unknown as StyleNetOp;
		const need = (name: string, shape: number[]) => {
			const e = names.get(name);
			if (!e) fail(`ops[${i}] needs tensor ${name}, absent from weights.tensors`);
			if (e.shape.join(',') !== shape.join(',')) fail(`tensor ${name} has shape [${e.shape}] but ops[${i}] needs [${shape}]`);
		};
		switch (op.op) {
			case 'conv': {
				const [kh, kw] = op.kernel;
				need(`${op.name}/kernel`, op.depthwise ? [kh, kw, op.cin, 1] : [kh, kw, op.cin, op.cout]);
				if (op.bias) need(`${op.name}/bias`, [op.cout]);
				posInt(op.stride, `ops[${i}].stride`);
				posInt(op.pad, `ops[${i}].pad`);
				break;
			}
			case 'cin':
				need(`${op.name}/gamma`, [nStyles, op.channels]);
				need(`${op.name}/beta`, [nStyles, op.channels]);
				if (typeof op.eps !== 'number') fail(`ops[${i}].eps missing`);
				break;
			case 'save':
				slots.add(op.slot);
				break;
			case 'add':
				if (!slots.has(op.slot)) fail(`ops[${i}] adds slot ${op.slot} before it is saved`);
				break;
			case 'upsample':
				posInt(op.factor, `ops[${i}].factor`);
				break;
			case 'relu':
			case 'sigmoid':
				break;
			default:
				fail(`ops[${i}] has unknown op ${JSON.stringify((op as { op: string }).op)}`);
		}
	}
	return json as unknown as StyleNetManifest;
}

/** Check the weights buffer against the manifest (length first: a truncated download is common). */
export function validateWeightsBuffer(manifest: StyleNetManifest, buffer: ArrayBuffer): void {
	if (buffer.byteLength !== manifest.weights.byteLength) {
		fail(
			`${manifest.weights.file} has ${buffer.byteLength} bytes but the manifest says ${manifest.weights.byteLength} ` +
				'(truncated or mismatched download?)'
		);
	}
}
