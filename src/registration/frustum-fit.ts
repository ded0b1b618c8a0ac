/**
 * The frustum pose FITTED to the in-frustum classifier instead of regressed (DeepI2P's
 * inverse-projection idea, for the CorrI2P protocol's 3 degrees of freedom): search the yaw
 * and the camera centre on the ground plane (x, z; y = 0) whose frustum holds the points the
 * classifier believes in and leaves out the others. Score of a pose = sum over the points
 * inside its frustum (z > minDepthM, the projection inside the W x H image, pixel centres at
 * integers) of clamp(logit, -clipLogit, clipLogit): with clipLogit large this is the
 * log-likelihood ratio of the mask under the classifier, with it small it counts agreements.
 * Coarse to fine: a global grid over yaw in [-pi, pi) and the centre in
 * [-rangeM, rangeM]^2, then finer grids around the best pose so far.
 *
 * Convention: poses are camFromPoints, R = rotation about the camera's vertical (y) axis by
 * theta (R = [[cos, 0, sin], [0, 1, 0], [-sin, 0, cos]]), t = -R c.
 * @see notebooks/05-pose-regression.ipynb
 */
import { ConfigError } from '../core/errors.js';
import { checkConfigObject, numberField, oneOfField } from '../core/config-fields.js';

/** One level of the search: a grid of yaw x centre-x x centre-z around the current best. */
export interface FrustumFitLevel {
  /** Yaw step, degrees (> 0). */ yawStepDeg: number;
  /** Half width of the yaw window, degrees; >= 180 means the whole turn. */ yawHalfDeg: number;
  /** Centre step, metres (> 0). */ stepM: number;
  /** Half width of the centre window, metres; the first level's is the search range. */ halfM: number;
  /** Score every stride-th point only (integer >= 1; coarse levels need no more). Default 1. */ stride?: number;
}

/** Settings of {@link fitFrustumPose}. */
export interface FrustumFitConfig {
  /**
   * How a point's logit becomes its weight. 'logit': clamp(logit - logitOffset, +-clipLogit), the
   * log-likelihood ratio of a calibrated classifier; a classifier that puts most points below
   * p = 0.5 then makes "look at nothing" (an apex at the edge of the search box, facing away) the
   * best frustum. 'rank' (default): the share `inViewShare` of points with the highest logits weigh
   * +1, the others -inViewShare / (1 - inViewShare), so the weights sum to 0: an empty frustum and
   * one holding every point both score 0, and only a frustum that holds the likely points more
   * than the rest scores above it. Needs only the classifier's ORDER (its AUC), not its calibration.
   */
  scoring: 'logit' | 'rank';
  /** 'rank': the share of points a true frustum holds (the pairs' in-frustum share), (0, 1). Default 0.17 (17 % in the laptop and paper pairs). */
  inViewShare: number;
  /**
   * Subtracted from every logit before clamping. A classifier trained with the balanced loss
   * scores as if half the points were in view; its calibrated log-odds are logit - ln(n_out / n_in)
   * (about 1.6 at 17 % in view), and without that shift the fit prefers frustums over dense
   * regions. Default 0.
   */
  logitOffset: number;
  /** Logits are clamped to +-clipLogit before summing (> 0). Default 4. */
  clipLogit: number;
  /** Points count as inside when their camera depth z > minDepthM, metres. Default 1e-6 (z > 0, as the labels). */
  minDepthM: number;
  /** The levels, coarse to fine; the first is global in yaw. */
  levels: FrustumFitLevel[];
}

/**
 * Default search (7307 poses, 30 M point tests for 4096 points, about 0.2 s): 10 deg x 2 m over
 * +-10 m, then 2 deg x 0.5 m, 0.5 deg x 0.125 m and 0.1 deg x 0.025 m around the best so far.
 * Scoring every 2nd point on the first level made one of 30 perfect-score test pairs miss
 * (a neighbouring basin, 1.5 m off); every point: none.
 */
