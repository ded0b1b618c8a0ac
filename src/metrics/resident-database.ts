/**
 * A resident descriptor database for place recognition: the rows are uploaded ONCE (and their
 * squared norms computed once), then any number of queries are answered with exact top-k by
 * squared Euclidean distance, in batches (one matrix product per chunk of queries, then
 * tf.topk on the distances). Same expression, same tie rule (lower index first) and same
 * exclusion rule (protocol B's own scan) as `searchNearest` (recall.ts), which takes the
 * database as an argument and recomputes its norms on every call.
 *
 * Storage (`storage`): `float32` is exact; `float16` (half the bytes) and `int8` with a scale
 * per row (a quarter) are approximate, decoded by blocks to float32 for every chunk of queries
 * (slower for one query, about as fast per query in large batches; see bench/retrieval.bench.ts).
 *
 * Convention: a chunk of queries is one product against the whole database (a 1x1
 * convolution for up to `convolutionMaxQueries`, else a matMul), so the time per query falls
 * with the batch: call `queryBatch` with every query you have.
 * @see notebooks/03-place-recognition.ipynb
 */
import { tf, type Tensor, type Tensor2D } from '../core/tf.js';
import { InputError } from '../core/errors.js';
import { checkConfigObject, numberFields, oneOfField } from '../core/config-fields.js';
import { assertInt } from '../core/shapes.js';
import { compressedScorer, float32Scorer, type DatabaseScorer } from './database-scorers.js';

/** How database rows are stored: exact float32, or float16 / int8 (approximate, smaller). */
export type DatabaseStorage = 'float32' | 'float16' | 'int8';

// #region config
/** Settings of {@link createResidentDatabase}. */
export interface ResidentDatabaseConfig {
  /** Row storage. Default 'float32' (exact; 4 bytes a value). 'float16': 2 bytes; 'int8': 1 byte + a float scale per row. */
  storage: DatabaseStorage;
  /** float32: chunks of at most this many queries are scored by a 1x1 convolution (faster for a few queries), integer in [0, 1024]. Default 4. */
  convolutionMaxQueries: number;
  /** float16 / int8: shards of a decoded block scored by one batched matMul (TensorFlow threads them), integer in [1, 64]. Default 2 (the reference machine's cores). */
  shards: number;
  /** Queries per matrix product in queryBatch, integer >= 1 (bounds memory to chunkSize x N floats). Default 256. */
  chunkSize: number;
  /** float16 / int8: rows decoded per block, integer >= 1 (rounded up to a multiple of shards). Default 512. */
  blockRows: number;
}

/** Exact float32 rows, a convolution for up to 4 queries, 2 shards, 256 queries per product, 512-row decode blocks. */
export const DEFAULT_RESIDENT_DATABASE_CONFIG: Readonly<ResidentDatabaseConfig> = Object.freeze({ storage: 'float32', convolutionMaxQueries: 4, shards: 2, chunkSize: 256, blockRows: 512 });

/**
 * Merges `partial` over {@link DEFAULT_RESIDENT_DATABASE_CONFIG} and checks every field.
 * @throws ConfigError naming the field (e.g. `residentDatabase.shards`)
 */
export function validateResidentDatabaseConfig(partial: Partial<ResidentDatabaseConfig> = {}): Readonly<ResidentDatabaseConfig> {
  checkConfigObject('residentDatabase', partial, Object.keys(DEFAULT_RESIDENT_DATABASE_CONFIG));
  const c = { ...DEFAULT_RESIDENT_DATABASE_CONFIG, ...partial };
  oneOfField('residentDatabase.storage', c.storage, ['float32', 'float16', 'int8']);
  numberFields('residentDatabase', c, { convolutionMaxQueries: { min: 0, max: 1024, integer: true }, shards: { min: 1, max: 64, integer: true }, chunkSize: { min: 1, integer: true }, blockRows: { min: 1, integer: true } });
  return Object.freeze(c);
}
// #endregion config

/** Ranked retrievals: [Q * k] database indices nearest first, and their squared distances [Q * k]. */
export interface SearchResult { indices: Int32Array; distancesSq: Float32Array }

/** A database kept across queries; the caller disposes it. */
export interface ResidentDatabase {
  /** N, rows in the database. */
  readonly size: number;
  /** D, the descriptor length a query must have. */
  readonly dim: number;
  readonly config: Readonly<ResidentDatabaseConfig>;
  /** Bytes held by the rows and their norms (not counting a query's transient tensors). */
  readonly bytes: number;
  /**
   * The k nearest rows of one query.
   * @param q [D] or [1, D] float32
   * @param excludeIndex a row to leave out (protocol B's own scan), -1 or omitted for none
   * @returns [k] indices and squared distances, nearest first
   */
  query(q: Float32Array | Tensor, k: number, excludeIndex?: number): SearchResult;
  /**
   * The k nearest rows of every query, `chunkSize` queries per matrix product.
   * @param queries [Q * D] row-major or [Q, D] float32
   * @param excludeIndex [Q] per query a row to leave out (-1 = none)
   * @returns [Q * k] indices and squared distances, nearest first
   */
  queryBatch(queries: Float32Array | Tensor2D, k: number, excludeIndex?: Int32Array): SearchResult;
  dispose(): void;
}

