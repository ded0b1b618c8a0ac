/**
 * Test helper: the predictions a shipped explicit-matching baseline is checked on (test/registration/
 * shipped-model.test.ts) and that `npx tsx scripts/write-model-check.ts` commits as `<model>/check-tiny.csv`:
 * the same 16 tiny test pairs as a registration model's (registration-model-check.ts). Per pair, the network's
 * continuous outputs (the classifier's mean logit and share of logits > 0, the mean best cosine of the kept
 * points' descriptors over the cells), what matching does with them (points kept, kept and truly in view, matches
 * within one cell of the truth, a checksum of the chosen cells) and what EPnP-RANSAC makes of the matches
 * (pose found, inliers, RTE, RRE). The solver's part is compared only where the cells agree exactly: an argmax
 * over 1280 cells may flip on a float tie between CPUs, and RANSAC then draws other samples.
 */
import { tf, type Tensor, type Tensor2D } from '../../src/core/tf.js';
import { poseError } from '../../src/metrics/pose.js';
import { registrationPairConfig } from '../../src/registration/config.js';
import { createPairSourceCache } from '../../src/registration/pair-batches.js';
import { loadExplicitBaselineRun } from '../../src/registration/baseline/evaluate.js';
import { matchDiagnostics, predictExplicit } from '../../src/registration/baseline/matching.js';
import { CHECK_SEEDS } from './registration-model-check.js';

/** One checked pair. */
export interface BaselineCheckRow {
  pair: number; seed: number; meanLogit: number; positivePct: number; meanBestCosine: number;
  kept: number; keptInView: number; correct: number; cellsChecksum: number; pnpOk: number; inliers: number; rteM: number; rreDeg: number;
}

/** An order-dependent checksum of the matched cells (mod 2^31 - 1): equal checksums = the same matches. */
export function cellsChecksum(cells: Int32Array): number {
  let h = 0;
  for (let i = 0; i < cells.length; i++) h = (h * 31 + cells[i] + 1) % 2147483647;
  return h;
}

// #region baselineCheckRows
/**
 * @param modelDir a baseline model (or run) folder; root the tiny dataset
 * @returns 16 rows, pairs in order (seed-major)
 */
export async function baselineCheckRows(modelDir: string, root: string, count = 16): Promise<BaselineCheckRow[]> {
  const model = await loadExplicitBaselineRun(modelDir);
  const rows: BaselineCheckRow[] = [];
  try {
    const pc = registrationPairConfig(model.config.registration);
    for (const seed of CHECK_SEEDS) {
      const data = createPairSourceCache(root, { ...pc, seed }, 'test');
      for (let i = 0; i < data.dataset.length && rows.length < count; i++) {
        const pair = data.pair(i), N = pair.points.length / 3;
        const out = tf.tidy(() => model.forward(tf.tensor4d(pair.image, [1, pair.height, pair.width, 3]), tf.tensor3d(pair.points, [1, N, 3]), false) as unknown as Record<string, Tensor>);
        const lg = (out.inFrustumLogits as Tensor).dataSync() as Float32Array;
        const keep = Int32Array.from(lg.keys()).filter((k) => lg[k] > 0);
        const [, h, w, D] = (out.pixelDescriptors as Tensor).shape;
        // mean over the kept points of the best cosine with any cell (the descriptors are unit-norm)
        const best = keep.length === 0 ? NaN : tf.tidy(() => {
          const q = tf.gather(tf.reshape(out.pointDescriptors as Tensor, [N, D]), tf.tensor1d(keep, 'int32')) as Tensor2D;
          return tf.mean(tf.max(tf.matMul(q, tf.reshape(out.pixelDescriptors as Tensor, [h * w, D]) as Tensor2D, false, true), 1)).dataSync()[0];
        });
        tf.dispose(Object.values(out));
        const p = await predictExplicit(model, pair, { inFrustumThreshold: 0.5 }), d = matchDiagnostics(p, pair), e = poseError(p.camFromPoints, pair.camFromPoints);
        rows.push({ pair: i, seed, meanLogit: lg.reduce((s, x) => s + x, 0) / lg.length, positivePct: (100 * keep.length) / lg.length, meanBestCosine: best,
          kept: d.kept, keptInView: d.keptInView, correct: d.correct, cellsChecksum: cellsChecksum(p.cells), pnpOk: p.ok ? 1 : 0, inliers: p.inliers, rteM: e.rteM, rreDeg: e.rreDeg });
      }
    }
  } finally {
    model.dispose();
  }
  return rows;
}
// #endregion baselineCheckRows
