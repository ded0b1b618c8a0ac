// Probe for issue 11 (stop 23): why does the explicit baseline's EPnP-RANSAC find no pose? On the first n seeded test pairs of
// drive 03, for a baseline run: the in-frustum classifier's precision / recall at the threshold, the share of its nearest-cell
// matches that land within 1 cell of the ground-truth projection (the inlier ratio RANSAC sees), and EPnP-RANSAC's pose under
// several match selections: all kept points (the configured baseline), mutual nearest neighbours, the top M by cosine, the kept
// points that are truly in view (the descriptors alone, as if the classifier were perfect), and the
// ground-truth cells of the truly in-view points (an oracle that checks PnP and the grid quantisation alone).
// Usage: npx tsx experiments/probes/baseline-matches.mts [run, default .cache/runs/reg-baseline] [pairs, default 30]
import { tf, type Tensor2D } from '../../src/core/tf.js';
import { registrationPairConfig } from '../../src/registration/config.js';
import { createPairSourceCache } from '../../src/registration/pair-batches.js';
import { loadExplicitBaselineRun } from '../../src/registration/baseline/evaluate.js';
import { groundTruthCells } from '../../src/registration/baseline/targets.js';
import { solvePnpRansac } from '../../src/registration/pnp-ransac.js';
import { poseError } from '../../src/metrics/pose.js';

const run = process.argv[2] ?? '.cache/runs/reg-baseline', n = Number(process.argv[3] ?? 30);
const model = await loadExplicitBaselineRun(run), c = model.config, s = model.gridStride;
const data = createPairSourceCache('data/synthetic-default', registrationPairConfig(c.registration), 'test');
const thr = Math.log(c.inFrustumThreshold / (1 - c.inFrustumThreshold));
type Sel = { name: string; matches: number; correct: number; ok: number; success: number; rte: number[] };
const sels = new Map<string, Sel>();
const add = (name: string, m: number, correct: number, ok: boolean, success: boolean, rte: number) => {
  const r = sels.get(name) ?? { name, matches: 0, correct: 0, ok: 0, success: 0, rte: [] };
  r.matches += m; r.correct += correct; r.ok += ok ? 1 : 0; r.success += success ? 1 : 0; r.rte.push(rte); sels.set(name, r);
};
let kept = 0, keptIn = 0, inView = 0, topIn = 0;
for (let p = 0; p < n; p++) {
  const pair = data.pair(p), N = pair.points.length / 3;
  const out = tf.tidy(() => model.forward(tf.tensor4d(pair.image, [1, pair.height, pair.width, 3]), tf.tensor3d(pair.points, [1, N, 3]), false));
  const [, h, w, D] = out.pixelDescriptors.shape;
  const logits = out.inFrustumLogits.dataSync(), gt = groundTruthCells(pair, w, h, s);
  const keep = Int32Array.from(logits.keys()).filter((i) => logits[i] > thr);
  const truth = gt.filter((g) => g >= 0).length, byProb = Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a]).slice(0, truth);
  topIn += byProb.filter((i) => gt[i] >= 0).length; // precision = recall at the true in-view count: the ranking's quality
  kept += keep.length; keptIn += keep.filter((i) => gt[i] >= 0).length; inView += gt.filter((g) => g >= 0).length;
  const sim = tf.tidy(() => tf.matMul(tf.gather(tf.reshape(out.pointDescriptors, [N, D]), tf.tensor1d(keep, 'int32')), tf.reshape(out.pixelDescriptors, [h * w, D]) as Tensor2D, false, true)); // [k, hw]
  const best = tf.tidy(() => tf.argMax(sim, 1)).dataSync() as Int32Array, score = tf.tidy(() => tf.max(sim, 1)).dataSync();
  const back = tf.tidy(() => tf.argMax(sim, 0)).dataSync() as Int32Array; // per cell: its nearest kept point
  tf.dispose([sim, out.pixelDescriptors, out.pointDescriptors, out.inFrustumLogits]);
  const near = (i: number, cell: number) => gt[i] >= 0 && Math.abs(Math.floor(cell / w) - Math.floor(gt[i] / w)) <= 1 && Math.abs((cell % w) - (gt[i] % w)) <= 1;
  const solve = async (name: string, idx: number[], cells: number[]) => {
    const pts = new Float32Array(3 * idx.length), px = new Float64Array(2 * idx.length);
    idx.forEach((i, k) => { pts.set(pair.points.subarray(3 * i, 3 * i + 3), 3 * k); px[2 * k] = s * (cells[k] % w) + (s - 1) / 2; px[2 * k + 1] = s * Math.floor(cells[k] / w) + (s - 1) / 2; });
    const correct = idx.filter((i, k) => near(i, cells[k])).length;
    const r = idx.length >= 4 ? await solvePnpRansac(pts, px, pair.K, { iterations: c.ransacIterations, reprojectionErrorPx: c.reprojectionErrorGridPx * s, minInliers: c.minInliers }) : { ok: false, camFromPoints: undefined };
    const e = r.ok && r.camFromPoints ? poseError(r.camFromPoints, pair.camFromPoints) : undefined;
    add(name, idx.length, correct, !!e, e?.success ?? false, e?.rteM ?? NaN);
  };
  const all = Array.from(keep.keys());
  await solve('all kept points (configured)', Array.from(keep), all.map((k) => best[k]));
  const mutual = all.filter((k) => back[best[k]] === k);
  await solve('mutual nearest neighbours', mutual.map((k) => keep[k]), mutual.map((k) => best[k]));
  for (const M of [200, 500]) {
    const top = all.slice().sort((a, b) => score[b] - score[a]).slice(0, M);
    await solve(`top ${M} by cosine`, top.map((k) => keep[k]), top.map((k) => best[k]));
  }
  const truly = all.filter((k) => gt[keep[k]] >= 0);
  await solve('kept points truly in view (a perfect classifier), nearest cells', truly.map((k) => keep[k]), truly.map((k) => best[k]));
  const oracle = Array.from(gt.keys()).filter((i) => gt[i] >= 0);
  await solve('oracle: ground-truth cells of in-view points', oracle, oracle.map((i) => gt[i]));
}
console.log(`${run}, ${n} test pairs: classifier keeps ${(kept / n).toFixed(0)} points per pair, precision ${(keptIn / kept).toFixed(3)}, recall ${(keptIn / inView).toFixed(3)} (${(inView / n).toFixed(0)} in view); precision of its top ${(inView / n).toFixed(0)} by probability ${(topIn / inView).toFixed(3)}`);
console.log('| matches | per pair | within 1 cell of the truth | PnP pose found | Acc | RTE median where found (m) |\n| --- | --- | --- | --- | --- | --- |');
for (const r of sels.values()) {
  const f = r.rte.filter(Number.isFinite).sort((a, b) => a - b);
  console.log(`| ${r.name} | ${(r.matches / n).toFixed(0)} | ${(r.correct / Math.max(1, r.matches)).toFixed(3)} | ${r.ok}/${n} | ${(100 * r.success / n).toFixed(0)} % | ${f.length ? f[f.length >> 1].toFixed(2) : '-'} |`);
}
model.dispose();
