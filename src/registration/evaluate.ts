/**
 * Evaluation of a registration run on the seeded test pairs: RTE (m), RRE (deg, Euler sum),
 * geodesic angle (deg) mean +- std over ALL pairs and Acc (RTE < 2 m and RRE < 5 deg), for
 * the model's final pose, for GPDM's frustum pose alone, and for the explicit-matching
 * PnP-RANSAC baseline when a baseline result is given. Tables as markdown and CSV
 * (`registration.md` / `registration.csv`). The model row's method names the variant
 * ({@link modelMethodLabel}, always starting with `ICL`); a run without GPDM has no
 * frustum-pose row.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import fs from 'node:fs';
import path from 'node:path';
import * as aq from 'arquero';
import { tf } from '../core/tf.js';
import { poseError, summarizePoseErrors, type PoseError, type PoseSummary } from '../metrics/pose.js';
import { loadCheckpoint, readCheckpointState } from '../train/checkpoint.js';
import { writeTableFiles } from '../data/formats/table-files.js';
import { registrationPairConfig, storedRegistrationConfig, validateRegistrationConfig, type RegistrationConfig } from './config.js';
import { bearingFrustumPoses, createRegistrationModel, type RegistrationModel } from './model.js';
import { gpdmMetrics, NEAR_RADIUS_M, type GpdmMetrics } from './gpdm-metrics.js';
import { formatPoseLines } from './pose-files.js';
import { createPairSourceCache, disposeBatch, stackPairs, type PairBatch, type PairSourceCache } from './pair-batches.js';
import { sensorCentre } from './bearing-polar.js';

/** One row of the results table. */
export interface RegistrationResultRow {
  method: string; pairs: number; rteMean: number; rteStd: number; rteMedian: number; rreMean: number; rreStd: number; rreMedian: number;
  geodesicMean: number; accuracyPct: number;
}

/** A table row from a summary. */
export function resultRow(method: string, s: PoseSummary): RegistrationResultRow {
  return { method, pairs: s.count, rteMean: s.rteM.mean, rteStd: s.rteM.std, rteMedian: s.rteM.median, rreMean: s.rreDeg.mean, rreStd: s.rreDeg.std, rreMedian: s.rreDeg.median, geodesicMean: s.geodesicDeg.mean, accuracyPct: s.accuracyPct };
}

/**
 * The model row's method label: `ICL (<name>, GPDM + ICLM + PRM)` for the full model,
 * `ICL (<name>, no GPDM)`, `ICL (<name>, no ICLM, pooled)` or `ICL (<name>, no GPDM, no ICLM, pooled)`.
 */
export function modelMethodLabel(c: Pick<RegistrationConfig, 'name' | 'gpdm' | 'iclm'>): string {
  if (c.gpdm && c.iclm) return `ICL (${c.name}, GPDM + ICLM + PRM)`;
  return `ICL (${c.name}${c.gpdm ? '' : ', no GPDM'}${c.iclm ? '' : ', no ICLM, pooled'})`;
}

/** Config fields an evaluation may change without retraining (they hold no weights). */
export type RegistrationEvalOverrides = Partial<Pick<RegistrationConfig, 'frustumPose' | 'frustumFit'>>;

/**
 * Loads a run's model (config and weights from its checkpoint), with `overrides` over its config;
 * `overrides.frustumFit` changes only the fields it names of the run's fit settings.
 */
export async function loadRegistrationRun(runDir: string, overrides: RegistrationEvalOverrides = {}): Promise<RegistrationModel> {
  const state = readCheckpointState<RegistrationConfig>(runDir);
  if (!state) throw new Error(`${runDir}: no checkpoint.json (train first)`);
  const frustumFit = overrides.frustumFit ? { frustumFit: { ...state.config.frustumFit, ...overrides.frustumFit } } : {};
  const model = createRegistrationModel(storedRegistrationConfig({ ...state.config, ...overrides, ...frustumFit }));
  await loadCheckpoint(runDir, state, { variables: model.variables });
  return model;
}

