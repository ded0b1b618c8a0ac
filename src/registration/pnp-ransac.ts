/**
 * The explicit-matching baseline's pose solver: EPnP inside RANSAC (OpenCV
 * `solvePnPRansac`, `SOLVEPNP_EPNP`), as CorrI2P and the other pre-ICL methods run it on
 * nearest-feature matches between in-frustum points and pixels.
 *
 * Convention: `points3d` are in the point-cloud frame, `pixels` are (u, v) = (column, row)
 * with the centre of pixel (col, row) at (col, row) (the geometry module's convention, which
 * is also OpenCV's), and the result `camFromPoints` maps point-cloud points into the camera
 * frame (x right, y down, z forward): `u = fx x / z + cx` after the transform.
 *
 * Units of the threshold: `reprojectionErrorPx` is in the units of `pixels` and `K`.
 * CorrI2P calls `cv2.solvePnPRansac(..., iterationsCount=500, reprojectionError=1,
 * flags=SOLVEPNP_EPNP)` with pixel coordinates on the 1/4-resolution feature grid and K
 * scaled by 1/4; 1 px there is 4 px at the input resolution. Pass quarter-grid pixels with
 * K / 4 and keep the default 1, or full-resolution pixels with `reprojectionErrorPx: 4`.
 *
 * Determinism: OpenCV's classic RANSAC (used for every flag except the USAC ones) seeds its
 * own `cv::RNG` with a fixed constant on every call, so `cv.setRNGSeed` has no effect on it
 * and the same inputs in the same order always give the same result. `seed` here shuffles
 * the correspondences with {@link createRng} before the call (the minimal samples change),
 * so different seeds give different, reproducible runs; inlier indices always refer to the
 * caller's order.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { InputError } from '../core/errors.js';
import { checkConfigObject, numberFields } from '../core/config-fields.js';
import { createRng, permutation } from '../core/rng.js';
import { assertFlat, firstNonFinite } from '../core/shapes.js';
import { assertMatrix, type Mat4 } from '../geometry/matrix.js';
import { fromRt } from '../geometry/se3.js';
import { rotationFromAxisAngle } from '../geometry/so3.js';
import { loadOpenCv, type OpenCv } from './opencv.js';

// #region config
/** Settings of {@link solvePnpRansac}. */
export interface PnpRansacConfig {
  /** RANSAC iterations (OpenCV `iterationsCount`); integer >= 1. Default 500 (CorrI2P). */
  iterations: number;
  /** Inlier threshold on the reprojection error, in the units of `pixels` (see the file note); > 0. Default 1. */
  reprojectionErrorPx: number;
  /** Probability that at least one sample is outlier-free, for early stopping; in (0, 1). Default 0.99 (OpenCV). */
  confidence: number;
  /** A result counts as `ok` only with at least this many inliers; integer >= 4. Default 12. */
  minInliers: number;
  /** Shuffle the correspondences with this seed before RANSAC; undefined = keep the given order. */
  seed: number | undefined;
}

/** The defaults: CorrI2P's 500 iterations and 1 px, OpenCV's 0.99 confidence. */
export const DEFAULT_PNP_RANSAC_CONFIG: Readonly<PnpRansacConfig> = Object.freeze({
  iterations: 500,
  reprojectionErrorPx: 1,
  confidence: 0.99,
  minInliers: 12,
  seed: undefined,
});
// #endregion config

/**
 * Merges `partial` over {@link DEFAULT_PNP_RANSAC_CONFIG} and checks every field.
 * @throws ConfigError naming the field (e.g. `pnpRansac.confidence`)
 */
export function validatePnpRansacConfig(partial: Partial<PnpRansacConfig> = {}): Readonly<PnpRansacConfig> {
  checkConfigObject('pnpRansac', partial, Object.keys(DEFAULT_PNP_RANSAC_CONFIG));
  const c = { ...DEFAULT_PNP_RANSAC_CONFIG, ...partial };
  numberFields('pnpRansac', c, {
    iterations: { min: 1, integer: true }, reprojectionErrorPx: { min: 0, minOpen: true },
    confidence: { min: 0, max: 1, minOpen: true, maxOpen: true }, minInliers: { min: 4, integer: true },
    ...(c.seed !== undefined ? { seed: {} } : {}),
  });
  return Object.freeze(c);
}

/** Result of {@link solvePnpRansac}. */
export interface PnpRansacResult {
  /** [16] row-major pose point-cloud frame -> camera; undefined when not `ok`. */
  camFromPoints: Mat4 | undefined;
  /** Indices (ascending, caller's order) of the correspondences RANSAC kept; empty when OpenCV found no model. */
  inliers: Int32Array;
  /** OpenCV found a finite pose with at least `minInliers` inliers. */
  ok: boolean;
}

