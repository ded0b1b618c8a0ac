/**
 * Global localization of one photo in a LiDAR map (issue 13): ModaLink retrieves the k nearest
 * scans by descriptor, the registration model registers the photo against each (the query
 * camera's pose in that scan's camera frame), a score picks the winner, and the camera's pose in
 * the world is the winner's worldFromCam composed with the inverse registered pose. Every step
 * returns what it decided and why (ranks, distances, per-candidate scores, timings), for tables
 * and figures.
 *
 * What the registration can and cannot do here: the shipped model's frustum pose (the
 * `bearing` frustum pose, which the full model's PRM changes by millimetres) puts the camera at
 * the scan's LiDAR centre, moved by the calibration, and finds the heading. Against a scan taken
 * elsewhere it turns the pose but cannot move it: the position error is the distance from the
 * query to the chosen scan. The chain's accuracy is therefore bounded by how near the chosen
 * scan is, which the selection and the oracle row measure.
 * @see notebooks/06-global-localization.ipynb
 */
import { tf, type Tensor2D, type Tensor4D } from '../core/tf.js';
import { InputError } from '../core/errors.js';
import type { Mat4 } from '../geometry/matrix.js';
import { compose, invert, toRt } from '../geometry/se3.js';
import { geodesicAngle } from '../geometry/so3.js';
import type { ModaLinkModel } from '../modalink/model.js';
import { bearingFrustumPoses, type RegistrationBatch, type RegistrationModel } from '../registration/model.js';
import { registrationPairConfig } from '../registration/config.js';
import { validateLocalizationConfig, type LocalizationConfig, type RegistrationMode, type SelectionMethod } from './config.js';
import type { LocalizationMap } from './map.js';
import type { LocalizationQuery } from './query.js';

/** One registered candidate. */
export interface Candidate {
  /** Map index and frame of the scan. */
  mapIndex: number; frame: number;
  /** Retrieval rank (1 = nearest descriptor; 0 = not retrieved, e.g. the oracle's scan) and squared descriptor distance. */
  rank: number; descriptorDistanceSq: number;
  /** [16] the registered pose: the query camera from the scan's camera-2 frame. */
  camFromScan: Mat4;
  /** [16] the query camera's pose in the world this candidate implies: worldFromScanCam x inv(camFromScan). */
  worldFromCam: Mat4;
  /** Softmax probability of the bearing network's best heading, in (0, 1]. */
  headingProbability: number;
  /** The bearing network's score at that heading (scale x mean cosine of the image's columns and the scan's bearings). */
  matchScore: number;
  /** Full registration only: mean in-frustum probability of GPDM's classifier over the points the registered frustum contains. */
  inViewProbability: number | null;
  /** Registration 'bearing-along': how far along the scan's optical axis the search moved the LiDAR centre, metres (else 0). */
  alongM: number;
  /** How many other candidates' world poses agree with this one's (within agreeM and agreeDeg). */
  agreement: number;
}

/** Seconds per stage of one query. */
export interface StageSeconds { image: number; descriptor: number; search: number; registration: number; selection: number }

/** What the chain decided for one query. */
export interface LocalizationResult {
  queryId: string;
  /** The k candidates in retrieval order. */
  candidates: Candidate[];
  /** Per selection method, the index into candidates it picks (the configured one decides the pose). */
  picks: Record<SelectionMethod, number>;
  /** The configured selection, its pick, and why in words. */
  selection: SelectionMethod; chosen: number; reason: string;
  /** [16] the estimated worldFromCam (camera 2). */
  worldFromCam: Mat4;
  seconds: StageSeconds;
}

/** The models the chain runs. */
export interface LocalizationModels { modalink: ModaLinkModel; registration: RegistrationModel }

/** The ModaLink descriptor of a query. @returns [D] */
export function describeQuery(modalink: ModaLinkModel, q: LocalizationQuery): Float32Array {
  const c = modalink.config;
  return tf.tidy(() => {
    const x = tf.div(tf.tensor4d(q.modalinkImage, [1, c.inputHeightPx, c.inputWidthPx, 3], 'float32'), 255) as ReturnType<typeof tf.tensor4d>;
    return Float32Array.from(modalink.describe(x).dataSync());
  });
}

/**
 * The registration batch of the query against map scans `indices`: the same photo B times, each scan's cloud,
 * the query's intrinsics, and the map's LiDAR origin (so the bearing frustum pose need not search for it).
 * The caller disposes image, points, K and lidarOrigin.
 * @throws InputError when the query's registration crop is not the model's size
 */