// #region predictPoses
/** Per test pair: poses as row-major [16] camFromPoints, and GPDM's per-point outputs. */
export interface PairPredictions {
  /** Final pose. */ final: Float32Array[];
  /** The frustum pose ICLM and PRM built on (the identity without GPDM). */ frustum: Float32Array[];
  /** GPDM's head pose (equal to frustum unless the run fits it). */ head: Float32Array[];
  /** Ground truth. */ gt: Float32Array[];
  /** [N] in-frustum logits per pair (empty arrays without GPDM). */ logits: Float32Array[];
  /** [N] 0/1 geometric mask of the frustum pose per pair (all ones without GPDM). */ geometric: Uint8Array[];
  /** [N] 0/1 true in-frustum labels per pair. */ inFrustum: Uint8Array[];
  /** [N * 3] the pair's points, metres, cloud frame. */ points: Float32Array[];
}

/**
 * The LiDAR centre (x, z) of test pairs [0, count) from their scans' rings (sensorCentre), once,
 * for {@link predictPoses} and {@link bearingImageControl} to share (one ring search per pair,
 * about 15 ms for a laptop pair).
 * @returns [2 * count] metres, each pair's cloud frame
 */
export function pairLidarCentres(model: RegistrationModel, data: PairSourceCache, count: number): Float64Array {
  if (!model.bearing) throw new Error("pairLidarCentres: the model has no bearing network (config frustumPose must be 'bearing')");
  const out = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) { const c = sensorCentre(data.pair(i).points, model.bearing.config); out[2 * i] = c.x; out[2 * i + 1] = c.z; }
  return out;
}

/** The batch of pairs `ids`, with their known LiDAR centres when given. */
function pairBatch(data: PairSourceCache, ids: readonly number[], centres?: ArrayLike<number>): PairBatch & { lidarCentre?: number[] } {
  const batch = stackPairs(ids.map((j) => data.pair(j)));
  return centres ? { ...batch, lidarCentre: ids.flatMap((j) => [centres[2 * j], centres[2 * j + 1]]) } : batch;
}

/**
 * Final and frustum poses and GPDM's per-point outputs on test pairs [0, count).
 * @param batchSize pairs per forward pass (does not change the results)
 * @param centres [2 * count] the pairs' LiDAR centres ({@link pairLidarCentres}); else the bearing frustum pose finds them
 */
export function predictPoses(model: RegistrationModel, data: PairSourceCache, count: number, batchSize = 4, centres?: ArrayLike<number>): PairPredictions {
  const r: PairPredictions = { final: [], frustum: [], head: [], gt: [], logits: [], geometric: [], inFrustum: [], points: [] };
  for (let i = 0; i < count; i += batchSize) {
    const batch = pairBatch(data, Array.from({ length: Math.min(batchSize, count - i) }, (_, k) => i + k), centres);
    const out = model.forward(batch, false, 'joint');
    const f = out.camFromPoints.dataSync(), fr = out.frustumPose.dataSync(), hp = out.headPose.dataSync(), lg = out.inFrustumLogits.dataSync(), gm = out.masks.geometric.dataSync();
    const N = batch.points.shape[1], L = out.inFrustumLogits.shape[1];
    batch.pairs.forEach((p, b) => {
      r.final.push(Float32Array.from(f.subarray(16 * b, 16 * b + 16)));
      r.frustum.push(Float32Array.from(fr.subarray(16 * b, 16 * b + 16)));
      r.head.push(Float32Array.from(hp.subarray(16 * b, 16 * b + 16)));
      r.gt.push(Float32Array.from(p.camFromPoints));
      r.logits.push(Float32Array.from(lg.subarray(L * b, L * b + L)));
      r.geometric.push(Uint8Array.from(gm.subarray(N * b, N * b + N)));
      r.inFrustum.push(Uint8Array.from(p.inFrustum));
      r.points.push(Float32Array.from(p.points));
    });
    tf.dispose(out);
    disposeBatch(batch);
  }
  return r;
}
// #endregion predictPoses

