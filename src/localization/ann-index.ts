/**
 * An approximate nearest-neighbour index behind the map's search interface ({@link MapIndex}),
 * for maps larger than exact search serves: a hierarchical navigable small-world graph (HNSW)
 * from the `usearch` package (native, prebuilt; not a home-made index), squared Euclidean
 * distance, the same as the exact resident database's. Its recall against exact search and its
 * speed are measured in bench/ann.bench.ts.
 *
 * Convention: keys are the rows' indices; results come nearest first, ties in the order the
 * graph returns them (exact search breaks ties by the lower index, so equal distances may come
 * back in another order).
 * @see notebooks/06-global-localization.ipynb
 */
import { createRequire } from 'node:module';
import { checkConfigObject, numberFields, oneOfField } from '../core/config-fields.js';
import { InputError } from '../core/errors.js';
import type { SearchResult } from '../metrics/resident-database.js';
import type { MapIndex } from './map.js';

// #region config
/** Settings of {@link createApproximateIndex} (usearch's names in parentheses). */
export interface ApproximateIndexConfig {
  /** Graph edges per node (connectivity), integer in [2, 256]. Default 16. */
  connectivity: number;
  /** Candidate list while inserting (expansion_add), integer in [1, 4096]. Default 128. */
  expansionAdd: number;
  /** Candidate list while searching (expansion_search): recall against speed, integer in [1, 4096]. Default 64. */
  expansionSearch: number;
  /** How vectors are stored in the index (quantization). Default 'f32'. */
  storage: 'f32' | 'f16' | 'i8';
  /** Threads for building and searching, integer in [0, 256] (0 = usearch decides). Default 1: the only setting whose graph, and so whose answers, are the same on every build (with 2 threads two builds of 20000 rows gave identical top-10 lists for 18 of 200 queries). */
  threads: number;
}

/** HNSW with 16 edges a node, 128 / 64 candidates while adding / searching, float32 vectors, 1 thread (deterministic). */
export const DEFAULT_APPROXIMATE_INDEX_CONFIG: Readonly<ApproximateIndexConfig> = Object.freeze({ connectivity: 16, expansionAdd: 128, expansionSearch: 64, storage: 'f32', threads: 1 });
// #endregion config

/**
 * Merges `partial` over {@link DEFAULT_APPROXIMATE_INDEX_CONFIG} and checks every field.
 * @throws ConfigError naming the field (e.g. `approximateIndex.connectivity`)
 */
export function validateApproximateIndexConfig(partial: Partial<ApproximateIndexConfig> = {}): Readonly<ApproximateIndexConfig> {
  checkConfigObject('approximateIndex', partial, Object.keys(DEFAULT_APPROXIMATE_INDEX_CONFIG));
  const c = { ...DEFAULT_APPROXIMATE_INDEX_CONFIG, ...partial };
  oneOfField('approximateIndex.storage', c.storage, ['f32', 'f16', 'i8']);
  numberFields('approximateIndex', c as unknown as Record<string, unknown>, {
    connectivity: { min: 2, max: 256, integer: true }, expansionAdd: { min: 1, max: 4096, integer: true }, expansionSearch: { min: 1, max: 4096, integer: true },
    threads: { min: 0, max: 256, integer: true },
  });
  return Object.freeze(c);
}

interface UsearchIndex {
  add(keys: BigUint64Array, vectors: Float32Array, threads?: number): void;
  search(vectors: Float32Array, k: number, threads: number): { keys: BigUint64Array; distances: Float32Array };
  size(): number;
}
type UsearchModule = { Index: new (config: Record<string, unknown>) => UsearchIndex };

/** The approximate index (a {@link MapIndex}) and what building it cost. */
export interface ApproximateIndex extends MapIndex {
  readonly config: Readonly<ApproximateIndexConfig>;
  /** Seconds spent inserting the rows. */
  readonly buildSeconds: number;
}

// #region createApproximateIndex
/**
 * Builds an HNSW index over the rows (squared Euclidean distance).
 * @param rows [N * D] row-major float32
 * @throws InputError when rows is not N x D
 */
export function createApproximateIndex(rows: Float32Array, D: number, config: Partial<ApproximateIndexConfig> = {}): ApproximateIndex {
  const c = validateApproximateIndexConfig(config);
  if (!(Number.isInteger(D) && D > 0) || rows.length % D !== 0 || rows.length === 0) throw new InputError('createApproximateIndex: rows', `expected N x ${D} values with N >= 1, got ${rows.length}`);
  const N = rows.length / D;
  const { Index } = createRequire(import.meta.url)('usearch') as UsearchModule;
  const index = new Index({ dimensions: D, metric: 'l2sq', quantization: c.storage, connectivity: c.connectivity, expansion_add: c.expansionAdd, expansion_search: c.expansionSearch });
  const t0 = performance.now();
  index.add(BigUint64Array.from({ length: N }, (_, i) => BigInt(i)), rows, c.threads);
  const buildSeconds = (performance.now() - t0) / 1000;
  let disposed = false;
  return {
    config: c, buildSeconds, size: N, dim: D,
    query(q, k, excludeIndex = -1): SearchResult {
      if (disposed) throw new InputError('approximate index: query', 'the index was disposed');
      const v = q instanceof Float32Array ? q : Float32Array.from((q as { dataSync(): ArrayLike<number> }).dataSync());
      if (v.length !== D) throw new InputError('approximate index: query: q', `expected one descriptor of ${D} values, got ${v.length}`);
      if (!(Number.isInteger(k) && k >= 1 && k <= N - (excludeIndex >= 0 ? 1 : 0))) throw new InputError('approximate index: query: k', `expected an integer in [1, ${N - (excludeIndex >= 0 ? 1 : 0)}], got ${k}`);
      const m = index.search(v, Math.min(N, k + (excludeIndex >= 0 ? 1 : 0)), c.threads);
      const indices: number[] = [], distancesSq: number[] = [];
      m.keys.forEach((key, i) => { const r = Number(key); if (r !== excludeIndex && indices.length < k && i < m.distances.length) { indices.push(r); distancesSq.push(m.distances[i]); } });
      return { indices: Int32Array.from(indices), distancesSq: Float32Array.from(distancesSq) };
    },
    dispose() { disposed = true; },
  };
}
// #endregion createApproximateIndex
