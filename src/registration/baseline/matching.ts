/**
 * The explicit baseline's inference: points predicted in the frustum -> nearest pixel
 * descriptor (cosine) -> the cell centre at full resolution -> EPnP inside RANSAC
 * ({@link solvePnpRansac}) -> pose.
 *
 * Convention: pixel (u, v) = (column, row) with the centre of pixel (c, r) at (c, r); the
 * centre of grid cell (i, j) of stride s is (s j + (s - 1) / 2, s i + (s - 1) / 2)
 * (s = 4: 4 j + 1.5); see targets.ts for which cell a projection falls in.
 * Failures: when fewer than 4 matches exist or PnP finds no pose, the pose is the identity,
 * which is the perturbation-free pose (the cloud taken as already in the camera frame; see
 * data/pairs/perturbation.ts); such pairs stay in the mean +- std, as the papers count them.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { tf, type Tensor, type Tensor2D } from '../../core/tf.js';
import { identity4 } from '../../geometry/se3.js';
import type { Mat4 } from '../../geometry/matrix.js';
import type { ImagePointPair } from '../../data/pairs/build-pair.js';
import { solvePnpRansac } from '../pnp-ransac.js';
import type { ExplicitBaselineConfig } from './config.js';
import type { ExplicitBaselineModel, ExplicitBaselineOutput } from './model.js';
import { groundTruthCells } from './targets.js';

// #region matching
/** Options of {@link poseFromDescriptors}. */
export interface MatchOptions {
  /** Pixels of the input per cell. */ stride: number;
  /** Grid size, cells. */ gridW: number; gridH: number;
  /** RANSAC iterations, grid-pixel threshold, minimum inliers (see {@link ExplicitBaselineConfig}). */
  ransacIterations: number; reprojectionErrorGridPx: number; minInliers: number;
}

/** What matching + PnP gives for one pair. */
export interface ExplicitPrediction {
  /** [16] row-major camFromPoints; the identity (perturbation-free pose) when `ok` is false. */
  camFromPoints: Mat4;
  /** PnP found a pose with enough inliers. */ ok: boolean;
  /** Correspondences given to PnP, and how many RANSAC kept. */ matches: number; inliers: number;
  /** [matches] int32 the cell each matched point went to, row * w + col (empty with fewer than 4 points). */ cells: Int32Array;
}

/** What {@link predictExplicit} adds: which points it kept, and the feature grid, for diagnostics (see matchDiagnostics). */
export interface ExplicitPairPrediction extends ExplicitPrediction {
  /** [matches] int32 indices of the points kept as in view (their order is that of `cells`). */ kept: Int32Array;
  /** The feature grid: w, h cells of `stride` input pixels. */ grid: { w: number; h: number; stride: number };
}

/**
 * Nearest pixel cell (largest dot product) for each point descriptor.
 * @param pointDescriptors [n, D] float32; pixelDescriptors [h * w, D] float32
 * @returns [n] int32 cell index row * w + col
 */
export function nearestCells(pointDescriptors: Tensor2D, pixelDescriptors: Tensor2D, chunk = 2048): Int32Array {
  const n = pointDescriptors.shape[0], out = new Int32Array(n);
  for (let s = 0; s < n; s += chunk) {
    const k = Math.min(chunk, n - s);
    const arg = tf.tidy(() => tf.argMax(tf.matMul(tf.slice(pointDescriptors, [s, 0], [k, -1]), pixelDescriptors, false, true), 1)); // [k]
    out.set(arg.dataSync() as Int32Array, s);
    arg.dispose();
  }
  return out;
}

/**
 * Matches the given points to cells and solves EPnP + RANSAC on the cell centres at full
 * resolution (threshold reprojectionErrorGridPx x stride input pixels). A pose counts only
 * with at least `minInliers` inliers in front of the camera (z > 0) spread over at least 4
 * distinct cells (a degenerate-match guard of ours; otherwise `ok` is false, identity pose).
 * @param points3d [n * 3] metres, perturbed cloud frame (the points kept as in-frustum)
 * @param pointDescriptors [n, D]; pixelDescriptors [h * w, D] float32
 * @param K [9] row-major intrinsics of the input image, pixels
 */
