/**
 * Evaluation of the explicit baseline: load a run folder, predict every seeded test pair of its
 * registration config (failures scored at the identity pose, see matching.ts), and write the
 * table row as markdown / CSV (with the classifier's precision and recall and the share of correct
 * matches, matching.ts matchDiagnostics), each pair's errors, PnP outcome and those counts (`pairs.csv`), and the poses as
 * KITTI pose files (`poses-baseline.txt`, `poses-gt.txt`: pair i on line i, see pose-files.ts).
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import fs from 'node:fs';
import path from 'node:path';
import * as aq from 'arquero';
import { loadCheckpoint, readCheckpointState } from '../../train/checkpoint.js';
import { poseError, summarizePoseErrors, type PoseError } from '../../metrics/pose.js';
import { tableToMarkdown } from '../../viz/table.js';
import { writeTableFiles } from '../../data/formats/table-files.js';
import { registrationPairConfig } from '../config.js';
import { createPairSourceCache } from '../pair-batches.js';
import { resultRow, type RegistrationResultRow } from '../evaluate.js';
import { formatPoseLines } from '../pose-files.js';
import { validateExplicitBaselineConfig, type ValidExplicitBaselineConfig } from './config.js';
import { createExplicitBaseline, type ExplicitBaselineModel } from './model.js';
import { matchDiagnostics, predictExplicit } from './matching.js';

// #region evaluate
/** Loads a baseline run (config and weights from its checkpoint). */
export async function loadExplicitBaselineRun(runDir: string): Promise<ExplicitBaselineModel> {
  const state = readCheckpointState<ValidExplicitBaselineConfig>(runDir);
  if (!state) throw new Error(`${runDir}: no checkpoint.json (run baseline-train first)`);
  const model = createExplicitBaseline(validateExplicitBaselineConfig(state.config));
  await loadCheckpoint(runDir, state, model);
  return model;
}

/** Options of {@link evaluateExplicitBaseline}. */
export interface ExplicitEvalOptions {
  runDir: string; dataRoot: string;
  /** Only the first n test pairs (default all). */ maxPairs?: number;
  /** Write `baseline.md` / `baseline.csv`, `pairs.csv` and the pose files here (default: write nothing). */ outDir?: string;
  /** Inference overrides (threshold, RANSAC). */ predict?: Parameters<typeof predictExplicit>[2];
}

/** What {@link evaluateExplicitBaseline} measured. */
export interface ExplicitEvalResult {
  /** The table row (mean +- std over ALL pairs, failures at the identity pose included). */ row: RegistrationResultRow;
  /** Per-pair errors; `extra` is ready for evaluateRegistration's `extra` option. */ errors: PoseError[];
  extra: { method: string; errors: PoseError[] };
  /** Pairs where PnP found no pose (scored at the identity). */ failures: number;
  /** Mean correspondences and inliers per pair. */ meanMatches: number; meanInliers: number;
  /**
   * Over all pairs: the classifier's precision and recall (kept points truly in view), the share of
   * matches within one cell of their true projection (what RANSAC sees), and that share among the
   * kept points truly in view (the descriptors alone, as if the classifier were perfect).
   */
  diagnostics: { clsPrecision: number; clsRecall: number; correctShare: number; correctShareInView: number };
  /** Per pair: errors, whether PnP found a pose, matches, inliers, and how far the estimated camera centre lies from the true one's distance to the cloud's origin. */
  pairs: ExplicitPairRow[];
  markdown: string;
}

/** One row of `pairs.csv`. */
export interface ExplicitPairRow {
  pair: number; rte: number; rre: number; geodesic: number; success: number;
  /** 1 when PnP found a pose with enough inliers (else the identity was scored). */ pnpOk: number;
  matches: number; inliers: number;
  /** Distance of the estimated / true camera centre from the perturbed cloud's origin, metres. */ estimatedCentreM: number; trueCentreM: number;
  /** Points truly in view, kept by the classifier, both; matches within one cell of the true projection (matching.ts matchDiagnostics). */
  inView: number; kept: number; keptInView: number; correctMatches: number;
}

