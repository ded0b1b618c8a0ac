/**
 * The geometry of the bearing frustum pose (config `frustumPose: 'bearing'`, issue 11): the
 * scan seen from a centre as a polar image (bearing x range), and the LiDAR's own centre found
 * from the scan's ring structure. No TensorFlow here; bearing.ts holds the learned part.
 *
 * Why: the frustum pose of the CorrI2P protocol has three unknowns, a ground-plane centre and a
 * heading. A spinning LiDAR leaves its centre in the data (no returns within a few metres of
 * the sensor, the densest rings just outside), so the centre needs no learning. The heading
 * does, and in a polar image around that centre a heading is a circular SHIFT of the bearing
 * axis: matching the image's columns against the bearings is a 1-D correlation, which a small
 * network learns in minutes where GPDM's per-point classifier did not learn it in 3 epochs.
 *
 * Convention: the cloud frame is the perturbed camera frame (x right, y down, z forward of
 * the unperturbed camera; the protocol rotates about y only), so y is the vertical. Bearing
 * of a direction (x, z) = atan2(x, z), radians: 0 along +z, pi / 2 along +x. A camera whose
 * forward axis has bearing psi sees image column u at bearing psi + atan((u - cx) / fx).
 * @see notebooks/05-pose-regression.ipynb (issue 11)
 */
import { checkConfigObject, numberFields } from '../core/config-fields.js';
import { ConfigError } from '../core/errors.js';
import { invert, transformPoint } from '../geometry/se3.js';
import { yawPose } from './frustum-fit.js';

// #region config
/** Settings of the bearing frustum pose: metres, degrees where named. */
export interface BearingConfig {
  /** Bearing bins over 360 degrees (the heading's resolution before sub-bin refinement). Default 120 (3 deg). */
  bins: number;
  /** Range bins, log-spaced from rangeMinM to rangeMaxM. Default 16. */
  rangeBins: number;
  /** Inner edge of the first range bin, metres (> 0). Default 1.5. */
  rangeMinM: number;
  /** Outer edge of the last range bin, metres; farther points are left out of the polar image. Default 80. */
  rangeMaxM: number;
  /** Cloud-frame y of the ground (the camera's height above it; y points down), metres. KITTI 1.65. Default 1.7. */
  groundYM: number;
  /** A point counts as "above ground" when its y is below groundYM - aboveGroundM. Default 0.5. */
  aboveGroundM: number;
  /** Channels of the point branch's four 3 x 3 convolutions. Default [32, 32, 64, 64]. */
  pointChannels: number[];
  /** Channels of the image branch's four 3 x 3 convolutions (strides 2 x 2, 2 x 2, 2 x 1, 2 x 1). Default [32, 32, 64, 64]. */
  imageChannels: number[];
  /** Width of the matched features (per bearing and per image column band). Default 32. */
  featureDim: number;
  /**
   * Row bands the image branch keeps per column band: 1 = the mean over all rows (the default: a column band's
   * feature says what it sees, not where in the column); k > 1 = the rows averaged in k equal bands, concatenated
   * (where things meet the ground, how tall they are: distance, which the along-track search needs). The image
   * branch's output rows (crop height / 16) must divide by k. Default 1.
   */
  imageRowBands: number;
  /** Initial softmax temperature on the mean cosine score (learned). Default 10. */
  initialScale: number;
  /** Training: std of the Gaussian noise added to the true LiDAR centre per axis, metres (the centre estimate's error: about 0.05 m on the embedded data). Default 0.2. */
  centreNoiseM: number;
  /** Centre search half-width, metres: the pairs' maxTranslationM plus a margin. Default 12. */
  centreHalfM: number;
  /** Centre search: coarse grid step, metres (the annulus is 3.7 m wide; the refinement covers the step). Default 0.5. */
  centreStepM: number;
  /** Ring score: points within this distance of a candidate centre count against it, metres. Default 3. */
  emptyRadiusM: number;
  /** Ring score: points at distances in [ringInnerM, ringOuterM] count for it, metres. HDL-64E: lowest beam -24.8 deg at 1.73 m meets the ground at 3.75 m. Default 3.3. */
  ringInnerM: number;
  /** Default 7. */
  ringOuterM: number;
  /** Ring score: weight of a point inside emptyRadiusM (the annulus points weigh 1). Default 5. */
  emptyPenalty: number;
  /** Refinement: half-width of the final grid around the ring score's best, metres. Default 0.75. */
  refineHalfM: number;
  /** Refinement: its step, metres. Default 0.05. */
  refineStepM: number;
  /** Refinement: the centre is where the emptyRank-th nearest point is farthest (the largest empty circle, robust to emptyRank - 1 stray points). Default 3. */
  emptyRank: number;
  /**
   * Along-track search (issue 13: where along the street was the photo taken?), half-width, metres; 0 = off. Training
   * (stage 'bearing'): the polar image is also drawn around hypothetical LiDAR centres moved d = -alongHalfM,
   * ..., alongHalfM (step alongStepM) along the camera's optical axis on the ground, and the loss is a softmax over
   * (d, heading) against (0, the true heading): the network learns to tell the true centre from points ahead and
   * behind. Meant with pairs.neighbourFrames > 0, whose clouds are other frames' scans, so the scan's own empty disk
   * does not give the centre away. Inference: {@link alongOffsets}; the localization chain's registration
   * 'bearing-along'. Default 0.
   */
  alongHalfM: number;
  /** Along-track search: the step, metres. Default 0.5. */
  alongStepM: number;
}