/** Options of {@link evaluateRegistration}. */
export interface RegistrationEvalOptions {
  runDir: string; dataRoot: string;
  /** Output folder (default `<run>/eval`). */ outDir?: string;
  /** Only the first n test pairs (default all). */ maxPairs?: number;
  /** Extra rows (e.g. the explicit-matching baseline's errors on the same pairs). */ extra?: { method: string; errors: PoseError[] }[];
  batchSize?: number;
  /** Lines listed under the markdown table (how it was made). */ notes?: string[];
  /** Config fields to change for this evaluation (e.g. `{ frustumPose: 'fit' }`). */ overrides?: RegistrationEvalOverrides;
  /**
   * Test on these sequences instead of the pair config's test split (real KITTI: 9 and 10; the embedded data: its
   * last drive), e.g. a real KITTI sequence the run never saw. Pairs keep their seeded perturbations.
   */
  sequences?: readonly number[];
  /** Seed of the test pairs' perturbations instead of the pair config's (another draw of poses on the same frames). */
  pairSeed?: number;
}

/** The row of the frustum pose with `frustumPose: 'bearing'`. */
export const BEARING_ROW = 'frustum pose from the bearing network';

/** The control row with `frustumPose: 'bearing'`: the same pose with every image swapped (see {@link bearingImageControl}). */
export const BEARING_CONTROL_ROW = "bearing frustum pose, another pair's image (control)";

// #region bearingImageControl
/**
 * A control of the bearing frustum pose: how much of its heading comes from the image? The pose
 * of each test pair i in [0, count) computed with the image of pair (i + ceil(count / 2)) mod
 * count, far along the drive (neighbouring pairs are the two cameras of one frame), and its own
 * points and K. Where it scores as well as the real images, the heading came from the scan's
 * geometry alone (a road's direction, which side of it the car drives on), not from registering.
 * @returns row-major [16] camFromPoints per pair
 */
export function bearingImageControl(model: RegistrationModel, data: PairSourceCache, count: number, batchSize = 4, centres?: ArrayLike<number>): Float32Array[] {
  if (!model.bearing) throw new Error("bearingImageControl: the model has no bearing network (config frustumPose must be 'bearing')");
  const half = Math.ceil(count / 2), out: Float32Array[] = [];
  for (let i = 0; i < count; i += batchSize) {
    const ids = Array.from({ length: Math.min(batchSize, count - i) }, (_, k) => i + k);
    const batch = pairBatch(data, ids, centres), others = stackPairs(ids.map((j) => data.pair((j + half) % count)));
    const poses = bearingFrustumPoses(model.bearing, { ...batch, image: others.image });
    const T = poses.camFromPoints.dataSync();
    ids.forEach((_, b) => out.push(Float32Array.from(T.subarray(16 * b, 16 * b + 16))));
    tf.dispose(poses.camFromPoints); disposeBatch(batch); disposeBatch(others);
  }
  return out;
}
// #endregion bearingImageControl

/** The identity pose, row-major [16]: what "not registering" predicts. */
const IDENTITY_16 = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

// #region evaluateRegistration
/**
 * Scores a run (final pose, frustum pose, extra rows, identity pose; with `frustumPose: 'bearing'`
 * also the image-swap control, {@link bearingImageControl}); writes to the output folder
 * `registration.md` / `.csv` (the table), `gpdm.md` / `.csv` (classifier and geometric-mask
 * quality, runs with GPDM), `pairs.csv` (per pair: RTE, RRE, geodesic, success of the final and
 * frustum poses) and the KITTI-style pose files `poses-final.txt`, `poses-frustum.txt`,
 * `poses-gt.txt` (see pose-files.ts).
 */
