/**
 * The inner loop of a resident descriptor database (resident-database.ts): squared
 * Euclidean distances from a chunk of queries to every database row,
 *
 *   d^2[q, i] = (|q|^2 + |x_i|^2) - 2 q.x_i        (the expression of searchNearest, recall.ts)
 *
 * with |x_i|^2 computed once when the database is made. Two scorers:
 * - float32: the rows live in ONE tensor, transposed [D, N]; a few queries are scored by a 1x1
 *   convolution with it as the filter, a larger chunk by one matMul.
 * - float16 / int8 (descriptor-codecs.ts): the rows stay in a typed array (1/2 or 1/4 of the
 *   bytes) and are decoded block by block into a float32 tensor [R, D] of P shards scored by one
 *   batched matMul (TensorFlow runs the shards on separate threads, which a single [1, D] x
 *   [D, R] product does not do); an int8 block's dot products are multiplied by the row scales.
 * @see notebooks/03-place-recognition.ipynb
 */
import { tf, type Tensor2D, type Tensor3D, type Tensor4D } from '../core/tf.js';
import { decodeHalf, encodeHalf, quantizeRowsInt8 } from './descriptor-codecs.js';

/** Scores a chunk of queries: qc [n, D] float32 -> d^2 [n, N] float32 (a new tensor). */
export interface DatabaseScorer {
  /** [n, D] -> [n, N] squared distances. */
  distancesSq(qc: Tensor2D): Tensor2D;
  /** Bytes the stored rows and their norms hold. */
  readonly bytes: number;
  dispose(): void;
}

/**
 * Dot products of queries with rows split into P equal shards (one batched matMul).
 * @param qc [n, D] queries; rows [R, D] with R divisible by P
 * @returns [n, R] dots, q.x_i in column i
 */
export function shardedDots(qc: Tensor2D, rows: Tensor2D | Tensor3D, P: number): Tensor2D {
  return tf.tidy(() => {
    const [n, D] = qc.shape;
    if (P === 1) return tf.matMul(qc, rows.rank === 3 ? tf.reshape(rows, [-1, D]) as Tensor2D : rows as Tensor2D, false, true); // [n, R]
    const r3 = rows.rank === 3 ? rows as Tensor3D : tf.reshape(rows, [P, -1, D]) as Tensor3D; // [P, R / P, D]
    const q3 = tf.tile(tf.expandDims(qc, 0), [P, 1, 1]) as Tensor3D; // [P, n, D]
    const dots = tf.matMul(q3, r3, false, true); // [P, n, R / P]
    return tf.reshape(tf.transpose(dots, [1, 0, 2]), [n, -1]) as Tensor2D; // [n, R]
  });
}

/** d^2 = (|q|^2 + |x|^2) - 2 q.x, as searchNearest writes it (so ties and roundings match). */
function fromDots(qc: Tensor2D, dots: Tensor2D, rowSq: Tensor2D): Tensor2D {
  return tf.sub(tf.add(tf.sum(tf.square(qc), 1, true), rowSq), tf.mul(dots, 2)); // [n, N]
}

// #region float32
/**
 * The exact scorer: the rows resident in ONE float32 tensor, stored transposed [D, N] so that
 * it is both a matMul operand and a 1x1-convolution filter [1, 1, D, N]. A chunk of up to
 * `convolutionMaxQueries` queries is scored as a 1x1 convolution (oneDNN streams the database
 * once, near memory speed: one query against 4541 x 17408 in about 12 ms where matMul takes
 * 17-20 ms here); larger chunks as one matMul [n, D] x [D, N].
 * @param rows [N * D] row-major float32
 */
export function float32Scorer(rows: Float32Array, N: number, D: number, convolutionMaxQueries: number): DatabaseScorer {
  const [dbT, rowSq] = tf.tidy(() => {
    const x = tf.tensor2d(rows, [N, D]); // [N, D]
    return [tf.transpose(x), tf.expandDims(tf.sum(tf.square(x), 1), 0)] as Tensor2D[]; // [D, N]; [1, N] as searchNearest sums it
  });
  const filter = tf.reshape(dbT, [1, 1, D, N]) as Tensor4D; // the same data, seen as HWIO
  return {
    bytes: 4 * (N * D + N),
    distancesSq: (qc) => tf.tidy(() => {
      const n = qc.shape[0];
      const dots = n <= convolutionMaxQueries
        ? tf.reshape(tf.conv2d(tf.reshape(qc, [1, 1, n, D]) as Tensor4D, filter, 1, 'valid'), [n, N]) as Tensor2D // [1, 1, n, N] -> [n, N]
        : tf.matMul(qc, dbT) as Tensor2D; // [n, N]
      return fromDots(qc, dots, rowSq);
    }),
    dispose: () => tf.dispose([dbT, rowSq, filter]),
  };
}
// #endregion float32

// #region compressed
/**
 * The compact scorer: float16 or int8 rows decoded `blockRows` at a time.
 * @param rows [N * D] row-major float32 (encoded here; not kept)
 * @param blockRows rows decoded per matMul, a multiple of P
 */
export function compressedScorer(rows: Float32Array, N: number, D: number, P: number, storage: 'float16' | 'int8', blockRows: number, where: string): DatabaseScorer {
  const half = storage === 'float16' ? encodeHalf(rows, `${where}: rows`) : null;
  const q8 = storage === 'int8' ? quantizeRowsInt8(rows, N, D, `${where}: rows`) : null;
  const buf = new Float32Array(blockRows * D);
  const decode = (r0: number, r1: number): void => { // rows [r0, r1) into buf; zeros after
    if (half) decodeHalf(half.subarray(r0 * D, r1 * D), buf);
    else buf.set(q8!.codes.subarray(r0 * D, r1 * D)); // int8 -> float32 codes, scaled after the product
    buf.fill(0, (r1 - r0) * D);
  };
  const sq = new Float32Array(N); // |x_i|^2 of the stored (decoded) rows, float64 sums
  for (let r0 = 0; r0 < N; r0 += blockRows) {
    const r1 = Math.min(N, r0 + blockRows);
    decode(r0, r1);
    for (let i = r0; i < r1; i++) {
      let s = 0;
      for (let j = (i - r0) * D; j < (i - r0 + 1) * D; j++) s += buf[j] * buf[j];
      sq[i] = q8 ? s * q8.scales[i] * q8.scales[i] : s;
    }
  }
  const rowSq = tf.tensor2d(sq, [1, N]);
  const scales = q8 ? tf.tensor2d(q8.scales, [1, N]) : null;
  return {
    bytes: (half ? half.byteLength : q8!.codes.byteLength + q8!.scales.byteLength) + 4 * N,
    distancesSq: (qc) => tf.tidy(() => {
      const parts: Tensor2D[] = [];
      for (let r0 = 0; r0 < N; r0 += blockRows) {
        const r1 = Math.min(N, r0 + blockRows);
        decode(r0, r1);
        parts.push(tf.tidy(() => tf.slice(shardedDots(qc, tf.tensor2d(buf, [blockRows, D]), P), [0, 0], [-1, r1 - r0]))); // [n, r1 - r0]
      }
      const dots = parts.length === 1 ? parts[0] : tf.concat(parts, 1); // [n, N]
      return fromDots(qc, scales ? tf.mul(dots, scales) : dots, rowSq);
    }),
    dispose: () => tf.dispose(scales ? [rowSq, scales] : [rowSq]),
  };
}
// #endregion compressed