/** Top-k of one chunk: drops each query's excluded row, writes rows q0.. of the result. */
function collect(d2: Tensor2D, kk: number, k: number, q0: number, exclude: Int32Array | undefined, out: SearchResult): void {
  const [vals, idx] = tf.tidy(() => { const t = tf.topk(tf.neg(d2), kk, true); return [tf.neg(t.values), t.indices]; }); // [n, kk]
  const v = vals.dataSync(), id = idx.dataSync();
  tf.dispose([vals, idx]);
  for (let r = 0; r < d2.shape[0]; r++) {
    const skip = exclude ? exclude[q0 + r] : -1;
    for (let t = 0, w = 0; t < kk && w < k; t++) {
      if (id[r * kk + t] === skip) continue;
      out.indices[(q0 + r) * k + w] = id[r * kk + t];
      out.distancesSq[(q0 + r) * k + w] = Math.max(0, v[r * kk + t]);
      w++;
    }
  }
}

// #region create
/**
 * Uploads a database once.
 * @param rows [N * D] row-major or [N, D] float32 descriptors (copied; the caller keeps its own)
 * @param D descriptor length (must match a tensor's shape[1])
 * @throws InputError naming `rows` for a bad shape, ConfigError for a bad config field
 * @see `searchNearest` in recall.ts, the one-shot search it reproduces
 */
export function createResidentDatabase(rows: Float32Array | Tensor2D, D: number, config: Partial<ResidentDatabaseConfig> = {}): ResidentDatabase {
  const where = 'createResidentDatabase';
  const c = validateResidentDatabaseConfig(config);
  assertInt(`${where}: D`, D, 1);
  if (!(rows instanceof Float32Array) && (rows.rank !== 2 || rows.shape[1] !== D)) throw new InputError(`${where}: rows`, `expected [N, ${D}], got [${rows.shape.join(', ')}]`);
  const flat = rows instanceof Float32Array ? rows : rows.dataSync() as Float32Array;
  if (flat.length === 0 || flat.length % D !== 0) throw new InputError(`${where}: rows`, `expected N x ${D} values with N >= 1, got ${flat.length}`);
  const N = flat.length / D, P = c.shards;
  const scorer: DatabaseScorer = c.storage === 'float32' ? float32Scorer(flat, N, D, c.convolutionMaxQueries)
    : compressedScorer(flat, N, D, P, c.storage, Math.ceil(c.blockRows / P) * P, where);
  let disposed = false;
  const queryBatch = (queries: Float32Array | Tensor2D, k: number, exclude?: Int32Array): SearchResult => {
    if (disposed) throw new InputError(`${where}: queryBatch`, 'the database was disposed');
    if (queries instanceof Float32Array ? queries.length % D !== 0 : queries.rank !== 2 || queries.shape[1] !== D) {
      throw new InputError(`${where}: queryBatch: queries`, `expected [Q, ${D}] (or Q x ${D} values), got ${queries instanceof Float32Array ? `${queries.length} values` : `[${queries.shape.join(', ')}]`}`);
    }
    const Q = queries instanceof Float32Array ? queries.length / D : queries.shape[0];
    if (exclude !== undefined && exclude.length !== Q) throw new InputError(`${where}: queryBatch: excludeIndex`, `expected ${Q} entries, got ${exclude.length}`);
    exclude?.forEach((e, q) => { if (!(Number.isInteger(e) && e >= -1 && e < N)) throw new InputError(`${where}: queryBatch: excludeIndex`, `expected -1 or a row in [0, ${N}), got ${e} for query ${q}`); });
    assertInt(`${where}: queryBatch: k`, k, 1, exclude ? N - 1 : N);
    const kk = exclude ? k + 1 : k; // fetch one more, then drop the excluded row
    const out: SearchResult = { indices: new Int32Array(Q * k), distancesSq: new Float32Array(Q * k) };
    for (let q0 = 0; q0 < Q; q0 += c.chunkSize) {
      const n = Math.min(c.chunkSize, Q - q0);
      const d2 = tf.tidy(() => {
        const qc = queries instanceof Float32Array ? tf.tensor2d(queries.subarray(q0 * D, (q0 + n) * D), [n, D]) : tf.slice(queries, [q0, 0], [n, D]); // [n, D]
        return scorer.distancesSq(qc as Tensor2D); // [n, N]
      });
      collect(d2, kk, k, q0, exclude, out);
      d2.dispose();
    }
    return out;
  };
  return {
    size: N, dim: D, config: c, bytes: scorer.bytes,
    queryBatch,
    query: (q, k, excludeIndex = -1) => {
      const size = q instanceof Float32Array ? q.length : q.size;
      if (size !== D || (!(q instanceof Float32Array) && q.rank > 2)) {
        throw new InputError(`${where}: query: q`, `expected one descriptor [${D}] or [1, ${D}], got ${q instanceof Float32Array ? `${q.length} values` : `[${q.shape.join(', ')}]`}`);
      }
      const q2 = q instanceof Float32Array ? q : tf.reshape(q, [1, D]) as Tensor2D;
      try {
        return queryBatch(q2, k, excludeIndex === -1 ? undefined : Int32Array.of(excludeIndex));
      } finally {
        if (q2 !== q) (q2 as Tensor2D).dispose();
      }
    },
    dispose: () => { if (!disposed) scorer.dispose(); disposed = true; },
  };
}
// #endregion create
