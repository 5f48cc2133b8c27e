/**
 * Features computed once per snapshot and kept on the device, keyed by snapshot id, in a database of
 * their own ('neural-style-studio-features'), so the snapshot store's schema (shared with the lab) is
 * untouched. A record names the model it came from; features of another model are ignored.
 */
import { openStore, request } from './idb';
export interface Top1 {
	index: number;
	label: string;
	prob: number;
}

export interface FeatureRecord {
	id: string;
	/** Which network made them (a new network invalidates the cache). */
	model: string;
	/** ResNet50's penultimate features (2048, after global average pooling). */
	pooled: Float32Array;
	/** The picture squashed to 32 × 32, RGB in [0, 1] (3072): pixel space. */
	tiny: Float32Array;
	top1: Top1;
}

export const FEATURE_MODEL = 'resnet50-keras-q8';
const DB_NAME = 'neural-style-studio-features';
const STORE = 'features';


export class FeatureCache {
	private constructor(private readonly db: IDBDatabase) {}

	static async open(factory: IDBFactory = indexedDB): Promise<FeatureCache> {
		return new FeatureCache(await openStore(factory, DB_NAME, 1, STORE));
	}

	private tx(mode: IDBTransactionMode): IDBObjectStore {
		return this.db.transaction(STORE, mode).objectStore(STORE);
	}

	async put(rec: FeatureRecord): Promise<void> {
		await request(this.tx('readwrite').put(rec));
	}

	/** Every record of the current model. */
	async all(): Promise<FeatureRecord[]> {
		return ((await request(this.tx('readonly').getAll())) as FeatureRecord[]).filter((r) => r.model === FEATURE_MODEL);
	}

	async delete(id: string): Promise<void> {
		await request(this.tx('readwrite').delete(id));
	}

	async clear(): Promise<void> {
		await request(this.tx('readwrite').clear());
	}

	close(): void {
		this.db.close();
	}
}