function checkInputs(points3d: ArrayLike<number>, pixels: ArrayLike<number>, K: ArrayLike<number>): number {
  const n = assertFlat('solvePnpRansac: points3d', points3d, 3);
  const m = assertFlat('solvePnpRansac: pixels', pixels, 2);
  if (n !== m) throw new InputError('solvePnpRansac: pixels', `expected one pixel per 3D point (${n}), got ${m}`);
  if (n < 4) throw new InputError('solvePnpRansac: points3d', `EPnP needs at least 4 correspondences, got ${n}`);
  assertMatrix('solvePnpRansac: K', K, 9);
  for (const [name, arr] of [['points3d', points3d], ['pixels', pixels], ['K', K]] as const) {
    const i = firstNonFinite(arr);
    if (i >= 0) throw new InputError(`solvePnpRansac: ${name}`, `value ${i} is ${arr[i]} (expected finite numbers)`);
  }
  return n;
}

// #region solvePnpRansacSync
/**
 * EPnP + RANSAC with an already loaded OpenCV (see {@link loadOpenCv}); frees every cv.Mat.
 * @param cv the ready OpenCV.js module
 * @param points3d [N * 3] metres, point-cloud frame
 * @param pixels [N * 2] (u, v), pixels, pixel centres at integers
 * @param K [9] row-major intrinsics in the units of `pixels`
 * @param options any subset of {@link PnpRansacConfig}
 * @returns pose, inlier indices, ok
 * @throws InputError for N < 4, mismatched lengths or non-finite values
 */
export function solvePnpRansacSync(cv: OpenCv, points3d: ArrayLike<number>, pixels: ArrayLike<number>, K: ArrayLike<number>, options: Partial<PnpRansacConfig> = {}): PnpRansacResult {
  const n = checkInputs(points3d, pixels, K);
  const cfg = validatePnpRansacConfig(options);
  const order = cfg.seed === undefined ? undefined : permutation(createRng(cfg.seed), n);
  const obj = new Float64Array(3 * n), img = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const s = order ? order[i] : i;
    obj[3 * i] = points3d[3 * s]; obj[3 * i + 1] = points3d[3 * s + 1]; obj[3 * i + 2] = points3d[3 * s + 2];
    img[2 * i] = pixels[2 * s]; img[2 * i + 1] = pixels[2 * s + 1];
  }
  const mats: Array<{ delete(): void }> = [];
  const keep = <T extends { delete(): void }>(m: T): T => { mats.push(m); return m; };
  try {
    const objMat = keep(cv.matFromArray(n, 3, cv.CV_64F, obj));
    const imgMat = keep(cv.matFromArray(n, 2, cv.CV_64F, img));
    const kMat = keep(cv.matFromArray(3, 3, cv.CV_64F, Array.from(K)));
    const dist = keep(new cv.Mat()), rvec = keep(new cv.Mat()), tvec = keep(new cv.Mat()), inl = keep(new cv.Mat());
    const found = cv.solvePnPRansac(objMat, imgMat, kMat, dist, rvec, tvec, false, cfg.iterations,
      cfg.reprojectionErrorPx, cfg.confidence, inl, cv.SOLVEPNP_EPNP);
    const raw = inl.rows * inl.cols > 0 ? inl.data32S : new Int32Array(0);
    const inliers = Int32Array.from(raw, (i) => (order ? order[i] : i)).sort();
    if (!found || rvec.rows * rvec.cols !== 3 || tvec.rows * tvec.cols !== 3) return { camFromPoints: undefined, inliers, ok: false };
    const T = fromRt(rotationFromAxisAngle(rvec.data64F), tvec.data64F);
    const ok = inliers.length >= cfg.minInliers && firstNonFinite(T) < 0;
    return { camFromPoints: ok ? T : undefined, inliers, ok };
  } finally {
    for (const m of mats) m.delete();
  }
}
// #endregion solvePnpRansacSync

/**
 * EPnP + RANSAC; loads OpenCV.js on the first call (see {@link solvePnpRansacSync}).
 * @param points3d [N * 3] metres, point-cloud frame
 * @param pixels [N * 2] (u, v), pixels
 * @param K [9] row-major intrinsics
 * @param options any subset of {@link PnpRansacConfig}
 */
export async function solvePnpRansac(points3d: ArrayLike<number>, pixels: ArrayLike<number>, K: ArrayLike<number>, options: Partial<PnpRansacConfig> = {}): Promise<PnpRansacResult> {
  checkInputs(points3d, pixels, K);
  validatePnpRansacConfig(options);
  return solvePnpRansacSync(await loadOpenCv(), points3d, pixels, K, options);
}
