/**
 * Point-set operations of a PointNet++-style encoder: farthest point sampling, k nearest
 * neighbours, gathering/grouping by index, and three-nearest-neighbour inverse-distance
 * interpolation (feature propagation).
 *
 * Where each runs:
 * - FPS runs on typed arrays (double-precision distances): it is a sequential arg-max loop
 *   that tfjs would run as M tiny kernel launches; O(N M) per cloud.
 * - kNN runs on typed arrays too, exact in double precision: a sweep along the widest axis
 *   with pruning (brute force in the worst case). A chunked tfjs version (matmul expansion
 *   of the squared distance + `tf.topk`) took 9-15 s for 8192 x 40960 on the 2-core CPU,
 *   this one well under a second; it also needs no float32 cancellation caveat.
 * - Gather and interpolation are tfjs ops, differentiable in the features (and in the
 *   interpolated coordinates); indices are int32 and carry no gradient.
 *
 * Convention: FPS is order-independent. The default start is the point farthest from the
 * bounding-box centre, and every arg-max tie (start included) goes to the lexicographically
 * smallest (x, y, z), so permuting the input permutes nothing in the output centres: the
 * same coordinates come out in the same order. The seeded random start is order-dependent.
 * @see notebooks/04-attention-queries.ipynb (issue 5)
 */
import { tf } from '../core/tf.js';
import type { Tensor, Tensor2D, Tensor3D } from '../core/tf.js';
import { createRng } from '../core/rng.js';
import { assertInt, assertShape } from '../core/shapes.js';

/** How FPS picks its first point. */
export interface FpsOptions {
  /** 'bbox': farthest from the bounding-box centre (order-independent, default); 'random': a seeded random point. */
  start?: 'bbox' | 'random';
  /** Seed of the 'random' start (one draw per batch element, in batch order). Default 0. */
  seed?: number;
}

// #region fps
/**
 * Farthest point sampling of one cloud on typed arrays.
 * @param xyz [n * 3] row-major coordinates, any unit and frame
 * @param n number of points
 * @param m number of samples, 1 <= m <= n
 * @param start index of the first sample, or -1 for the bounding-box rule
 * @returns [m] Int32Array of indices into the cloud, in selection order
 */
export function farthestPointSampleArray(xyz: ArrayLike<number>, n: number, m: number, start = -1): Int32Array {
  assertInt('farthestPointSampleArray: m', m, 1, n);
  const lexLess = (i: number, j: number): boolean => {
    for (let a = 0; a < 3; a++) if (xyz[3 * i + a] !== xyz[3 * j + a]) return xyz[3 * i + a] < xyz[3 * j + a];
    return i < j;
  };
  const minDist = new Float64Array(n);
  if (start < 0) {
    const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < 3; a++) { lo[a] = Math.min(lo[a], xyz[3 * i + a]); hi[a] = Math.max(hi[a], xyz[3 * i + a]); }
    }
    const c = [0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1]), 0.5 * (lo[2] + hi[2])];
    let best = 0, bestD = -1;
    for (let i = 0; i < n; i++) {
      const dx = xyz[3 * i] - c[0], dy = xyz[3 * i + 1] - c[1], dz = xyz[3 * i + 2] - c[2];
      const d = dx * dx + dy * dy + dz * dz;
      if (d > bestD || (d === bestD && lexLess(i, best))) { best = i; bestD = d; }
    }
    start = best;
  }
  assertInt('farthestPointSampleArray: start', start, 0, n - 1);
  const out = new Int32Array(m);
  const px = new Float64Array(n), py = new Float64Array(n), pz = new Float64Array(n);
  for (let i = 0; i < n; i++) { px[i] = xyz[3 * i]; py[i] = xyz[3 * i + 1]; pz[i] = xyz[3 * i + 2]; }
  minDist.fill(Infinity);
  let last = start;
  out[0] = start;
  for (let s = 1; s < m; s++) {
    const lx = px[last], ly = py[last], lz = pz[last];
    let best = -1, bestD = -1;
    for (let i = 0; i < n; i++) {
      const dx = px[i] - lx, dy = py[i] - ly, dz = pz[i] - lz;
      const d = Math.min(minDist[i], dx * dx + dy * dy + dz * dz);
      minDist[i] = d;
      if (d > bestD || (d === bestD && lexLess(i, best))) { best = i; bestD = d; }
    }
    out[s] = best;
    last = best;
  }
  return out;
}

/**
 * Farthest point sampling over a batch (reads the coordinates back to the CPU).
 * @param xyz [B, N, 3] float32 coordinates, any unit and frame
 * @param m samples per cloud, 1 <= m <= N
 * @returns [B, m] int32 indices into each cloud, in selection order
 */