/** The defaults (the laptop and the paper presets alike). */
export const DEFAULT_BEARING_CONFIG: Readonly<BearingConfig> = Object.freeze({
  bins: 120, rangeBins: 16, rangeMinM: 1.5, rangeMaxM: 80, groundYM: 1.7, aboveGroundM: 0.5,
  pointChannels: [32, 32, 64, 64], imageChannels: [32, 32, 64, 64], featureDim: 32, imageRowBands: 1, initialScale: 10,
  centreNoiseM: 0.2, centreHalfM: 12, centreStepM: 0.5, emptyRadiusM: 3, ringInnerM: 3.3, ringOuterM: 7, emptyPenalty: 5,
  refineHalfM: 0.75, refineStepM: 0.05, emptyRank: 3, alongHalfM: 0, alongStepM: 0.5,
});

const P = 'registration.bearing';

/**
 * Merges `partial` over the defaults and checks every field.
 * @throws ConfigError naming the field (e.g. `registration.bearing.bins`)
 */
export function validateBearingConfig(partial: Partial<BearingConfig> = {}): Readonly<BearingConfig> {
  checkConfigObject(P, partial, Object.keys(DEFAULT_BEARING_CONFIG));
  const c = { ...DEFAULT_BEARING_CONFIG, ...partial } as BearingConfig;
  const pos = { min: 0, max: 1e4, minOpen: true };
  numberFields(P, c as unknown as Record<string, unknown>, {
    bins: { min: 8, max: 3600, integer: true }, rangeBins: { min: 1, max: 256, integer: true }, rangeMinM: pos, rangeMaxM: pos,
    groundYM: { min: -100, max: 100 }, aboveGroundM: { min: 0, max: 100 }, featureDim: { min: 1, max: 4096, integer: true }, imageRowBands: { min: 1, max: 1024, integer: true }, initialScale: pos,
    centreNoiseM: { min: 0, max: 100 }, centreHalfM: { min: 0, max: 1e4 }, centreStepM: pos, emptyRadiusM: { min: 0, max: 1e3 },
    ringInnerM: { min: 0, max: 1e3 }, ringOuterM: pos, emptyPenalty: { min: 0, max: 1e6 },
    refineHalfM: { min: 0, max: 1e3 }, refineStepM: pos, emptyRank: { min: 1, max: 1e6, integer: true },
    alongHalfM: { min: 0, max: 1e3 }, alongStepM: pos,
  });
  if (c.alongHalfM / c.alongStepM > 500) throw new ConfigError(`${P}.alongStepM`, `expected at most 1001 along-track hypotheses (alongHalfM ${c.alongHalfM} / alongStepM at most 500), got step ${c.alongStepM}`);
  if (!(c.rangeMaxM > c.rangeMinM)) throw new ConfigError(`${P}.rangeMaxM`, `expected more than rangeMinM ${c.rangeMinM}, got ${c.rangeMaxM}`);
  if (!(c.ringOuterM > c.ringInnerM)) throw new ConfigError(`${P}.ringOuterM`, `expected more than ringInnerM ${c.ringInnerM}, got ${c.ringOuterM}`);
  for (const f of ['pointChannels', 'imageChannels'] as const) {
    const v = c[f];
    if (!Array.isArray(v) || v.length !== 4 || !v.every((n) => Number.isInteger(n) && n >= 1 && n <= 4096)) {
      throw new ConfigError(`${P}.${f}`, `expected 4 integers in [1, 4096], got ${JSON.stringify(v)}`);
    }
  }
  return Object.freeze({ ...c, pointChannels: [...c.pointChannels], imageChannels: [...c.imageChannels] });
}
// #endregion config

