/**
 * A PCA-reduced resident database: descriptors are centred and projected on the `dims`
 * leading principal directions of the DATABASE rows (randomized-pca.ts), and the search runs
 * on the short vectors (resident-database.ts). Squared distances are those of the
 * projections, |C (q - x)|^2 <= |q - x|^2: an approximation whose recall cost
 * bench/retrieval.bench.ts measures. A query is projected with one product by C [dims, D].
 * @see notebooks/03-place-recognition.ipynb
 */
import { tf, type Tensor, type Tensor2D } from '../core/tf.js';
import { InputError } from '../core/errors.js';
import { checkConfigObject } from '../core/config-fields.js';
import { createResidentDatabase, type ResidentDatabase, type ResidentDatabaseConfig, type SearchResult } from '../metrics/resident-database.js';
import { fitPcaBasis, type PcaBasis, type RandomizedPcaConfig } from './randomized-pca.js';

/** Settings of {@link createPcaDatabase}. */
export interface PcaDatabaseConfig {
  /** Principal directions kept, integer in [1, min(N - 1, D, 512 - oversample)]. Default 256. */
  dims: number;
  /** How the basis is fitted (oversample, powerIterations, seed); see randomized-pca.ts. */
  pca: Partial<RandomizedPcaConfig>;
  /** The resident database of the projections (its storage, shards, chunkSize). */
  database: Partial<ResidentDatabaseConfig>;
}

/** 256 directions, the default randomized PCA, an exact float32 database of the projections. */
export const DEFAULT_PCA_DATABASE_CONFIG: Readonly<PcaDatabaseConfig> = Object.freeze({ dims: 256, pca: {}, database: {} });

/** A resident database over PCA projections; queries are full-length descriptors. */
export interface PcaDatabase extends ResidentDatabase {
  /** The fitted basis (mean, components, variance per component). */
  readonly basis: PcaBasis;
  /** Share of the database's variance the kept directions hold, in [0, 1]. */
  readonly keptVariance: number;
}

// #region create
/**
 * Fits the basis on the rows, projects them and keeps the projections resident.
 * @param rows [N * D] row-major float32 descriptors
 * @returns a database whose `dim` is D (queries are projected inside) and whose `bytes` counts the basis
 * @throws InputError / ConfigError naming the field
 */
export function createPcaDatabase(rows: Float32Array, D: number, config: Partial<PcaDatabaseConfig> = {}): PcaDatabase {
  checkConfigObject('pcaDatabase', config, Object.keys(DEFAULT_PCA_DATABASE_CONFIG));
  const c = { ...DEFAULT_PCA_DATABASE_CONFIG, ...config };
  if (!(Number.isInteger(D) && D >= 1 && rows.length % D === 0 && rows.length > 0)) throw new InputError('createPcaDatabase: rows', `expected N x ${D} values with N >= 1, got ${rows.length}`);
  const N = rows.length / D, d = c.dims;
  const basis = fitPcaBasis(rows, N, D, d, c.pca);
  const C = tf.tensor2d(basis.components, [d, D]); // [d, D]
  const bias = tf.tidy(() => tf.matMul(tf.tensor2d(basis.mean, [1, D]), C, false, true)) as Tensor2D; // [1, d] = C mean
  const project = (q: Tensor2D): Tensor2D => tf.tidy(() => tf.sub(tf.matMul(q, C, false, true), bias)); // [Q, D] -> [Q, d]
  const y = tf.tidy(() => project(tf.tensor2d(rows, [N, D]))); // [N, d]
  let inner: ResidentDatabase;
  try { inner = createResidentDatabase(y, d, c.database); } catch (e) { tf.dispose([C, bias]); throw e; } finally { y.dispose(); }
  const asTensor = (q: Float32Array | Tensor, where: string): Tensor2D => {
    const size = q instanceof Float32Array ? q.length : q.size;
    if (size % D !== 0 || size === 0 || (!(q instanceof Float32Array) && q.rank !== 2 && q.rank !== 1)) throw new InputError(`createPcaDatabase: ${where}`, `expected [Q, ${D}] descriptors, got ${q instanceof Float32Array ? `${q.length} values` : `[${q.shape.join(', ')}]`}`);
    return q instanceof Float32Array ? tf.tensor2d(q, [size / D, D]) : tf.reshape(q, [size / D, D]) as Tensor2D;
  };
  const run = (q: Float32Array | Tensor, where: string, search: (y: Tensor2D) => SearchResult): SearchResult => {
    const y = tf.tidy(() => project(asTensor(q, where)));
    try { return search(y); } finally { y.dispose(); }
  };
  const kept = basis.variance.reduce((a, v) => a + v, 0);
  return {
    size: N, dim: D, config: inner.config, basis,
    keptVariance: basis.totalVariance > 0 ? Math.min(1, kept / basis.totalVariance) : 1,
    bytes: inner.bytes + 4 * (d * D + d),
    query: (q, k, excludeIndex) => run(q, 'query: q', (y) => inner.query(y, k, excludeIndex)),
    queryBatch: (q, k, excludeIndex) => run(q, 'queryBatch: queries', (y) => inner.queryBatch(y, k, excludeIndex)),
    dispose: () => { tf.dispose([C, bias]); inner.dispose(); },
  };
}
// #endregion create