export function farthestPointSample(xyz: Tensor3D, m: number, options: FpsOptions = {}): Tensor2D {
  assertShape('farthestPointSample: xyz', xyz.shape, [null, null, 3]);
  const [b, n] = xyz.shape;
  assertInt('farthestPointSample: m', m, 1, n);
  const data = xyz.dataSync();
  const rng = createRng(options.seed ?? 0);
  const out = new Int32Array(b * m);
  for (let i = 0; i < b; i++) {
    const start = options.start === 'random' ? rng.int(n) : -1;
    out.set(farthestPointSampleArray(data.subarray(3 * n * i, 3 * n * (i + 1)), n, m, start), i * m);
  }
  return tf.tensor2d(out, [b, m], 'int32');
}
// #endregion fps

// #region knn
/**
 * Exact k nearest neighbours of one cloud's queries, on typed arrays. The reference points
 * are sorted along their widest axis; each query sweeps outward from its place in that
 * order and stops once the axis gap alone exceeds its k-th distance (worst case: brute force).
 * The answer is the k smallest (squared distance, index) pairs, nearest first, as brute force.
 * @param query [m * 3] row-major query coordinates
 * @param ref [n * 3] row-major reference coordinates (same frame and unit)
 * @param k neighbours, 1 <= k <= n
 * @param out [m * k] receives indices into `ref`, written from `offset`
 */
export function knnArray(query: ArrayLike<number>, m: number, ref: ArrayLike<number>, n: number, k: number, out: Int32Array, offset = 0): void {
  assertInt('knnArray: k', k, 1, n);
  const lo3 = [Infinity, Infinity, Infinity], hi3 = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < 3 * n; i++) { lo3[i % 3] = Math.min(lo3[i % 3], ref[i]); hi3[i % 3] = Math.max(hi3[i % 3], ref[i]); }
  const ext = [hi3[0] - lo3[0], hi3[1] - lo3[1], hi3[2] - lo3[2]];
  const axis = ext[0] >= ext[1] && ext[0] >= ext[2] ? 0 : ext[1] >= ext[2] ? 1 : 2;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((i, j) => ref[3 * i + axis] - ref[3 * j + axis] || i - j);
  const keys = Float64Array.from(order, (i) => ref[3 * i + axis]);
  // coordinates in sweep order: the inner loop reads contiguous memory
  const sx = Float64Array.from(order, (i) => ref[3 * i]), sy = Float64Array.from(order, (i) => ref[3 * i + 1]), sz = Float64Array.from(order, (i) => ref[3 * i + 2]);
  const bestD = new Float64Array(k), bestI = new Int32Array(k);
  for (let q = 0; q < m; q++) {
    const qx = query[3 * q], qy = query[3 * q + 1], qz = query[3 * q + 2], qa = query[3 * q + axis];
    bestD.fill(Infinity); bestI.fill(-1);
    let hi = 0, top = n; // lower bound of qa in keys
    while (hi < top) { const mid = (hi + top) >> 1; if (keys[mid] < qa) hi = mid + 1; else top = mid; }
    let lo = hi - 1;
    while (lo >= 0 || hi < n) {
      const gLo = lo >= 0 ? qa - keys[lo] : Infinity, gHi = hi < n ? keys[hi] - qa : Infinity;
      const g = Math.min(gLo, gHi);
      if (g * g > bestD[k - 1]) break; // every remaining point is at least this far along the axis
      const t = gLo <= gHi ? lo-- : hi++;
      const j = order[t];
      const dx = sx[t] - qx, dy = sy[t] - qy, dz = sz[t] - qz;
      const d = dx * dx + dy * dy + dz * dz;
      if (d > bestD[k - 1] || (d === bestD[k - 1] && j > bestI[k - 1] && bestI[k - 1] >= 0)) continue;
      let s = k - 1; // insertion into the sorted (d, index) list
      while (s > 0 && (bestD[s - 1] > d || (bestD[s - 1] === d && bestI[s - 1] > j))) { bestD[s] = bestD[s - 1]; bestI[s] = bestI[s - 1]; s--; }
      bestD[s] = d; bestI[s] = j;
    }
    out.set(bestI, offset + q * k);
  }
}

/**
 * The k nearest reference points of every query point (exact, typed arrays, see {@link knnArray}).
 * @param query [B, M, 3] float32 query coordinates (same frame and unit as `ref`)
 * @param ref [B, N, 3] float32 reference coordinates
 * @param k neighbours, 1 <= k <= N
 * @returns [B, M, k] int32 indices into `ref`, nearest first (a query that is also in `ref` finds itself first)
 */