// #region alongOffsets
/**
 * The along-track hypotheses of a config: -alongHalfM, ..., 0, ..., alongHalfM metres in steps of alongStepM
 * (symmetric about 0, which is always one of them; the last step stops inside the half-width).
 * @returns [0] when alongHalfM is 0
 */
export function alongOffsets(config: Pick<BearingConfig, 'alongHalfM' | 'alongStepM'>): number[] {
  const k = Math.floor(config.alongHalfM / config.alongStepM + 1e-9), out: number[] = [];
  for (let i = -k; i <= k; i++) out.push(Math.round(i * config.alongStepM * 1e9) / 1e9 || 0); // || 0: no -0
  return out;
}
// #endregion alongOffsets

/** Channels of the polar image: log(1 + points), share above ground, mean height above ground / 3 m. */
export const POLAR_CHANNELS = 3;

// #region polarImage
/**
 * The scan seen from `centre`: per (range bin, bearing bin) cell, log(1 + count), the share of
 * points above ground and their mean height above ground in units of 3 m (clamped to
 * [-1/3, 2]). Points nearer than rangeMinM or farther than rangeMaxM are left out.
 * @param points [N * 3] metres, cloud frame (x, y, z interleaved)
 * @param centreX, centreZ the centre on the ground plane, metres, cloud frame
 * @returns [rangeBins * bins * 3] float32, HWC (rows = range bins, near first; columns = bearing bins from bearing 0)
 */
export function polarImage(points: ArrayLike<number>, centreX: number, centreZ: number, config: Readonly<BearingConfig>): Float32Array {
  if (points.length % 3 !== 0) throw new Error(`polarImage: points has ${points.length} numbers, expected a multiple of 3 (x, y, z)`);
  const { bins: B, rangeBins: R, rangeMinM, rangeMaxM, groundYM, aboveGroundM } = config;
  const out = new Float32Array(R * B * POLAR_CHANNELS), count = new Float32Array(R * B);
  const logMin = Math.log(rangeMinM), logStep = (Math.log(rangeMaxM) - logMin) / R;
  for (let i = 0; i < points.length; i += 3) {
    const x = points[i] - centreX, y = points[i + 1], z = points[i + 2] - centreZ;
    const r = Math.hypot(x, z);
    if (!(r >= rangeMinM && r < rangeMaxM)) continue;
    const ri = Math.min(R - 1, Math.floor((Math.log(r) - logMin) / logStep));
    let bi = Math.floor((Math.atan2(x, z) / (2 * Math.PI)) * B) % B;
    if (bi < 0) bi += B;
    const cell = ri * B + bi;
    count[cell] += 1;
    out[cell * 3 + 1] += y < groundYM - aboveGroundM ? 1 : 0;
    out[cell * 3 + 2] += Math.min(2, Math.max(-1 / 3, (groundYM - y) / 3));
  }
  for (let cell = 0; cell < R * B; cell++) {
    const n = count[cell];
    out[cell * 3] = Math.log1p(n);
    if (n > 0) { out[cell * 3 + 1] /= n; out[cell * 3 + 2] /= n; }
  }
  return out;
}
// #endregion polarImage