export async function evaluateRegistration(o: RegistrationEvalOptions): Promise<{ rows: RegistrationResultRow[]; gpdm: GpdmMetrics | null; markdown: string; outDir: string }> {
  const model = await loadRegistrationRun(o.runDir, o.overrides);
  try {
    const pairConfig = registrationPairConfig(model.config);
    const data = createPairSourceCache(o.dataRoot, {
      ...pairConfig,
      ...(o.sequences ? { testSequences: o.sequences, syntheticTestSequences: o.sequences } : {}),
      ...(o.pairSeed !== undefined ? { seed: o.pairSeed } : {}),
    }, 'test');
    const n = Math.min(o.maxPairs ?? data.dataset.length, data.dataset.length);
    const centres = model.bearing ? pairLidarCentres(model, data, n) : undefined; // once, for the model and the control
    const p = predictPoses(model, data, n, o.batchSize, centres);
    const finalErr = p.final.map((T, i) => poseError(T, p.gt[i])), frustumErr = p.frustum.map((T, i) => poseError(T, p.gt[i]));
    const fitted = model.config.frustumPose !== 'head'; // the frustum pose is not the head's: its own row, and the head's
    const fittedLabel = model.config.frustumPose === 'bearing' ? BEARING_ROW : 'frustum pose fitted to the classifier';
    const rows = [
      resultRow(modelMethodLabel(model.config), summarizePoseErrors(finalErr)),
      ...(model.config.gpdm && fitted ? [resultRow(fittedLabel, summarizePoseErrors(frustumErr))] : []),
      ...(model.config.gpdm && model.bearing ? [resultRow(BEARING_CONTROL_ROW, summarizePoseErrors(bearingImageControl(model, data, n, o.batchSize, centres).map((T, i) => poseError(T, p.gt[i]))))] : []),
      ...(model.config.gpdm ? [resultRow(fitted ? 'frustum pose of the GPDM head' : 'frustum pose alone (GPDM)', summarizePoseErrors(p.head.map((T, i) => poseError(T, p.gt[i]))))] : []),
      ...(o.extra ?? []).map((e) => resultRow(e.method, summarizePoseErrors(e.errors))),
      // the floor every method must beat: the error of predicting no motion at all (a PnP failure scores this)
      resultRow('no registration (identity pose)', summarizePoseErrors(p.gt.map((T) => poseError(IDENTITY_16, T)))),
    ];
    const outDir = o.outDir ?? path.join(o.runDir, 'eval');
    const { markdown } = writeTableFiles(aq.from(rows), outDir, 'registration', { notes: o.notes });
    const gpdm = model.config.gpdm ? gpdmMetrics(p.logits, p.geometric, p.inFrustum, p.points.map((points, i) => ({ points, camFromPoints: p.gt[i] }))) : null;
    if (gpdm) writeTableFiles(aq.from([gpdm]), outDir, 'gpdm', { notes: ['classifier at p > 0.5; every point of every pair pooled; truth = geometry/frustum.ts with the true pose',
      `clsAucPerPair, frontAuc, nearAuc: means over pairs of per-pair AUCs of the logits for: in the frustum; in front of the true camera (z > 0: has the classifier learned the heading?); within ${NEAR_RADIUS_M} m of the true camera centre (a radial prior)`] });
    const perPair = finalErr.map((e, i) => ({
      pair: i, rteM: e.rteM, rreDeg: e.rreDeg, geodesicDeg: e.geodesicDeg, success: e.success ? 1 : 0,
      frustumRteM: frustumErr[i].rteM, frustumRreDeg: frustumErr[i].rreDeg, frustumSuccess: frustumErr[i].success ? 1 : 0,
    }));
    writeTableFiles(aq.from(perPair), outDir, 'pairs', { decimals: 6 });
    fs.writeFileSync(path.join(outDir, 'poses-final.txt'), formatPoseLines(p.final));
    fs.writeFileSync(path.join(outDir, 'poses-frustum.txt'), formatPoseLines(p.frustum));
    fs.writeFileSync(path.join(outDir, 'poses-gt.txt'), formatPoseLines(p.gt));
    return { rows, gpdm, markdown, outDir };
  } finally {
    model.dispose();
  }
}
// #endregion evaluateRegistration