export function knnIndices(query: Tensor3D, ref: Tensor3D, k: number): Tensor3D {
  assertShape('knnIndices: query', query.shape, [null, null, 3]);
  assertShape('knnIndices: ref', ref.shape, [query.shape[0], null, 3]);
  const [b, m] = query.shape;
  const n = ref.shape[1];
  assertInt('knnIndices: k', k, 1, n);
  const qd = query.dataSync(), rd = ref.dataSync();
  const out = new Int32Array(b * m * k);
  for (let i = 0; i < b; i++) knnArray(qd.subarray(3 * m * i, 3 * m * (i + 1)), m, rd.subarray(3 * n * i, 3 * n * (i + 1)), n, k, out, i * m * k);
  return tf.tensor3d(out, [b, m, k], 'int32');
}
// #endregion knn

// #region gather
/**
 * Rows of a batched point array by index (differentiable in `x`). The `Tf` suffix as in
 * src/geometry/*-tf.ts: `gatherPoints` (src/geometry/point-cloud.ts) is the flat-array version.
 * @param x [B, N, C] per-point values (coordinates or features)
 * @param indices [B, M] or [B, M, k] int32 indices into N
 * @returns [B, M, C] or [B, M, k, C]
 */
export function gatherPointsTf<T extends Tensor>(x: Tensor3D, indices: Tensor2D | Tensor3D): T {
  if (x.rank !== 3) throw new RangeError(`gatherPointsTf: x: expected shape [B, N, C], got [${x.shape.join(', ')}]`);
  if (indices.shape[0] !== x.shape[0] || indices.dtype !== 'int32') {
    throw new RangeError(`gatherPointsTf: indices: expected int32 [${x.shape[0]}, M(, k)], got ${indices.dtype} [${indices.shape.join(', ')}]`);
  }
  const [b, n, c] = x.shape;
  return tf.tidy(() => {
    const per = indices.size / b;
    const offsets = tf.range(0, b * n, n, 'int32').reshape([b, ...indices.shape.slice(1).map(() => 1)]); // [B, 1(, 1)]
    const flat = tf.reshape(tf.add(indices, offsets), [b * per]); // [B * M * k]
    const rows = tf.gather(tf.reshape(x, [b * n, c]), flat); // [B * M * k, C]
    return tf.reshape(rows, [...indices.shape, c]) as T;
  });
}
// #endregion gather

/** Options of {@link threeNnInterpolate}. */
export interface InterpolateOptions {
  /** Neighbours averaged; default 3 (PointNet++), clipped to the source size. */
  k?: number;
  /** Distance floor, in the coordinates' unit: w = 1 / sqrt(d^2 + epsilon^2); default 1e-8. */
  epsilon?: number;
}

// #region interpolate
/**
 * Inverse-distance interpolation from a sparse point set onto a dense one (PointNet++
 * feature propagation): f(x) = sum_i w_i f_i / sum_i w_i, w_i = 1 / sqrt(|x - p_i|^2 + eps^2) over the
 * k nearest sources. A target that coincides with a source gets that source's value (its
 * weight 1/eps swamps the others to float32 precision); a constant field stays constant.
 * @param targetXyz [B, N, 3] float32 where to interpolate
 * @param sourceXyz [B, S, 3] float32 where the values are known (same frame and unit)
 * @param sourceValues [B, S, C] float32 values at the sources
 * @returns [B, N, C] float32
 */
export function threeNnInterpolate(targetXyz: Tensor3D, sourceXyz: Tensor3D, sourceValues: Tensor3D, options: InterpolateOptions = {}): Tensor3D {
  assertShape('threeNnInterpolate: targetXyz', targetXyz.shape, [null, null, 3]);
  assertShape('threeNnInterpolate: sourceXyz', sourceXyz.shape, [targetXyz.shape[0], null, 3]);
  assertShape('threeNnInterpolate: sourceValues', sourceValues.shape, [targetXyz.shape[0], sourceXyz.shape[1], null]);
  const k = Math.min(options.k ?? 3, sourceXyz.shape[1]);
  const eps = options.epsilon ?? 1e-8;
  return tf.tidy(() => {
    const idx = knnIndices(targetXyz, sourceXyz, k); // [B, N, k]
    const near = gatherPointsTf<Tensor>(sourceXyz, idx); // [B, N, k, 3]
    const d2 = tf.sum(tf.square(tf.sub(near, tf.expandDims(targetXyz, 2))), 3); // [B, N, k]
    const w = tf.rsqrt(tf.add(d2, eps * eps)); // smooth at d = 0 (finite gradient)
    const wn = tf.div(w, tf.sum(w, 2, true)); // [B, N, k], rows sum to 1
    const vals = gatherPointsTf<Tensor>(sourceValues, idx); // [B, N, k, C]
    return tf.sum(tf.mul(vals, tf.expandDims(wn, 3)), 2) as Tensor3D; // [B, N, C]
  });
}
// #endregion interpolate
