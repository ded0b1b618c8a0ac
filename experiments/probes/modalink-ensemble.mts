// Probe for issue 12: is the Recall@1% shortfall one model's, or every model's? Several trained ModaLink runs (e.g. the
// three seeds of the ablation row unrolled-5) ranked by the mean of their cosines (each model's descriptor is
// L2-normalised; the mean cosine is the cosine of their concatenation), against each model alone. Protocol towns: each
// drive against its own depth images, the own scan left out, a hit within 10 m; and drive 02 against 00; on the
// validation town (seed 20), the test town (data/synthetic-default) and the second unseen town (data/localization-seed31).
// Then, for issue 13, the two cross-drive tasks as the localization chain sees them: the top-1 within 2 m / 5 m.
// Usage: npx tsx experiments/probes/modalink-ensemble.mts RUN RUN [RUN ...]
import fs from 'node:fs';
import { loadModaLinkRun, describeView } from '../../src/modalink/evaluate.js';
import { groundDistanceMatrix } from '../../src/modalink/ground-distance.js';
import { rankByDistance, computeRecall } from '../../src/metrics/recall.js';
import { tf } from '../../src/core/tf.js';
import { DEFAULT_LOCALIZATION_CONFIG as chain } from '../../src/localization/config.js';
import { nearestScan } from '../../src/localization/evaluate.js';
import { scanDistanceM } from '../../src/localization/map.js';
import { openDrive, recallGroup } from './lib/drive.mjs';
import { printRecallTable } from './lib/recall-table.mjs';

const runs = process.argv.slice(2);
if (runs.length < 2) throw new Error('usage: modalink-ensemble.mts RUN RUN [RUN ...] (at least two trained ModaLink runs)');
const models = await Promise.all(runs.map(async (r) => (await loadModaLinkRun(r)).model));

/** Per model, the query-database cosines [Q * N] of drive qs (images) against drive ds (depth images) of a town. */
const memo = new Map<string, { q: Float32Array; d: Float32Array; xz: Float64Array }>();
function described(m: number, root: string, s: number) {
  const key = `${m}/${root}/${s}`;
  let v = memo.get(key);
  if (!v) {
    const model = models[m], { view, xz } = openDrive(model.config, root, s);
    v = { q: describeView(model, view, 'image', 32), d: describeView(model, view, 'depth', 32), xz };
    memo.set(key, v);
  }
  return v;
}
function cosines(m: number, root: string, qs: number, ds: number): Float32Array {
  const a = described(m, root, qs), b = described(m, root, ds), D = models[m].descriptorSize;
  return tf.tidy(() => {
    const x = tf.tensor2d(a.q, [a.q.length / D, D]), y = tf.tensor2d(b.d, [b.d.length / D, D]);
    return tf.matMul(tf.div(x, tf.norm(x, 2, 1, true)), tf.div(y, tf.norm(y, 2, 1, true)), false, true).dataSync() as Float32Array;
  });
}
/** The members' mean cosine, negated (a distance), [Q * N], with both drives' ground positions. */
function ensembleDistances(root: string, qs: number, ds: number, members: number[]) {
  const qxz = described(0, root, qs).xz, dxz = described(0, root, ds).xz;
  const Q = qxz.length / 2, N = dxz.length / 2, dist = new Float32Array(Q * N);
  for (const m of members) { const c = cosines(m, root, qs, ds); for (let i = 0; i < c.length; i++) dist[i] -= c[i] / members.length; }
  return { dist, qxz, dxz, Q, N };
}
function recall(root: string, qs: number, ds: number, members: number[]) {
  const own = qs === ds, { dist, qxz, dxz, Q, N } = ensembleDistances(root, qs, ds, members);
  const exclude = own ? Int32Array.from({ length: Q }, (_, i) => i) : undefined;
  const k = Math.min(N - (own ? 1 : 0), 25);
  const res = computeRecall(rankByDistance(dist, Q, N, k, exclude), k, groundDistanceMatrix(qxz, dxz), Q, N, { thresholdM: 10, maxN: k }, exclude);
  return { r1: res.recallAt1, r1p: res.recallAt1Percent, n: res.numQueries };
}
/**
 * What the localization chain's position can reach (issue 13: its default keeps the top-1 scan, whose camera centre
 * is the estimate's): among the queries within coverageM of a database scan, the share whose top-1 lies within
 * successM and within looseM of the photo (ground distance; the chain's defaults, 10, 2 and 5 m). Reported in the
 * recall table's two slots.
 */
function topOneWithin(root: string, qs: number, ds: number, members: number[]) {
  const { dist, qxz, Q, N, dxz } = ensembleDistances(root, qs, ds, members);
  const top = rankByDistance(dist, Q, N, 1), map = { centresXZ: dxz };
  let n = 0, hit = 0, loose = 0;
  for (let q = 0; q < Q; q++) {
    const x = qxz[2 * q], z = qxz[2 * q + 1];
    if (nearestScan(map, x, z).distanceM > chain.coverageM) continue;
    n++;
    const g = scanDistanceM(map, top[q], x, z);
    if (g < chain.successM) hit++;
    if (g < chain.looseM) loose++;
  }
  return { r1: hit / n, r1p: loose / n, n };
}

const seqs = (root: string) => fs.readdirSync(`${root}/sequences`).filter((s) => /^\d\d$/.test(s)).map(Number);
const tasks: { name: string; root: string; qs: number; ds: number }[] = [
  ...seqs('data/towns-seed20').map((s) => ({ name: `validation town ${String(s).padStart(2, '0')} within`, root: 'data/towns-seed20', qs: s, ds: s })),
  ...seqs('data/synthetic-default').map((s) => ({ name: `test town ${String(s).padStart(2, '0')} within`, root: 'data/synthetic-default', qs: s, ds: s })),
  { name: 'test town 02 against 00', root: 'data/synthetic-default', qs: 2, ds: 0 },
  ...seqs('data/localization-seed31').map((s) => ({ name: `second town ${String(s).padStart(2, '0')} within`, root: 'data/localization-seed31', qs: s, ds: s })),
  { name: 'second town 02 against 00', root: 'data/localization-seed31', qs: 2, ds: 0 },
];
const columns = [...runs.map((r, i) => ({ label: r, members: [i] })), { label: `mean cosine of all ${runs.length}`, members: runs.map((_, i) => i) }];
console.log('Recall@1 / Recall@1% (percent); protocol towns (own scan left out within a drive), a hit within 10 m');
printRecallTable(tasks.map((t) => ({ ...t, group: recallGroup(t.name, t.qs === t.ds) })), columns.map((c) => c.label),
  (t, i) => recall(t.root, t.qs, t.ds, columns[i].members));
console.log(`\nThe localization chain's bound (issue 13): top-1 within ${chain.successM} m / within ${chain.looseM} m of the photo (percent), queries within ${chain.coverageM} m of a database scan`);
printRecallTable(tasks.filter((t) => t.qs !== t.ds).map((t) => ({ ...t, group: recallGroup(t.name, false) })), columns.map((c) => c.label),
  (t, i) => topOneWithin(t.root, t.qs, t.ds, columns[i].members));
