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
import path from 'node:path';
import * as aq from 'arquero';
import { tf } from '../core/tf.js';
import { poseError, summarizePoseErrors, type PoseError, type PoseSummary } from '../metrics/pose.js';
import { loadCheckpoint, readCheckpointState } from '../train/checkpoint.js';
import { writeTableFiles } from '../data/formats/table-files.js';
import { registrationPairConfig, validateRegistrationConfig, type RegistrationConfig } from './config.js';
import { createRegistrationModel, type RegistrationModel } from './model.js';
import { createPairSourceCache, disposeBatch, stackPairs, type PairSourceCache } from './pair-batches.js';

/** One row of the results table. */
export interface RegistrationResultRow {
  method: string; pairs: number; rteMean: number; rteStd: number; rreMean: number; rreStd: number;
  geodesicMean: number; accuracyPct: number;
}

/** A table row from a summary. */
export function resultRow(method: string, s: PoseSummary): RegistrationResultRow {
  return { method, pairs: s.count, rteMean: s.rteM.mean, rteStd: s.rteM.std, rreMean: s.rreDeg.mean, rreStd: s.rreDeg.std, geodesicMean: s.geodesicDeg.mean, accuracyPct: s.accuracyPct };
}

/**
 * The model row's method label: `ICL (<name>, GPDM + ICLM + PRM)` for the full model,
 * `ICL (<name>, no GPDM)`, `ICL (<name>, no ICLM, pooled)` or `ICL (<name>, no GPDM, no ICLM, pooled)`.
 */
export function modelMethodLabel(c: Pick<RegistrationConfig, 'name' | 'gpdm' | 'iclm'>): string {
  if (c.gpdm && c.iclm) return `ICL (${c.name}, GPDM + ICLM + PRM)`;
  return `ICL (${c.name}${c.gpdm ? '' : ', no GPDM'}${c.iclm ? '' : ', no ICLM, pooled'})`;
}

/** Loads a run's model (config and weights from its checkpoint). */
export async function loadRegistrationRun(runDir: string): Promise<RegistrationModel> {
  const state = readCheckpointState<RegistrationConfig>(runDir);
  if (!state) throw new Error(`${runDir}: no checkpoint.json (train first)`);
  const model = createRegistrationModel(validateRegistrationConfig(state.config));
  await loadCheckpoint(runDir, state, { variables: model.variables });
  return model;
}

// #region predictPoses
/**
 * Final and frustum poses of test pairs [first, first + count).
 * @returns per pair, [16] row-major camFromPoints (final, frustum; the frustum pose is the identity without GPDM) and the ground truth
 */
export function predictPoses(model: RegistrationModel, data: PairSourceCache, count: number, batchSize = 4): { final: Float32Array[]; frustum: Float32Array[]; gt: Float32Array[] } {
  const final: Float32Array[] = [], frustum: Float32Array[] = [], gt: Float32Array[] = [];
  for (let i = 0; i < count; i += batchSize) {
    const batch = stackPairs(Array.from({ length: Math.min(batchSize, count - i) }, (_, k) => data.pair(i + k)));
    const out = model.forward(batch, false, 'joint');
    const f = out.camFromPoints.dataSync(), fr = out.frustumPose.dataSync();
    batch.pairs.forEach((p, b) => {
      final.push(Float32Array.from(f.subarray(16 * b, 16 * b + 16)));
      frustum.push(Float32Array.from(fr.subarray(16 * b, 16 * b + 16)));
      gt.push(Float32Array.from(p.camFromPoints));
    });
    tf.dispose(out);
    disposeBatch(batch);
  }
  return { final, frustum, gt };
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
}

/** The identity pose, row-major [16]: what "not registering" predicts. */
const IDENTITY_16 = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

// #region evaluateRegistration
/** Scores a run (final pose, frustum pose, extra rows, identity pose); writes `registration.md` and `registration.csv`. */
export async function evaluateRegistration(o: RegistrationEvalOptions): Promise<{ rows: RegistrationResultRow[]; markdown: string; outDir: string }> {
  const model = await loadRegistrationRun(o.runDir);
  try {
    const data = createPairSourceCache(o.dataRoot, registrationPairConfig(model.config), 'test');
    const n = Math.min(o.maxPairs ?? data.dataset.length, data.dataset.length);
    const p = predictPoses(model, data, n, o.batchSize);
    const rows = [
      resultRow(modelMethodLabel(model.config), summarizePoseErrors(p.final.map((T, i) => poseError(T, p.gt[i])))),
      ...(model.config.gpdm ? [resultRow('frustum pose alone (GPDM)', summarizePoseErrors(p.frustum.map((T, i) => poseError(T, p.gt[i]))))] : []),
      ...(o.extra ?? []).map((e) => resultRow(e.method, summarizePoseErrors(e.errors))),
      // the floor every method must beat: the error of predicting no motion at all (a PnP failure scores this)
      resultRow('no registration (identity pose)', summarizePoseErrors(p.gt.map((T) => poseError(IDENTITY_16, T)))),
    ];
    const outDir = o.outDir ?? path.join(o.runDir, 'eval');
    const { markdown } = writeTableFiles(aq.from(rows), outDir, 'registration', { notes: o.notes });
    return { rows, markdown, outDir };
  } finally {
    model.dispose();
  }
}
// #endregion evaluateRegistration