// #region polarImages
/**
 * The polar images of a batch, pair b around (centres[2b], centres[2b + 1]) (see {@link polarImage}).
 * @param points [B * N * 3] metres, cloud frames, pair after pair
 * @param centres [B * 2] the centres (x, z), metres
 * @returns [B * rangeBins * bins * 3] float32, NHWC
 */
export function polarImages(points: Float32Array, centres: ArrayLike<number>, config: Readonly<BearingConfig>): Float32Array {
  const B = centres.length / 2, per = points.length / B, cells = config.rangeBins * config.bins * POLAR_CHANNELS;
  if (!Number.isInteger(B) || !Number.isInteger(per / 3)) throw new Error(`polarImages: ${points.length} point numbers and ${centres.length} centre numbers do not make B pairs of (N x 3, 2)`);
  const out = new Float32Array(B * cells);
  for (let b = 0; b < B; b++) out.set(polarImage(points.subarray(per * b, per * (b + 1)), centres[2 * b], centres[2 * b + 1], config), b * cells);
  return out;
}
// #endregion polarImages

// #region alongPolarImages
/**
 * Each pair's cloud seen from its centre moved d metres along its own ground axis, for every d of `offsets` (the
 * along-track hypotheses, {@link alongOffsets}): polar image (b, a) is pair b's points around
 * (centres[2b] + offsets[a] axes[2b], centres[2b + 1] + offsets[a] axes[2b + 1]). The cloud is read in place, not copied per hypothesis.
 * @param points [B * N * 3] metres, cloud frames, pair after pair
 * @param centres [B * 2] the centres (x, z), metres
 * @param axes [B * 2] each pair's direction of travel on the ground (x, z), a unit vector
 * @returns [B * A * rangeBins * bins * 3] float32, NHWC, pair b's A images at rows b * A ... (b + 1) * A - 1
 */
export function alongPolarImages(points: Float32Array, centres: ArrayLike<number>, axes: ArrayLike<number>, offsets: readonly number[], config: Readonly<BearingConfig>): Float32Array {
  const B = centres.length / 2, A = offsets.length, per = points.length / B, cells = config.rangeBins * config.bins * POLAR_CHANNELS;
  if (!Number.isInteger(B) || !Number.isInteger(per / 3) || axes.length !== 2 * B) throw new Error(`alongPolarImages: ${points.length} point numbers, ${centres.length} centre and ${axes.length} axis numbers do not make B pairs of (N x 3, 2, 2)`);
  const out = new Float32Array(B * A * cells);
  for (let b = 0; b < B; b++) {
    const cloud = points.subarray(per * b, per * (b + 1));
    offsets.forEach((d, a) => out.set(polarImage(cloud, centres[2 * b] + d * axes[2 * b], centres[2 * b + 1] + d * axes[2 * b + 1], config), (b * A + a) * cells));
  }
  return out;
}
// #endregion alongPolarImages

// #region sensorCentre
/**
 * The LiDAR's centre on the ground plane, from the ring structure of its scan, in two steps.
 * Coarse: the grid point (step centreStepM over +-centreHalfM) that maximises (points at ground
 * distance in [ringInnerM, ringOuterM]) - emptyPenalty x (points nearer than emptyRadiusM): the
 * dense rings just outside an empty disk. Fine (step refineStepM over +-refineHalfM around it):
 * the centre of the largest empty circle, where the emptyRank-th nearest point is farthest,
 * since the coarse score is flat while the innermost ring stays inside its annulus. The camera
 * sits a calibration offset away (KITTI: about 0.27 m ahead), which this does not add.
 * Cost: the coarse scores come per point and grid row (ringScoreGrid), the refinement reads only
 * the points near its centre; the result equals the brute-force search's, grid point by grid point
 * against every point (test/registration/bearing.test.ts), about 30 times faster (15 ms against
 * 450 ms for a laptop pair's 4096 points at centreStepM 0.25, this 2-core machine).
 * @param points [N * 3] metres, cloud frame
 * @returns the centre (x, z), metres, cloud frame, the coarse score and the empty circle's radius, metres
 */