/** |camera centre| of a camFromPoints pose, metres (the centre is -R^T t). */
function centreDistance(T: ArrayLike<number>): number {
  let s = 0;
  for (let c = 0; c < 3; c++) { const x = -(T[c] * T[3] + T[4 + c] * T[7] + T[8 + c] * T[11]); s += x * x; }
  return Math.sqrt(s);
}

/** Scores a baseline run on the seeded test pairs of its registration config. */
export async function evaluateExplicitBaseline(o: ExplicitEvalOptions): Promise<ExplicitEvalResult> {
  const model = await loadExplicitBaselineRun(o.runDir);
  try {
    const data = createPairSourceCache(o.dataRoot, registrationPairConfig(model.config.registration), 'test');
    const n = Math.min(o.maxPairs ?? data.dataset.length, data.dataset.length);
    const errors: PoseError[] = [], pairs: ExplicitPairRow[] = [], est: ArrayLike<number>[] = [], gt: ArrayLike<number>[] = [];
    let failures = 0, matches = 0, inliers = 0, inView = 0, kept = 0, keptInView = 0, correct = 0;
    for (let i = 0; i < n; i++) {
      const pair = data.pair(i);
      const p = await predictExplicit(model, pair, o.predict);
      const e = poseError(p.camFromPoints, pair.camFromPoints), d = matchDiagnostics(p, pair);
      errors.push(e); est.push(p.camFromPoints); gt.push(pair.camFromPoints);
      pairs.push({ pair: i, rte: e.rteM, rre: e.rreDeg, geodesic: e.geodesicDeg, success: e.success ? 1 : 0, pnpOk: p.ok ? 1 : 0, matches: p.matches, inliers: p.inliers,
        estimatedCentreM: centreDistance(p.camFromPoints), trueCentreM: centreDistance(pair.camFromPoints),
        inView: d.inView, kept: d.kept, keptInView: d.keptInView, correctMatches: d.correct });
      inView += d.inView; kept += d.kept; keptInView += d.keptInView; correct += d.correct;
      failures += p.ok ? 0 : 1; matches += p.matches; inliers += p.inliers;
    }
    const c = { ...model.config, ...o.predict }; // the settings the pairs were predicted with
    const thr = c.inFrustumThreshold === 0.5 ? '' : `, p > ${c.inFrustumThreshold}`;
    const method = `explicit matching + EPnP-RANSAC (${c.name}, ${c.ransacIterations} it, ${c.reprojectionErrorGridPx} px on the 1/${model.gridStride} grid${thr})`;
    const row = resultRow(method, summarizePoseErrors(errors));
    const diagnostics = { clsPrecision: keptInView / Math.max(1, kept), clsRecall: keptInView / Math.max(1, inView), correctShare: correct / Math.max(1, kept), correctShareInView: correct / Math.max(1, keptInView) };
    const table = aq.from([{ ...row, pnpFailures: failures, meanMatches: matches / Math.max(1, n), meanInliers: inliers / Math.max(1, n), ...diagnostics }]);
    const markdown = o.outDir ? writeTableFiles(table, o.outDir, 'baseline').markdown : tableToMarkdown(table);
    if (o.outDir) {
      writeTableFiles(aq.from(pairs), o.outDir, 'pairs');
      fs.writeFileSync(path.join(o.outDir, 'poses-baseline.txt'), formatPoseLines(est));
      fs.writeFileSync(path.join(o.outDir, 'poses-gt.txt'), formatPoseLines(gt));
    }
    return { row, errors, extra: { method, errors }, failures, meanMatches: matches / Math.max(1, n), meanInliers: inliers / Math.max(1, n), diagnostics, pairs, markdown };
  } finally {
    model.dispose();
  }
}
// #endregion evaluate
