// Probe for issue 12: three standard test-time levers of image retrieval on ModaLink's descriptors, no training.
// - flip: each image and each depth image also described mirrored left-right, the two descriptors summed
//   (test-time augmentation; a street mirrored is still a street, and ModaLink trains without mirroring);
// - AQE n (average query expansion): the query's descriptor plus its top-n database descriptors, searched again;
// - DBA n (database-side augmentation): each database descriptor plus its n nearest database descriptors, found in
//   descriptor space (not with the map's poses: modalink-map-smoothing.mts tried those). Where the protocol leaves the
//   query's own scan out, it is left out of every neighbourhood too (it would otherwise carry the query's place into
//   its neighbours): the augmented descriptors are rebuilt per query from dot products.
// Every sum is L2-normalised and the ranking is by cosine, which is ModaLink's own ranking for its constant-length
// descriptors (checked below: sqrt 2, the concatenation of two L2-normalised parts). Pick the lever and its n on the
// validation town (seed 20), read the test town.
// Usage: npx tsx experiments/probes/modalink-reranking.mts [run, default models/modalink-laptop] [ns, default 1,2,3]
import fs from 'node:fs';
import { loadModaLinkRun } from '../../src/modalink/evaluate.js';
import type { SequenceView } from '../../src/modalink/data.js';
import { groundDistanceMatrix } from '../../src/modalink/ground-distance.js';
import { rankByDistance, computeRecall } from '../../src/metrics/recall.js';
import { tf } from '../../src/core/tf.js';
import { openDrive, recallGroup } from './lib/drive.mjs';
import { printRecallTable, type RecallCell } from './lib/recall-table.mjs';

const run = process.argv[2] ?? 'models/modalink-laptop';
const ns = (process.argv[3] ?? '1,2,3').split(',').map(Number);
const { model } = await loadModaLinkRun(run);
const D = model.descriptorSize;

/** Descriptors of a view, optionally the sum with the mirrored input's, L2-normalised. */
function describe(view: SequenceView, kind: 'image' | 'depth', flip: boolean): Float32Array {
  const N = view.frames.length, out = new Float32Array(N * D), batch = 32;
  for (let s = 0; s < N; s += batch) {
    const idx = Array.from({ length: Math.min(batch, N - s) }, (_, k) => s + k);
    const d = tf.tidy(() => {
      const x = kind === 'image' ? view.images(idx) : view.depths(idx);
      const f = (t: tf.Tensor4D) => (kind === 'image' ? model.describe(t) : model.describeDepth(t));
      const a = f(x as tf.Tensor4D);
      const y = flip ? tf.add(a, f(tf.reverse(x, 2) as tf.Tensor4D)) : a;
      return tf.div(y, tf.norm(y, 2, 1, true));
    });
    out.set(d.dataSync() as Float32Array, s * D);
    d.dispose();
  }
  return out;
}

interface Drive { q: Float32Array; d: Float32Array; qf: Float32Array; df: Float32Array; xz: Float64Array; norms: [number, number] }
const cache = new Map<string, Drive>();
function drive(root: string, s: number): Drive {
  const key = `${root}/${s}`;
  let v = cache.get(key);
  if (!v) {
    const { view, xz } = openDrive(model.config, root, s);
    // ModaLink's own descriptors, to check their length is the same for every input (then cosine ranks as its L2 distance does)
    const raw = tf.tidy(() => model.describe(view.images([0, 1, 2, 3])).norm(2, 1).dataSync() as Float32Array);
    v = {
      q: describe(view, 'image', false), d: describe(view, 'depth', false), qf: describe(view, 'image', true), df: describe(view, 'depth', true),
      xz, norms: [Math.min(...raw), Math.max(...raw)],
    };
    cache.set(key, v);
  }
  return v;
}

/** a [A * D] times b [B * D] transposed: [A * B] dot products. */
function dots(a: Float32Array, b: Float32Array): Float32Array {
  return tf.tidy(() => tf.matMul(tf.tensor2d(a, [a.length / D, D]), tf.tensor2d(b, [b.length / D, D]), false, true).dataSync() as Float32Array);
}

/** Indices of the n largest entries of row (skipping `skip`), largest first. */
function topN(row: ArrayLike<number>, n: number, skip: Set<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < row.length; i++) {
    if (skip.has(i)) continue;
    let p = out.length;
    while (p > 0 && row[out[p - 1]] < row[i]) p--;
    if (p < n) { out.splice(p, 0, i); if (out.length > n) out.pop(); }
  }
  return out;
}