export function candidateBatch(model: RegistrationModel, map: LocalizationMap, q: LocalizationQuery, indices: readonly number[]): RegistrationBatch & { lidarOrigin: Tensor2D; lidarCentre: number[] } {
  const { cropHeight: H, cropWidth: W } = registrationPairConfig(model.config);
  if (q.registrationImage.length !== H * W * 3) throw new InputError(`query ${q.id}`, `expected a ${W} x ${H} registration crop, got ${q.registrationImage.length / 3} pixels`);
  const B = indices.length, n = map.clouds[0].length / 3, o = map.lidarOriginCam;
  const pts = new Float32Array(B * n * 3);
  indices.forEach((m, b) => pts.set(map.clouds[m], b * n * 3));
  const repeat = (v: ArrayLike<number>): number[] => Array.from({ length: B }, () => Array.from(v)).flat();
  return {
    image: tf.tidy(() => tf.tile(tf.tensor4d(q.registrationImage, [1, H, W, 3]), [B, 1, 1, 1])) as Tensor4D, // [B, H, W, 3] the same photo
    points: tf.tensor3d(pts, [B, n, 3]), K: tf.tensor3d(repeat(q.K), [B, 3, 3]),
    lidarOrigin: tf.tensor2d(repeat(o), [B, 3]), lidarCentre: repeat([o[0], o[2]]),
  };
}

// #region registerCandidates
/**
 * Registers the query against map scans `indices` in one batch. The map knows each scan's LiDAR
 * centre (the calibration's origin in its camera frame), so the bearing frustum pose does not
 * search for it; mode 'bearing-along' searches where along the scan's optical axis the query's is.
 * @returns per scan: camFromScan [16], the heading's softmax peak, and (mode 'full') GPDM's mean in-view probability inside the registered frustum
 */
export function registerCandidates(model: RegistrationModel, map: LocalizationMap, q: LocalizationQuery, indices: readonly number[], mode: RegistrationMode): { camFromScan: Mat4[]; headingProbability: number[]; matchScore: number[]; inViewProbability: (number | null)[]; alongM: number[] } {
  if (!model.bearing) throw new InputError('registration model', "localization needs a model with frustumPose 'bearing' (the shipped models/registration-laptop has it)");
  const batch = candidateBatch(model, map, q, indices);
  try {
    const bear = bearingFrustumPoses(model.bearing, batch, mode === 'bearing-along');
    let poses = bear.camFromPoints.dataSync();
    tf.dispose(bear.camFromPoints);
    let inViewProbability: (number | null)[] = indices.map(() => null);
    if (mode === 'full') {
      const out = model.forward(batch, false, 'joint');
      poses = out.camFromPoints.dataSync();
      const lg = out.inFrustumLogits.dataSync(), gm = out.masks.geometric.dataSync(), N = out.inFrustumLogits.shape[1];
      inViewProbability = indices.map((_, b) => {
        let s = 0, c = 0;
        for (let i = 0; i < N; i++) if (gm[b * N + i] > 0) { s += 1 / (1 + Math.exp(-lg[b * N + i])); c++; }
        return c > 0 ? s / c : 0;
      });
      tf.dispose(out);
    }
    return { camFromScan: indices.map((_, b) => Float64Array.from(poses.subarray(16 * b, 16 * b + 16))), headingProbability: Array.from(bear.peakProbability), matchScore: Array.from(bear.bestScore), inViewProbability, alongM: Array.from(bear.alongM) };
  } finally {
    tf.dispose([batch.image, batch.points, batch.K, batch.lidarOrigin]);
  }
}
// #endregion registerCandidates

/**
 * Rotation angle between two worldFromCam poses' rotations (degrees) and the distance between their
 * camera centres (metres). Not metrics/pose.ts's RTE: that measures R_a^T (t_b - t_a), whose length
 * differs from the centres' distance by up to 1e-5 relative when a pose file's rotation is not
 * exactly orthonormal (KITTI's printed digits).
 */
export function worldPoseDifference(a: ArrayLike<number>, b: ArrayLike<number>): { distanceM: number; angleDeg: number } {
  const ra = toRt(a), rb = toRt(b);
  return { distanceM: Math.hypot(ra.t[0] - rb.t[0], ra.t[1] - rb.t[1], ra.t[2] - rb.t[2]), angleDeg: (geodesicAngle(ra.R, rb.R) * 180) / Math.PI };
}

/** Whether two candidates' world poses agree: within agreeM and agreeDeg. */
function agrees(a: Candidate, b: Candidate, config: Pick<LocalizationConfig, 'agreeM' | 'agreeDeg'>): boolean {
  const d = worldPoseDifference(a.worldFromCam, b.worldFromCam);
  return d.distanceM < config.agreeM && d.angleDeg < config.agreeDeg;
}

// #region selectCandidate
/**
 * Fills each candidate's agreement count and returns every selection method's pick:
 * retrieval = rank order; heading = highest headingProbability; agreement = most agreeing
 * candidates, then the better rank. Ties go to the better retrieval rank.
 */