export const DEFAULT_FRUSTUM_FIT_CONFIG: Readonly<FrustumFitConfig> = Object.freeze({
  scoring: 'rank', inViewShare: 0.17, logitOffset: 0, clipLogit: 4, minDepthM: 1e-6,
  levels: Object.freeze([
    { yawStepDeg: 10, yawHalfDeg: 180, stepM: 2, halfM: 10, stride: 1 },
    { yawStepDeg: 2, yawHalfDeg: 10, stepM: 0.5, halfM: 2, stride: 1 },
    { yawStepDeg: 0.5, yawHalfDeg: 2, stepM: 0.125, halfM: 0.5, stride: 1 },
    { yawStepDeg: 0.1, yawHalfDeg: 0.5, stepM: 0.025, halfM: 0.125, stride: 1 },
  ]) as FrustumFitLevel[],
});

/** Merges over the default and checks every field; errors name it (`frustumFit.levels[1].stepM`). */
export function validateFrustumFitConfig(partial: Partial<FrustumFitConfig> = {}): Readonly<FrustumFitConfig> {
  checkConfigObject('frustumFit', partial, Object.keys(DEFAULT_FRUSTUM_FIT_CONFIG));
  const c = { ...DEFAULT_FRUSTUM_FIT_CONFIG, ...partial };
  oneOfField('frustumFit.scoring', c.scoring, ['logit', 'rank']);
  numberField('frustumFit.inViewShare', c.inViewShare, { min: 0, max: 1, minOpen: true, maxOpen: true });
  numberField('frustumFit.clipLogit', c.clipLogit, { min: 0, minOpen: true });
  numberField('frustumFit.logitOffset', c.logitOffset, { min: -1e3, max: 1e3 });
  numberField('frustumFit.minDepthM', c.minDepthM, { min: 0 });
  if (!Array.isArray(c.levels) || c.levels.length === 0) throw new ConfigError('frustumFit.levels', 'expected a non-empty array of {yawStepDeg, yawHalfDeg, stepM, halfM}');
  c.levels.forEach((l, i) => {
    checkConfigObject(`frustumFit.levels[${i}]`, l, ['yawStepDeg', 'yawHalfDeg', 'stepM', 'halfM', 'stride']);
    if (l.stride !== undefined) numberField(`frustumFit.levels[${i}].stride`, l.stride, { min: 1, max: 1e6, integer: true });
    for (const k of ['yawStepDeg', 'stepM'] as const) numberField(`frustumFit.levels[${i}].${k}`, l[k], { min: 0, minOpen: true });
    for (const k of ['yawHalfDeg', 'halfM'] as const) numberField(`frustumFit.levels[${i}].${k}`, l[k], { min: 0 });
  });
  return Object.freeze({ ...c, levels: c.levels.map((l) => Object.freeze({ ...l })) });
}

/** The fitted pose. */
export interface FrustumFit {
  /** [16] row-major camFromPoints. */ camFromPoints: Float64Array;
  /** Yaw theta, radians in [-pi, pi). */ yawRad: number;
  /** Camera centre in the cloud frame, metres (y = 0). */ centre: [number, number, number];
  /** The best score (the sum of the weights of the points inside the frustum). */ score: number;
}

/** The camFromPoints of yaw theta and centre (cx, 0, cz). */
export function yawPose(theta: number, cx: number, cz: number): Float64Array {
  const c = Math.cos(theta), s = Math.sin(theta);
  // t = -R (cx, 0, cz)
  return Float64Array.from([c, 0, s, -(c * cx + s * cz), 0, 1, 0, 0, -s, 0, c, -(-s * cx + c * cz), 0, 0, 0, 1]);
}

// #region fitFrustumPose
/**
 * @param points [N * 3] metres, cloud frame (x, y, z interleaved)
 * @param logits [N] in-frustum logits of the same points
 * @param K [9] row-major intrinsics, pixels (fx, 0, cx; 0, fy, cy; 0, 0, 1)
 * @param width W, pixels; height H, pixels
 * @throws Error naming the argument when the lengths disagree
 */