export function sensorCentre(points: ArrayLike<number>, config: Readonly<BearingConfig>): { x: number; z: number; score: number; emptyRadiusM: number } {
  if (points.length % 3 !== 0 || points.length === 0) throw new Error(`sensorCentre: points has ${points.length} numbers, expected a positive multiple of 3 (x, y, z)`);
  const N = points.length / 3, X = new Float32Array(N), Z = new Float32Array(N);
  for (let i = 0; i < N; i++) { X[i] = points[3 * i]; Z[i] = points[3 * i + 2]; }
  const coarse = ringScoreGrid(X, Z, config);
  const { x: x0, z: z0 } = coarse;
  // refinement: only points that can be among a candidate's emptyRank nearest. Every candidate lies within h of
  // (x0, z0), so its k-th nearest distance is at most r0 + h (r0: that of (x0, z0)) and its k nearest lie within
  // r0 + 2 h of (x0, z0); the 1 m margin covers rounding. The k-th smallest distance does not depend on the order.
  const k = Math.min(config.emptyRank, N), n = Math.round(config.refineHalfM / config.refineStepM), near = new Float64Array(k);
  const kthDistance = (xs: Float32Array, zs: Float32Array, cx: number, cz: number): number => {
    near.fill(Infinity);
    for (let i = 0; i < xs.length; i++) {
      const dx = xs[i] - cx, dz = zs[i] - cz, d2 = dx * dx + dz * dz;
      if (d2 < near[k - 1]) { let j = k - 1; while (j > 0 && near[j - 1] > d2) { near[j] = near[j - 1]; j--; } near[j] = d2; }
    }
    return Math.sqrt(near[k - 1]);
  };
  const r0 = kthDistance(X, Z, x0, z0), keep = (r0 + 2 * Math.SQRT2 * n * config.refineStepM + 1) ** 2;
  const idx: number[] = [];
  for (let i = 0; i < N; i++) if ((X[i] - x0) ** 2 + (Z[i] - z0) ** 2 <= keep) idx.push(i);
  const xs = Float32Array.from(idx, (i) => X[i]), zs = Float32Array.from(idx, (i) => Z[i]);
  let fine = { x: x0, z: z0, radius: r0 };
  for (let i = -n; i <= n; i++) {
    for (let j = -n; j <= n; j++) {
      const x = x0 + i * config.refineStepM, z = z0 + j * config.refineStepM, r = kthDistance(xs, zs, x, z);
      if (r > fine.radius) fine = { x, z, radius: r };
    }
  }
  return { x: fine.x, z: fine.z, score: coarse.score, emptyRadiusM: fine.radius };
}

/**
 * The coarse step of {@link sensorCentre}: the ring score of every grid point (x, z) = (i, j) x centreStepM,
 * |i|, |j| <= round(centreHalfM / centreStepM), and the first best in the order i, then j. Per point and grid
 * row, the grid points within its annulus (ringInnerM..ringOuterM, outside emptyRadiusM) and within its empty
 * disk are index intervals (the squared distance is convex along a row): their ends come from square roots,
 * widened by one and then settled by the exact test the score uses, and the counts go into per-row difference
 * arrays. Score = ring count - emptyPenalty x empty count, as a per-point sum gives it (exactly, for the
 * integer penalties of the presets). O(N x rows) instead of O(N x grid points).
 */
