/**
 * Place-recognition recall: exact nearest-neighbour search of query descriptors in a
 * database (one matrix product per chunk of queries, on tfjs), then Recall@N from the
 * ranked lists and ground-plane distances (pure functions on typed arrays).
 *
 * A retrieval is correct when the retrieved database frame lies strictly closer than
 * `thresholdM` (10 m) to the query on the ground plane. Protocol B (later papers):
 * exclude each query's own synchronised scan from the database (`excludeIndex`) and drop
 * queries with no true neighbour (`dropNoPositive`, their count is reported). Recall@1%
 * uses N = max(round(N_db / 100), 1), N_db = database size less the excluded scan.
 * @see notebooks/03-place-recognition.ipynb (issue 4)
 */
import { tf, type Tensor2D } from '../core/tf.js';
import { InputError } from '../core/errors.js';
import { checkConfigObject, numberFields } from '../core/config-fields.js';
import { assertInt } from '../core/shapes.js';

// #region search
/** Options of {@link searchNearest}. */
export interface SearchOptions {
  /** Descriptors are unit L2 (d^2 = 2 - 2 q.db, skips the norms). Default false (d^2 = |q|^2 + |db|^2 - 2 q.db). */
  normalized?: boolean;
  /** Queries per matrix product (bounds memory to chunk x N_db floats). Default 256. */
  chunkSize?: number;
  /** Per query, a database index to leave out (-1 = none): protocol B's own scan. */
  excludeIndex?: Int32Array;
}

/**
 * Exact k nearest neighbours by squared Euclidean distance.
 * @param queries [Q, D] float32 query descriptors
 * @param database [N, D] float32 database descriptors
 * @param k neighbours per query, 1..N (N - 1 with excludeIndex)
 * @returns indices [Q * k] nearest first and their squared distances [Q * k]
 */
export function searchNearest(queries: Tensor2D, database: Tensor2D, k: number, options: SearchOptions = {}): { indices: Int32Array; distancesSq: Float32Array } {
  const { normalized = false, chunkSize = 256, excludeIndex } = options;
  if (queries.rank !== 2 || database.rank !== 2 || queries.shape[1] !== database.shape[1]) {
    throw new InputError('searchNearest: queries, database', `expected [Q, D] and [N, D] with the same D, got [${queries.shape.join(', ')}] and [${database.shape.join(', ')}]`);
  }
  const [Q] = queries.shape;
  const [N] = database.shape;
  const ex = excludeIndex !== undefined;
  if (ex && excludeIndex.length !== Q) throw new InputError('searchNearest: excludeIndex', `expected ${Q} entries, got ${excludeIndex.length}`);
  assertInt('searchNearest: k', k, 1, ex ? N - 1 : N);
  assertInt('searchNearest: chunkSize', chunkSize, 1);
  const kk = ex ? k + 1 : k; // fetch one more, then drop the excluded index
  const indices = new Int32Array(Q * k);
  const distancesSq = new Float32Array(Q * k);
  const dbSq = normalized ? null : tf.tidy(() => tf.expandDims(tf.sum(tf.square(database), 1), 0)); // [1, N]
  for (let q0 = 0; q0 < Q; q0 += chunkSize) {
    const n = Math.min(chunkSize, Q - q0);
    const [vals, idx] = tf.tidy(() => {
      const qc = tf.slice(queries, [q0, 0], [n, -1]); // [n, D]
      const dots = tf.matMul(qc, database, false, true); // [n, N]
      const d2 = dbSq === null ? tf.sub(2, tf.mul(dots, 2)) : tf.sub(tf.add(tf.sum(tf.square(qc), 1, true), dbSq), tf.mul(dots, 2)); // [n, N]
      const top = tf.topk(tf.neg(d2), kk, true); // [n, kk]
      return [tf.neg(top.values), top.indices];
    });
    const v = vals.dataSync();
    const id = idx.dataSync();
    tf.dispose([vals, idx]);
    for (let r = 0; r < n; r++) {
      const skip = ex ? excludeIndex[q0 + r] : -1;
      let w = 0;
      for (let t = 0; t < kk && w < k; t++) {
        if (id[r * kk + t] === skip) continue;
        indices[(q0 + r) * k + w] = id[r * kk + t];
        distancesSq[(q0 + r) * k + w] = Math.max(0, v[r * kk + t]);
        w++;
      }
    }
  }
  dbSq?.dispose();
  return { indices, distancesSq };
}
// #endregion search

/**
 * Ranks a database by a hand-made (or precomputed) descriptor distance matrix, nearest
 * first, ties by index; pure, for tests and small sets.
 * @param dist [Q * N] descriptor distances
 * @returns [Q * k] database indices
 */
export function rankByDistance(dist: ArrayLike<number>, Q: number, N: number, k: number, excludeIndex?: Int32Array): Int32Array {
  if (dist.length !== Q * N) throw new InputError('rankByDistance: dist', `expected ${Q} x ${N} = ${Q * N} values, got ${dist.length}`);
  assertInt('rankByDistance: k', k, 1, excludeIndex ? N - 1 : N);
  const out = new Int32Array(Q * k);
  for (let q = 0; q < Q; q++) {
    const order = Array.from({ length: N }, (_, j) => j).filter((j) => j !== excludeIndex?.[q]);
    order.sort((a, b) => dist[q * N + a] - dist[q * N + b] || a - b);
    out.set(order.slice(0, k), q * k);
  }
  return out;
}

