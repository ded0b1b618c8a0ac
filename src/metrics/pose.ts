/**
 * Pose errors of image-to-point-cloud registration, as CorrI2P, VP2P-Match and ICL report
 * them: the relative pose `E = inv(T_pred) T_gt`, RTE = ||t_E|| (metres), RRE = the sum of
 * the absolute Euler angles of R_E (degrees, scipy `as_euler('xyz')`, see
 * geometry/euler.ts), plus the plain geodesic angle of R_E; a pair succeeds when
 * RTE < maxRteM and RRE < maxRreDeg; summaries give mean +- std over ALL pairs.
 *
 * Convention: T_pred and T_gt are the same kind of transform (here `camFromPoints`, 4x4
 * row-major `Float64Array(16)`), so E is the identity for a perfect prediction.
 * Note: RRE (Euler sum) is not a metric on SO(3): it depends on the order of E (R_E vs
 * R_E^T give different sums for rotations about several axes) and it exceeds the geodesic
 * angle for such rotations; for a rotation about one coordinate axis both are equal.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { InputError } from '../core/errors.js';
import { checkConfigObject, numberFields } from '../core/config-fields.js';
import { eulerXYZFromMatrix } from '../geometry/euler.js';
import type { Mat4 } from '../geometry/matrix.js';
import { compose, invert, toRt } from '../geometry/se3.js';
import { rotationAngle } from '../geometry/so3.js';

const DEG = 180 / Math.PI;

// #region config
/** Success thresholds (strict: a pair succeeds when RTE < maxRteM AND RRE < maxRreDeg). */
export interface PoseSuccessConfig {
  /** Relative translation error limit, metres, > 0. Default 2 (the papers). */
  maxRteM: number;
  /** Relative rotation error limit (Euler sum), degrees, > 0. Default 5 (the papers). */
  maxRreDeg: number;
}

/** The papers' thresholds: 2 m and 5 degrees. */
export const DEFAULT_POSE_SUCCESS_CONFIG: Readonly<PoseSuccessConfig> = Object.freeze({ maxRteM: 2, maxRreDeg: 5 });
// #endregion config

/**
 * Merges `partial` over {@link DEFAULT_POSE_SUCCESS_CONFIG} and checks it.
 * @throws ConfigError naming the field (e.g. `poseSuccess.maxRteM`)
 */
export function validatePoseSuccessConfig(partial: Partial<PoseSuccessConfig> = {}): Readonly<PoseSuccessConfig> {
  checkConfigObject('poseSuccess', partial, Object.keys(DEFAULT_POSE_SUCCESS_CONFIG));
  const c = { ...DEFAULT_POSE_SUCCESS_CONFIG, ...partial };
  numberFields('poseSuccess', c, { maxRteM: { min: 0, minOpen: true }, maxRreDeg: { min: 0, minOpen: true } });
  return Object.freeze(c);
}

/** Errors of one predicted pose. */
export interface PoseError {
  /** ||t_E||, metres. */
  rteM: number;
  /** |ax| + |ay| + |az| of R_E (scipy 'xyz'), degrees. */
  rreDeg: number;
  /** Rotation angle of R_E (geodesic distance between the rotations), degrees, in [0, 180]. */
  geodesicDeg: number;
  /** rteM < maxRteM && rreDeg < maxRreDeg. */
  success: boolean;
}

// #region relativePose
/**
 * The relative pose E = inv(T_pred) T_gt (identity when the prediction is exact).
 * @param pred [16] row-major rigid transform, predicted (e.g. camFromPoints)
 * @param gt [16] row-major rigid transform of the same kind, ground truth
 * @returns [16] row-major E; its translation is R_pred^T (t_gt - t_pred)
 */
export function relativePose(pred: ArrayLike<number>, gt: ArrayLike<number>): Mat4 {
  return compose(invert(pred), gt);
}
// #endregion relativePose

// #region poseError
/**
 * RTE, RRE (Euler sum), geodesic angle and success of one prediction.
 * @param pred [16] row-major rigid transform, predicted
 * @param gt [16] row-major rigid transform, ground truth
 * @param thresholds success thresholds; default {@link DEFAULT_POSE_SUCCESS_CONFIG}
 */
export function poseError(pred: ArrayLike<number>, gt: ArrayLike<number>, thresholds: Partial<PoseSuccessConfig> = {}): PoseError {
  const { maxRteM, maxRreDeg } = validatePoseSuccessConfig(thresholds);
  const { R, t } = toRt(relativePose(pred, gt));
  const rteM = Math.hypot(t[0], t[1], t[2]);
  const [ax, ay, az] = eulerXYZFromMatrix(R);
  const rreDeg = (Math.abs(ax) + Math.abs(ay) + Math.abs(az)) * DEG;
  const geodesicDeg = rotationAngle(R) * DEG;
  return { rteM, rreDeg, geodesicDeg, success: rteM < maxRteM && rreDeg < maxRreDeg };
}
// #endregion poseError

/** Mean and standard deviation of one error over all pairs. */
export interface MeanStd {
  mean: number;
  /** Population standard deviation (divide by n, numpy's default `np.std`, as the papers' scripts). */
  std: number;
  /** Median (the mean of the two middle values for an even count). */
  median: number;
}

/** Summary of a test set, over ALL pairs (failures included). */
export interface PoseSummary {
  /** Number of pairs. */
  count: number;
  /** Pairs with success = true. */
  successes: number;
  /** 100 * successes / count, percent. */
  accuracyPct: number;
  /** RTE, metres. */
  rteM: MeanStd;
  /** RRE (Euler sum), degrees. */
  rreDeg: MeanStd;
  /** Geodesic angle, degrees. */
  geodesicDeg: MeanStd;
}

function meanStd(xs: readonly number[]): MeanStd {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) * (x - mean), 0) / xs.length;
  const sorted = [...xs].sort((a, b) => a - b), m = sorted.length >> 1;
  return { mean, std: Math.sqrt(variance), median: sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2 };
}

// #region summarizePoseErrors
/**
 * Mean +- std of RTE, RRE and geodesic angle over all pairs, and the accuracy.
 * A pair whose solver failed must still be in the list (score it with a fallback pose),
 * or the summary is biased; non-finite errors are rejected, not skipped.
 * @param errors one {@link PoseError} per test pair (at least one)
 * @throws InputError for an empty list or a non-finite error
 */
export function summarizePoseErrors(errors: readonly PoseError[]): PoseSummary {
  if (errors.length === 0) throw new InputError('summarizePoseErrors: errors', 'expected at least one pose error, got an empty list');
  errors.forEach((e, i) => {
    for (const f of ['rteM', 'rreDeg', 'geodesicDeg'] as const) {
      if (!Number.isFinite(e[f])) throw new InputError(`summarizePoseErrors: errors[${i}].${f}`, `expected a finite number, got ${e[f]}`);
    }
  });
  const successes = errors.filter((e) => e.success).length;
  return {
    count: errors.length,
    successes,
    accuracyPct: (100 * successes) / errors.length,
    rteM: meanStd(errors.map((e) => e.rteM)),
    rreDeg: meanStd(errors.map((e) => e.rreDeg)),
    geodesicDeg: meanStd(errors.map((e) => e.geodesicDeg)),
  };
}
// #endregion summarizePoseErrors
