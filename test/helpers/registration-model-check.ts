/**
 * Test helper: the predictions a shipped registration model is checked on (test/registration/
 * shipped-model.test.ts) and that `npx tsx scripts/write-model-check.ts` commits as
 * `<model>/check-tiny.csv`: the tiny preset's 6 test pairs under three perturbation seeds (the
 * first 16 of those 18 pairs). Per pair: the classifier's mean logit and share of logits > 0,
 * the GPDM head's pose error, the frustum pose (the bearing network's: its centre and heading)
 * and its error, the final pose's error.
 */
import { tf } from '../../src/core/tf.js';
import { poseError } from '../../src/metrics/pose.js';
import { registrationPairConfig } from '../../src/registration/config.js';
import { loadRegistrationRun } from '../../src/registration/evaluate.js';
import { poseCentre, poseHeading } from '../../src/registration/bearing-polar.js';
import { createPairSourceCache, disposeBatch, stackPairs } from '../../src/registration/pair-batches.js';

/** One checked pair. */
export interface ModelCheckRow {
  pair: number; seed: number; meanLogit: number; positivePct: number; headRteM: number; headRreDeg: number;
  frustumX: number; frustumZ: number; frustumHeadingDeg: number; frustumRteM: number; frustumRreDeg: number; finalRteM: number; finalRreDeg: number;
}

/** The pair seeds: the pair preset's test seed and the next two. */
export const CHECK_SEEDS = [2025, 2026, 2027];

// #region modelCheckRows
/**
 * @param modelDir a model (or run) folder; root the tiny dataset
 * @returns 16 rows, pairs in order (seed-major)
 */
export async function modelCheckRows(modelDir: string, root: string, count = 16): Promise<ModelCheckRow[]> {
  const model = await loadRegistrationRun(modelDir);
  const rows: ModelCheckRow[] = [];
  try {
    const pc = registrationPairConfig(model.config);
    for (const seed of CHECK_SEEDS) {
      const data = createPairSourceCache(root, { ...pc, seed }, 'test');
      for (let i = 0; i < data.dataset.length && rows.length < count; i++) {
        const p = data.pair(i), batch = stackPairs([p]);
        const out = model.forward(batch, false, 'joint');
        const lg = out.inFrustumLogits.dataSync() as Float32Array, head = out.headPose.dataSync(), fr = out.frustumPose.dataSync(), fin = out.camFromPoints.dataSync();
        const eh = poseError(head, p.camFromPoints), ef = poseError(fr, p.camFromPoints), eF = poseError(fin, p.camFromPoints), c = poseCentre(fr);
        rows.push({ pair: i, seed, meanLogit: lg.reduce((s, x) => s + x, 0) / lg.length, positivePct: (100 * lg.filter((x) => x > 0).length) / lg.length,
          headRteM: eh.rteM, headRreDeg: eh.rreDeg, frustumX: c.x, frustumZ: c.z, frustumHeadingDeg: (poseHeading(fr) * 180) / Math.PI,
          frustumRteM: ef.rteM, frustumRreDeg: ef.rreDeg, finalRteM: eF.rteM, finalRreDeg: eF.rreDeg });
        tf.dispose(out as never);
        disposeBatch(batch);
      }
    }
  } finally {
    model.dispose();
  }
  return rows;
}
// #endregion modelCheckRows