// #region recall
/** Recall settings. */
export interface RecallConfig {
  /** A retrieval is correct when its ground distance to the query is < thresholdM, metres. Default 10. */
  thresholdM: number;
  /** Longest N of the Recall@N curve, >= 1. Default 25. */
  maxN: number;
  /** Leave out queries with no database frame within thresholdM (protocol B). Default true. */
  dropNoPositive: boolean;
}

/** Protocols A and B: 10 m, curve to 25, queries without a true neighbour dropped. */
export const DEFAULT_RECALL_CONFIG: Readonly<RecallConfig> = Object.freeze({ thresholdM: 10, maxN: 25, dropNoPositive: true });

/** Recall of one evaluation; fractions in [0, 1]. */
export interface RecallResult {
  /** [maxN'] Recall@N for N = 1..maxN' (maxN' = max(maxN, 5, onePercentN)). */
  curve: Float64Array;
  recallAt1: number;
  recallAt5: number;
  recallAt1Percent: number;
  /** The N of Recall@1%: max(round(N_db / 100), 1). */
  onePercentN: number;
  /** Queries scored. */
  numQueries: number;
  /** Queries dropped for having no true neighbour. */
  numDropped: number;
  /** [Q] 0-based rank of the first correct retrieval, -1 if none in the list or dropped. */
  firstCorrectRank: Int32Array;
}

/**
 * Recall@N from ranked retrievals and ground distances.
 * @param ranking [Q * k] database indices, nearest first (must not hold the excluded index)
 * @param k retrievals per query; must be >= max(maxN, 5, onePercentN)
 * @param groundM [Q * N] ground-plane distance query -> database frame, metres
 * @param excludeIndex per query, the database index not part of its database (-1 = none)
 */
export function computeRecall(ranking: Int32Array, k: number, groundM: ArrayLike<number>, Q: number, N: number, config: Partial<RecallConfig> = {}, excludeIndex?: Int32Array): RecallResult {
  const c = { ...DEFAULT_RECALL_CONFIG, ...config };
  checkConfigObject('recall', config, Object.keys(DEFAULT_RECALL_CONFIG));
  numberFields('recall', c, { thresholdM: { min: 0, minOpen: true }, maxN: { min: 1, integer: true } });
  if (groundM.length !== Q * N) throw new InputError('computeRecall: groundM', `expected ${Q} x ${N} = ${Q * N} values, got ${groundM.length}`);
  if (ranking.length !== Q * k) throw new InputError('computeRecall: ranking', `expected ${Q} x ${k} = ${Q * k} indices, got ${ranking.length}`);
  if (excludeIndex && excludeIndex.length !== Q) throw new InputError('computeRecall: excludeIndex', `expected ${Q} entries, got ${excludeIndex.length}`);
  const nDb = N - (excludeIndex ? 1 : 0);
  const onePercentN = Math.max(Math.round(nDb / 100), 1);
  const needed = Math.max(c.maxN, 5, onePercentN);
  if (k < Math.min(needed, nDb)) throw new InputError('computeRecall: k', `need at least ${Math.min(needed, nDb)} retrievals per query (maxN ${c.maxN}, @5, @1% = ${onePercentN}), got ${k}`);
  const firstCorrectRank = new Int32Array(Q).fill(-1);
  const hits = new Float64Array(needed);
  let scored = 0, dropped = 0;
  for (let q = 0; q < Q; q++) {
    const skip = excludeIndex ? excludeIndex[q] : -1;
    let hasPositive = false;
    for (let j = 0; j < N && !hasPositive; j++) hasPositive = j !== skip && groundM[q * N + j] < c.thresholdM;
    if (!hasPositive && c.dropNoPositive) { dropped++; continue; }
    scored++;
    for (let r = 0; r < k; r++) {
      const j = ranking[q * k + r];
      if (!(j >= 0 && j < N)) throw new InputError('computeRecall: ranking', `index ${j} at query ${q} rank ${r} is outside [0, ${N})`);
      if (j === skip) throw new InputError('computeRecall: ranking', `query ${q} retrieved its excluded database index ${j}`);
      if (groundM[q * N + j] < c.thresholdM) { firstCorrectRank[q] = r; break; }
    }
    if (firstCorrectRank[q] >= 0 && firstCorrectRank[q] < needed) hits[firstCorrectRank[q]]++;
  }
  const curve = new Float64Array(needed);
  let acc = 0;
  for (let n = 0; n < needed; n++) { acc += hits[n]; curve[n] = scored > 0 ? acc / scored : 0; }
  const at = (n: number): number => curve[Math.min(n, needed) - 1];
  return { curve, recallAt1: at(1), recallAt5: at(5), recallAt1Percent: at(onePercentN), onePercentN, numQueries: scored, numDropped: dropped, firstCorrectRank };
}
// #endregion recall
