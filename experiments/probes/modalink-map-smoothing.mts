// Probe for issues 12 and 13: does smoothing ModaLink's distances over the map's own neighbours help retrieval?
// A map knows where its scans were taken, so a scan's score can be the mean descriptor distance of the photo to every
// map scan within r metres of it (the scan itself included; the query's own scan, where the protocol leaves it out,
// left out of every neighbourhood too, so nothing of it leaks back). r = 0 is the plain ModaLink ranking. An isolated
// look-alike far away is averaged with its neighbours, which look less alike; the true place's neighbours all look
// alike. The same idea as database-side augmentation in image retrieval, on distances instead of descriptors.
// Prints Recall@1 / @1% per task and radius; pick the radius on the validation town (seed 20), read the test town.
// Usage: npx tsx experiments/probes/modalink-map-smoothing.mts [run, default models/modalink-laptop] [radii, default 0,1,2,3,4,6,8]
import fs from 'node:fs';
import { loadModaLinkRun, describeView } from '../../src/modalink/evaluate.js';
import { groundDistanceMatrix } from '../../src/modalink/ground-distance.js';
import { rankByDistance, computeRecall } from '../../src/metrics/recall.js';
import { tf } from '../../src/core/tf.js';
import { openDrive, recallGroup } from './lib/drive.mjs';
import { printRecallTable } from './lib/recall-table.mjs';

const run = process.argv[2] ?? 'models/modalink-laptop';
const radii = (process.argv[3] ?? '0,1,2,3,4,6,8').split(',').map(Number);
const { model } = await loadModaLinkRun(run);
const D = model.descriptorSize;

interface Drive { q: Float32Array; d: Float32Array; xz: Float64Array }
const cache = new Map<string, Drive>();
function drive(root: string, s: number): Drive {
  const key = `${root}/${s}`;
  let v = cache.get(key);
  if (!v) {
    const { view, xz } = openDrive(model.config, root, s);
    v = { q: describeView(model, view, 'image', 64), d: describeView(model, view, 'depth', 64), xz };
    cache.set(key, v);
  }
  return v;
}

/** Squared descriptor distances [Q * N]. */
function distances(q: Float32Array, d: Float32Array): Float32Array {
  return tf.tidy(() => {
    const a = tf.tensor2d(q, [q.length / D, D]), b = tf.tensor2d(d, [d.length / D, D]);
    const ab = tf.matMul(a, b, false, true);
    return tf.add(tf.sub(tf.sum(tf.square(a), 1, true), tf.mul(2, ab)), tf.sum(tf.square(b), 1).reshape([1, -1])).dataSync() as Float32Array;
  });
}

/** Each database scan's score = mean distance over the map scans within r of it, `exclude[q]` left out. */
function smooth(dist: Float32Array, Q: number, xz: Float64Array, r: number, exclude?: Int32Array): Float32Array {
  const N = xz.length / 2;
  if (r <= 0) return dist;
  const nbrs: number[][] = [];
  for (let i = 0; i < N; i++) {
    const n: number[] = [];
    for (let j = 0; j < N; j++) if (Math.hypot(xz[2 * i] - xz[2 * j], xz[2 * i + 1] - xz[2 * j + 1]) <= r) n.push(j);
    nbrs.push(n);
  }
  const out = new Float32Array(Q * N);
  for (let q = 0; q < Q; q++) {
    const ex = exclude ? exclude[q] : -1;
    for (let i = 0; i < N; i++) {
      let s = 0, c = 0;
      for (const j of nbrs[i]) if (j !== ex) { s += dist[q * N + j]; c++; }
      out[q * N + i] = c > 0 ? s / c : Infinity;
    }
  }
  return out;
}

function recall(qd: Drive, db: Drive, r: number, excludeOwn: boolean): { r1: number; r1p: number; n: number } {
  const Q = qd.q.length / D, N = db.d.length / D;
  const exclude = excludeOwn ? Int32Array.from({ length: Q }, (_, i) => i) : undefined;
  const s = smooth(distances(qd.q, db.d), Q, db.xz, r, exclude);
  const nDb = N - (exclude ? 1 : 0), k = Math.min(nDb, 25);
  const rank = rankByDistance(s, Q, N, k, exclude);
  const res = computeRecall(rank, k, groundDistanceMatrix(qd.xz, db.xz), Q, N, { thresholdM: 10, maxN: k }, exclude);
  return { r1: res.recallAt1, r1p: res.recallAt1Percent, n: res.numQueries };
}

const seqs = (root: string) => fs.readdirSync(`${root}/sequences`).filter((s) => /^\d\d$/.test(s)).map(Number);
const tasks: { name: string; q: () => Drive; db: () => Drive; own: boolean }[] = [];
for (const s of seqs('data/towns-seed20')) tasks.push({ name: `validation town ${String(s).padStart(2, '0')} within`, q: () => drive('data/towns-seed20', s), db: () => drive('data/towns-seed20', s), own: true });
for (const s of seqs('data/synthetic-default')) tasks.push({ name: `test town ${String(s).padStart(2, '0')} within`, q: () => drive('data/synthetic-default', s), db: () => drive('data/synthetic-default', s), own: true });
tasks.push({ name: 'test town 02 against 00', q: () => drive('data/synthetic-default', 2), db: () => drive('data/synthetic-default', 0), own: false });

console.log(`run ${run}; Recall@1 / Recall@1% (percent); r = 0 is ModaLink's own ranking`);
printRecallTable(tasks.map((t) => ({ ...t, group: recallGroup(t.name, t.own) })), radii.map((r) => `r = ${r} m`),
  (t, i) => recall(t.q(), t.db(), radii[i], t.own));