type Lever = { kind: 'plain' | 'flip' | 'aqe' | 'dba'; n: number };
/** Recall@1 and @1% of one task with one lever. */
function recall(qd: Drive, db: Drive, lever: Lever, excludeOwn: boolean): RecallCell {
  const flip = lever.kind === 'flip';
  const q = flip ? qd.qf : qd.q, d = flip ? db.df : db.d;
  const Q = q.length / D, N = d.length / D;
  const S = dots(q, d); // query-database cosines
  const score = new Float32Array(Q * N);
  if (lever.kind === 'aqe') {
    const G = dots(d, d);
    for (let i = 0; i < Q; i++) {
      const nb = topN(S.subarray(i * N, (i + 1) * N), lever.n, new Set(excludeOwn ? [i] : []));
      // (q + sum d_j) . d_k / |q + sum d_j|: the norm is the same for every k, so it does not change the ranking
      for (let k = 0; k < N; k++) { let s = S[i * N + k]; for (const j of nb) s += G[j * N + k]; score[i * N + k] = s; }
    }
  } else if (lever.kind === 'dba') {
    const G = dots(d, d);
    const nbAll = Array.from({ length: N }, (_, k) => topN(G.subarray(k * N, (k + 1) * N), lever.n + 1, new Set([k])));
    for (let i = 0; i < Q; i++) {
      const own = excludeOwn ? i : -1;
      for (let k = 0; k < N; k++) {
        const nb = nbAll[k].filter((j) => j !== own).slice(0, lever.n);
        const members = [k, ...nb];
        let dot = 0, sq = 0;
        for (const a of members) { dot += S[i * N + a]; for (const b of members) sq += G[a * N + b]; }
        score[i * N + k] = dot / Math.sqrt(sq);
      }
    }
  } else score.set(S);
  const dist = score.map((s) => -s);
  const exclude = excludeOwn ? Int32Array.from({ length: Q }, (_, i) => i) : undefined;
  const nDb = N - (exclude ? 1 : 0), k = Math.min(nDb, 25);
  const rank = rankByDistance(dist, Q, N, k, exclude);
  const res = computeRecall(rank, k, groundDistanceMatrix(qd.xz, db.xz), Q, N, { thresholdM: 10, maxN: k }, exclude);
  return { r1: res.recallAt1, r1p: res.recallAt1Percent, n: res.numQueries };
}

const levers: Lever[] = [{ kind: 'plain', n: 0 }, { kind: 'flip', n: 0 }, ...ns.map((n) => ({ kind: 'aqe' as const, n })), ...ns.map((n) => ({ kind: 'dba' as const, n }))];
const label = (l: Lever) => (l.kind === 'plain' ? 'ModaLink' : l.kind === 'flip' ? 'flip' : `${l.kind.toUpperCase()} ${l.n}`);
const seqs = (root: string) => fs.readdirSync(`${root}/sequences`).filter((s) => /^\d\d$/.test(s)).map(Number);
const tasks: { name: string; q: () => Drive; db: () => Drive; own: boolean }[] = [];
for (const s of seqs('data/towns-seed20')) tasks.push({ name: `validation town ${String(s).padStart(2, '0')} within`, q: () => drive('data/towns-seed20', s), db: () => drive('data/towns-seed20', s), own: true });
for (const s of seqs('data/synthetic-default')) tasks.push({ name: `test town ${String(s).padStart(2, '0')} within`, q: () => drive('data/synthetic-default', s), db: () => drive('data/synthetic-default', s), own: true });
tasks.push({ name: 'test town 02 against 00', q: () => drive('data/synthetic-default', 2), db: () => drive('data/synthetic-default', 0), own: false });

console.log(`run ${run}; Recall@1 / Recall@1% (percent); protocol towns (own scan left out within a drive), a hit within 10 m`);
printRecallTable(tasks.map((t) => ({ ...t, group: recallGroup(t.name, t.own) })), levers.map(label),
  (t, i) => recall(t.q(), t.db(), levers[i], t.own));
const norms = [...cache.values()].flatMap((v) => v.norms);
console.log(`\nModaLink's descriptor norms (4 photos per drive): ${Math.min(...norms).toFixed(4)} .. ${Math.max(...norms).toFixed(4)}`);