export function fitFrustumPose(points: ArrayLike<number>, logits: ArrayLike<number>, K: ArrayLike<number>, width: number, height: number, config: Partial<FrustumFitConfig> = {}): FrustumFit {
  const c = validateFrustumFitConfig(config);
  const N = logits.length;
  if (points.length !== 3 * N) throw new Error(`fitFrustumPose: points has ${points.length} numbers, expected 3 x ${N} (one x, y, z per logit)`);
  if (K.length !== 9) throw new Error(`fitFrustumPose: K has ${K.length} numbers, expected 9 (row-major 3 x 3)`);
  const fx = K[0], cxp = K[2], fy = K[4], cyp = K[5];
  // u = fx x / z + cx in [-0.5, W - 0.5)  <=>  x in [uLo z, uHi z) for z > 0; the same for v with y
  const uLo = (-0.5 - cxp) / fx, uHi = (width - 0.5 - cxp) / fx, vLo = (-0.5 - cyp) / fy, vHi = (height - 0.5 - cyp) / fy;
  const w = new Float32Array(N), X = new Float32Array(N), Y = new Float32Array(N), Z = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    w[i] = Math.max(-c.clipLogit, Math.min(c.clipLogit, logits[i] - c.logitOffset));
    X[i] = points[3 * i]; Y[i] = points[3 * i + 1]; Z[i] = points[3 * i + 2];
  }
  if (c.scoring === 'rank') { // the top inViewShare by logit weigh +1, the rest -share / (1 - share)
    const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => logits[b] - logits[a] || a - b);
    const top = Math.round(c.inViewShare * N), neg = -c.inViewShare / (1 - c.inViewShare);
    order.forEach((i, r) => { w[i] = r < top ? 1 : neg; });
  }
  const xr = new Float32Array(N), zr = new Float32Array(N);
  let best = { theta: 0, cx: 0, cz: 0, score: -Infinity };
  const DEG = Math.PI / 180;
  for (const [li, l] of c.levels.entries()) {
    const nYaw = l.yawHalfDeg >= 180 ? Math.round(360 / l.yawStepDeg) : 2 * Math.round(l.yawHalfDeg / l.yawStepDeg) + 1;
    const yaw0 = l.yawHalfDeg >= 180 ? -Math.PI : best.theta - Math.round(l.yawHalfDeg / l.yawStepDeg) * l.yawStepDeg * DEG;
    const nC = 2 * Math.round(l.halfM / l.stepM) + 1, half = Math.round(l.halfM / l.stepM) * l.stepM;
    const cx0 = li === 0 ? -half : best.cx - half, cz0 = li === 0 ? -half : best.cz - half;
    const levelBest = { ...best, score: -Infinity }, stride = l.stride ?? 1;
    for (let a = 0; a < nYaw; a++) {
      const theta = yaw0 + a * l.yawStepDeg * DEG, co = Math.cos(theta), si = Math.sin(theta);
      for (let i = 0; i < N; i += stride) { xr[i] = co * X[i] + si * Z[i]; zr[i] = -si * X[i] + co * Z[i]; } // R p
      for (let gx = 0; gx < nC; gx++) {
        const cx = cx0 + gx * l.stepM;
        for (let gz = 0; gz < nC; gz++) {
          const cz = cz0 + gz * l.stepM, ox = co * cx + si * cz, oz = -si * cx + co * cz; // R c
          let score = 0;
          for (let i = 0; i < N; i += stride) {
            const z = zr[i] - oz;
            if (z <= c.minDepthM) continue;
            const x = xr[i] - ox;
            if (x < uLo * z || x >= uHi * z || Y[i] < vLo * z || Y[i] >= vHi * z) continue;
            score += w[i];
          }
          if (score > levelBest.score) Object.assign(levelBest, { theta, cx, cz, score });
        }
      }
    }
    best = levelBest; // scores of levels with other strides are not comparable: each level keeps its own best
  }
  const theta = Math.atan2(Math.sin(best.theta), Math.cos(best.theta));
  return { camFromPoints: yawPose(theta, best.cx, best.cz), yawRad: theta === Math.PI ? -Math.PI : theta, centre: [best.cx, 0, best.cz], score: best.score };
}
// #endregion fitFrustumPose