function ringScoreGrid(X: Float32Array, Z: Float32Array, config: Readonly<BearingConfig>): { x: number; z: number; score: number } {
  const step = config.centreStepM, n = Math.round(config.centreHalfM / step), side = 2 * n + 1;
  const e2 = config.emptyRadiusM ** 2, a2 = Math.max(config.ringInnerM ** 2, e2), b2 = config.ringOuterM ** 2;
  const ring = new Int32Array(side * (side + 1)), empty = new Int32Array(side * (side + 1)); // [row j][column i + 1 extra], difference form
  const reach = Math.sqrt(Math.max(b2, e2)), W = side + 1;
  for (let p = 0; p < X.length; p++) {
    const px = X[p], pz = Z[p], c = px / step;
    const jLo = Math.max(-n, Math.ceil((pz - reach) / step) - 1), jHi = Math.min(n, Math.floor((pz + reach) / step) + 1);
    for (let j = jLo; j <= jHi; j++) {
      const dz = pz - j * step, dz2 = dz * dz, row = (j + n) * W + n;
      if (dz2 < e2) { // empty disk: d2 < e2
        const r = Math.sqrt(e2 - dz2) / step;
        let lo = Math.max(-n, Math.ceil(c - r) - 1), hi = Math.min(n, Math.floor(c + r) + 1), dx = 0;
        while (lo <= hi && !((dx = px - lo * step), dx * dx + dz2 < e2)) lo++;
        while (hi >= lo && !((dx = px - hi * step), dx * dx + dz2 < e2)) hi--;
        if (lo <= hi) { empty[row + lo]++; empty[row + hi + 1]--; }
      }
      if (dz2 <= b2) { // ring: (d2 <= b2) minus (d2 < a2)
        const r = Math.sqrt(b2 - dz2) / step;
        let lo = Math.max(-n, Math.ceil(c - r) - 1), hi = Math.min(n, Math.floor(c + r) + 1), dx = 0;
        while (lo <= hi && !((dx = px - lo * step), dx * dx + dz2 <= b2)) lo++;
        while (hi >= lo && !((dx = px - hi * step), dx * dx + dz2 <= b2)) hi--;
        if (lo > hi) continue;
        let il = 1, ih = 0; // the inner disk d2 < a2, empty unless the row crosses it
        if (dz2 < a2) {
          const ri = Math.sqrt(a2 - dz2) / step;
          il = Math.max(-n, Math.ceil(c - ri) - 1); ih = Math.min(n, Math.floor(c + ri) + 1);
          while (il <= ih && !((dx = px - il * step), dx * dx + dz2 < a2)) il++;
          while (ih >= il && !((dx = px - ih * step), dx * dx + dz2 < a2)) ih--;
        }
        if (il > ih) { ring[row + lo]++; ring[row + hi + 1]--; continue; }
        const h1 = Math.min(hi, il - 1), l2 = Math.max(lo, ih + 1);
        if (lo <= h1) { ring[row + lo]++; ring[row + h1 + 1]--; }
        if (l2 <= hi) { ring[row + l2]++; ring[row + hi + 1]--; }
      }
    }
  }
  const score = new Float64Array(side * side); // [i][j]
  for (let j = 0; j < side; j++) {
    let r = 0, e = 0;
    for (let i = 0; i < side; i++) { r += ring[j * W + i]; e += empty[j * W + i]; score[i * side + j] = r - config.emptyPenalty * e; }
  }
  let best = { x: 0, z: 0, score: -Infinity };
  for (let i = -n; i <= n; i++) {
    for (let j = -n; j <= n; j++) {
      const s = score[(i + n) * side + j + n];
      if (s > best.score) best = { x: 0 + i * step, z: 0 + j * step, score: s };
    }
  }
  return best;
}
// #endregion sensorCentre

/**
 * The heading of a camFromPoints: the bearing of the camera's forward axis in the cloud frame,
 * atan2(R[2][0], R[2][2]), radians in (-pi, pi].
 * @param camFromPoints [16] row-major
 */
export function poseHeading(camFromPoints: ArrayLike<number>): number {
  return Math.atan2(camFromPoints[8], camFromPoints[10]);
}

/**
 * The camera centre of a camFromPoints on the ground plane: c = -R^T t, (x, z).
 * @param camFromPoints [16] row-major
 */
export function poseCentre(camFromPoints: ArrayLike<number>): { x: number; z: number } {
  const c = transformPoint(invert(camFromPoints), [0, 0, 0]);
  return { x: c[0], z: c[2] };
}

/**
 * Where a point fixed to the camera lies relative to the camera centre, on the cloud frame's ground
 * plane, for a camera with heading psi: R^T o with R the yaw rotation of that heading. With o the
 * LiDAR's origin in the camera frame, LiDAR centre = camera centre + this.
 * @param o [3] metres, camera frame (y is ignored: the protocol turns about y)
 * @returns (x, z), metres
 */
export function cameraOffsetInCloud(headingRad: number, o: ArrayLike<number>): { x: number; z: number } {
  const d = transformPoint(invert(yawPose(-headingRad, 0, 0)), [o[0], 0, o[2]]);
  return { x: d[0], z: d[2] };
}