export async function poseFromDescriptors(points3d: Float32Array, pointDescriptors: Tensor2D, pixelDescriptors: Tensor2D, K: ArrayLike<number>, o: MatchOptions): Promise<ExplicitPrediction> {
  const n = points3d.length / 3;
  if (n < 4) return { camFromPoints: identity4(), ok: false, matches: n, inliers: 0, cells: new Int32Array(0) };
  const cells = nearestCells(pointDescriptors, pixelDescriptors), fail = (matches: number): ExplicitPrediction => ({ camFromPoints: identity4(), ok: false, matches, inliers: 0, cells });
  const half = (o.stride - 1) / 2, pixels = new Float64Array(2 * n);
  cells.forEach((c, i) => { pixels[2 * i] = o.stride * (c % o.gridW) + half; pixels[2 * i + 1] = o.stride * Math.floor(c / o.gridW) + half; });
  const r = await solvePnpRansac(points3d, pixels, K, {
    iterations: o.ransacIterations, reprojectionErrorPx: o.reprojectionErrorGridPx * o.stride, minInliers: o.minInliers,
  });
  if (!r.ok || !r.camFromPoints) return { ...fail(n), inliers: r.inliers.length };
  // our guard, not CorrI2P's: collapsed descriptors send every point to a few cells, and EPnP then
  // "explains" them with a camera far away or behind the points; such poses count as failures
  const T = r.camFromPoints, distinct = new Set<number>();
  let inFront = 0;
  for (const i of r.inliers) {
    distinct.add(cells[i]);
    if (T[8] * points3d[3 * i] + T[9] * points3d[3 * i + 1] + T[10] * points3d[3 * i + 2] + T[11] > 0) inFront++;
  }
  if (inFront < o.minInliers || distinct.size < 4) return { ...fail(n), inliers: r.inliers.length };
  return { camFromPoints: T, ok: true, matches: n, inliers: r.inliers.length, cells };
}

/**
 * The baseline's pose for one pair: forward (eval mode), points with probability above the
 * threshold, nearest cells, EPnP + RANSAC; identity on failure (see the file note).
 * @param pair a test pair (image [H * W * 3], points [N * 3] perturbed frame, K)
 */
export async function predictExplicit(model: ExplicitBaselineModel, pair: Pick<ImagePointPair, 'image' | 'width' | 'height' | 'points' | 'K'>, opts: Partial<Pick<ExplicitBaselineConfig, 'inFrustumThreshold' | 'ransacIterations' | 'reprojectionErrorGridPx' | 'minInliers'>> = {}): Promise<ExplicitPairPrediction> {
  const c = { ...model.config, ...opts }, N = pair.points.length / 3;
  const out = tf.tidy(() => model.forward(tf.tensor4d(pair.image, [1, pair.height, pair.width, 3]), tf.tensor3d(pair.points, [1, N, 3]), false) as unknown as Record<string, Tensor>) as unknown as ExplicitBaselineOutput;
  const [, h, w, D] = out.pixelDescriptors.shape;
  const logits = out.inFrustumLogits.dataSync(), thr = Math.log(c.inFrustumThreshold / (1 - c.inFrustumThreshold));
  const keep = Int32Array.from(logits.keys()).filter((i) => logits[i] > thr);
  const pts = new Float32Array(3 * keep.length);
  keep.forEach((i, k) => pts.set(pair.points.subarray(3 * i, 3 * i + 3), 3 * k));
  const q = tf.tidy(() => tf.gather(tf.reshape(out.pointDescriptors, [N, D]), tf.tensor1d(keep, 'int32')) as Tensor2D); // [n, D]
  const p = tf.reshape(out.pixelDescriptors, [h * w, D]) as Tensor2D; // [h * w, D]
  try {
    const r = await poseFromDescriptors(pts, q, p, pair.K, { ...c, stride: model.gridStride, gridW: w, gridH: h });
    return { ...r, kept: keep, grid: { w, h, stride: model.gridStride } };
  } finally {
    tf.dispose([q, p, out.pixelDescriptors, out.pointDescriptors, out.inFrustumLogits]);
  }
}
/** How good a prediction's parts were, against a test pair's truth (see {@link matchDiagnostics}). */
export interface MatchDiagnostics {
  /** Points truly in view (in the frustum), kept as in view, and both. */ inView: number; kept: number; keptInView: number;
  /** Matches whose cell lies within one cell (8-neighbourhood) of the point's true projection's cell: what RANSAC can use. */ correct: number;
}

/**
 * Scores a prediction's classifier and matches against the pair's ground truth: the in-frustum
 * flags and the cell of each point's true projection (targets.ts groundTruthCells). A match counts
 * as correct within one cell in rows and columns (4 px on the 1/4 grid: CorrI2P's 1 px RANSAC
 * threshold on the grid, plus the cell's width).
 */
export function matchDiagnostics(p: Pick<ExplicitPairPrediction, 'kept' | 'cells' | 'grid'>, pair: Pick<ImagePointPair, 'points' | 'camFromPoints' | 'K' | 'inFrustum'>): MatchDiagnostics {
  const { w, h, stride } = p.grid, gt = groundTruthCells(pair, w, h, stride);
  let inView = 0, keptInView = 0, correct = 0;
  for (const g of gt) if (g >= 0) inView++;
  p.kept.forEach((i, k) => {
    const g = gt[i];
    if (g < 0) return;
    keptInView++;
    const c = p.cells[k];
    if (c !== undefined && Math.abs(Math.floor(c / w) - Math.floor(g / w)) <= 1 && Math.abs((c % w) - (g % w)) <= 1) correct++;
  });
  return { inView, kept: p.kept.length, keptInView, correct };
}
// #endregion matching