export function selectCandidates(candidates: Candidate[], config: Pick<LocalizationConfig, 'agreeM' | 'agreeDeg'>): Record<SelectionMethod, number> {
  if (candidates.length === 0) throw new InputError('selectCandidates: candidates', 'expected at least one candidate');
  for (const c of candidates) {
    c.agreement = candidates.filter((o) => o !== c && agrees(c, o, config)).length;
  }
  const argBest = (key: (c: Candidate) => number): number => candidates.reduce((best, c, i) => (key(c) > key(candidates[best]) ? i : best), 0);
  const agreement = argBest((c) => c.agreement);
  return { retrieval: 0, heading: argBest((c) => c.headingProbability), match: argBest((c) => c.matchScore), agreement, consensus: agreement };
}
// #endregion selectCandidate

// #region selectionPose
/**
 * The world pose a selection method gives: its candidate's, except `consensus`, whose position is
 * the mean of its candidate's and of those agreeing with it (within agreeM and agreeDeg), rotation kept.
 * @returns [16] row-major worldFromCam
 */
export function selectionPose(method: SelectionMethod, candidates: readonly Candidate[], picks: Record<SelectionMethod, number>, config: Pick<LocalizationConfig, 'agreeM' | 'agreeDeg'>): Mat4 {
  const pick = candidates[picks[method]];
  if (method !== 'consensus') return pick.worldFromCam;
  const group = candidates.filter((c) => agrees(c, pick, config));
  const out = Float64Array.from(pick.worldFromCam);
  for (const k of [3, 7, 11]) out[k] = group.reduce((s, c) => s + c.worldFromCam[k], 0) / group.length;
  return out;
}
// #endregion selectionPose

/** Why a selection picked its candidate, in words. */
export function selectionReason(method: SelectionMethod, c: Candidate): string {
  if (method === 'retrieval') return `retrieval rank ${c.rank} (descriptor distance² ${c.descriptorDistanceSq.toFixed(3)})`;
  if (method === 'heading') return `heading softmax peak ${c.headingProbability.toFixed(3)} (rank ${c.rank})`;
  if (method === 'match') return `bearing match score ${c.matchScore.toFixed(3)} (rank ${c.rank})`;
  if (method === 'agreement') return `${c.agreement} other candidates agree with its pose (rank ${c.rank})`;
  return `the mean position of rank ${c.rank} and the ${c.agreement} candidates that agree with its pose`;
}

/** Candidates from registered poses (agreement filled by {@link selectCandidates}). */
export function makeCandidates(map: LocalizationMap, indices: readonly number[], ranks: readonly number[], distancesSq: ArrayLike<number>, reg: ReturnType<typeof registerCandidates>): Candidate[] {
  return indices.map((m, i) => ({
    mapIndex: m, frame: map.frames[m], rank: ranks[i], descriptorDistanceSq: distancesSq[i], camFromScan: reg.camFromScan[i],
    worldFromCam: compose(map.worldFromCam[m], invert(reg.camFromScan[i])), headingProbability: reg.headingProbability[i], matchScore: reg.matchScore[i],
    inViewProbability: reg.inViewProbability[i], alongM: reg.alongM[i], agreement: 0,
  }));
}

// #region localize
/**
 * Localizes one query: descriptor, top-k search, registration against each candidate, selection.
 * @param excludeIndex a map index to leave out of the search (the query's own scan when query and map are one sequence), or -1
 */
export function localize(models: LocalizationModels, map: LocalizationMap, q: LocalizationQuery, config: Partial<LocalizationConfig> = {}, excludeIndex = -1): LocalizationResult {
  const c = validateLocalizationConfig(config);
  const k = Math.min(c.topK, map.index.size - (excludeIndex >= 0 ? 1 : 0));
  let t = performance.now();
  const lap = (): number => { const now = performance.now(), s = (now - t) / 1000; t = now; return s; };
  const d = describeQuery(models.modalink, q);
  const descriptor = lap();
  const found = map.index.query(d, k, excludeIndex);
  const indices = Array.from(found.indices), search = lap();
  const reg = registerCandidates(models.registration, map, q, indices, c.registration);
  const registration = lap();
  const candidates = makeCandidates(map, indices, indices.map((_, i) => i + 1), found.distancesSq, reg);
  const picks = selectCandidates(candidates, c);
  const chosen = picks[c.selection];
  const selection = lap();
  return {
    queryId: q.id, candidates, picks, selection: c.selection, chosen, reason: selectionReason(c.selection, candidates[chosen]),
    worldFromCam: selectionPose(c.selection, candidates, picks, c), seconds: { image: q.prepareSeconds, descriptor, search, registration, selection },
  };
}
// #endregion localize
