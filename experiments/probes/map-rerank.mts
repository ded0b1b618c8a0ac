// Probe for issue 13 (stop 22): does the spatially aligned encoder map (the map ModaLink's mid-level loss trains: per-cell L2-normalised,
// compared by mean absolute difference) pick the map scan nearest the query better than the NetVLAD descriptor? Drive 02 against 00 of
// data/synthetic-default, queries within 10 m of the map. Candidates: the descriptor's top k and the +-w drive neighbours of the top 1.
// Prints the share of queries whose pick is within 2 m: retrieval top-1, the map's pick (L1 and cosine), a blend of both ranks.
// Usage: npx tsx experiments/probes/map-rerank.mts [w, default 4] [k, default 5]
import { tf } from '../../src/core/tf.js';
import { loadModaLinkRun, describeView } from '../../src/modalink/evaluate.js';
import { createSequenceView, type SequenceView } from '../../src/modalink/data.js';
import { syntheticAlignment } from '../../src/modalink/splits.js';
import { cameraTwoPoses } from '../../src/localization/map.js';
const root = 'data/synthetic-default';
const w = Number(process.argv[2] ?? 4), K = Number(process.argv[3] ?? 5);
const { model } = await loadModaLinkRun('models/modalink-laptop');
const align = syntheticAlignment(root)!;
const D = model.descriptorSize;
const qv = createSequenceView(root, 2, model.config, { cacheDir: '.cache/modalink', worldFromPoses: align.get(2) });
const db = createSequenceView(root, 0, model.config, { cacheDir: '.cache/modalink', worldFromPoses: align.get(0) });
const qd = describeView(model, qv, 'image'), dd = describeView(model, db, 'depth');
let M = 0;
const maps = (v: SequenceView, kind: 'image' | 'depth'): Float32Array => {
  const N = v.frames.length; let out: Float32Array | null = null;
  for (let s = 0; s < N; s += 16) {
    const idx = Array.from({ length: Math.min(16, N - s) }, (_, k) => s + k);
    const x = kind === 'image' ? v.images(idx) : v.depths(idx);
    const o = model.forward(x, kind, false);
    M = o.map.shape[1] * o.map.shape[2] * o.map.shape[3];
    out ??= new Float32Array(N * M);
    out.set(o.map.dataSync(), s * M);
    tf.dispose([x, o.descriptor, o.map]);
  }
  return out!;
};
const qm = maps(qv, 'image'), dm = maps(db, 'depth');
console.error('map size', M);
const PW = cameraTwoPoses(root, 0, db.frames, align.get(0)), QW = cameraTwoPoses(root, 2, qv.frames, align.get(2));
const N = db.frames.length;
const l1 = (f: number, i: number) => { let s = 0; for (let k = 0; k < M; k++) s += Math.abs(qm[f * M + k] - dm[i * M + k]); return s / M; };
const dot = (f: number, i: number) => { let s = 0; for (let k = 0; k < M; k++) s += qm[f * M + k] * dm[i * M + k]; return -s; };
const desc = (f: number, i: number) => { let s = 0; for (let k = 0; k < D; k++) { const x = qd[f * D + k] - dd[i * D + k]; s += x * x; } return s; };
const TAUS = { desc: [0.01, 0.03, 0.1, 0.3], mapL1: [0.001, 0.003, 0.01, 0.03] };
const res: Record<string, number> = { top1: 0, mapL1: 0, mapDot: 0, blend: 0, nearest: 0 }; let n = 0;
for (let f = 0; f < qv.frames.length; f++) {
  const qx = QW[f][3], qz = QW[f][11];
  const err = (i: number) => Math.hypot(PW[i][3] - qx, PW[i][11] - qz);
  let near = Infinity; for (let i = 0; i < N; i++) near = Math.min(near, err(i));
  if (near > 10) continue;
  n++;
  const order = Array.from({ length: N }, (_, i) => i).map((i) => [desc(f, i), i]).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
  const cand = new Set<number>(order.slice(0, K));
  for (let i = Math.max(0, order[0] - w); i <= Math.min(N - 1, order[0] + w); i++) cand.add(i);
  const cs = [...cand];
  const pick = (score: (i: number) => number) => cs.reduce((b, i) => (score(i) < score(b) ? i : b), cs[0]);
  const rank = (score: (i: number) => number) => { const s = [...cs].sort((a, b) => score(a) - score(b)); return new Map(s.map((i, r) => [i, r])); };
  const rl = rank((i) => l1(f, i)), rd = rank((i) => desc(f, i));
  res.nearest += near < 2 ? 1 : 0;
  res.top1 += err(order[0]) < 2 ? 1 : 0;
  res.mapL1 += err(pick((i) => l1(f, i))) < 2 ? 1 : 0;
  res.mapDot += err(pick((i) => dot(f, i))) < 2 ? 1 : 0;
  res.blend += err(pick((i) => rl.get(i)! + rd.get(i)!)) < 2 ? 1 : 0;
  // similarity-weighted centroid of the top-1's drive neighbours (softmax of -score / tau)
  const nb: number[] = []; for (let i = Math.max(0, order[0] - w); i <= Math.min(N - 1, order[0] + w); i++) nb.push(i);
  for (const [name, score] of [['desc', (i: number) => desc(f, i)], ['mapL1', (i: number) => l1(f, i)]] as const) for (const tau of TAUS[name]) {
    const s = nb.map(score), m = Math.min(...s), wts = s.map((x) => Math.exp(-(x - m) / tau)), z = wts.reduce((a, b) => a + b, 0);
    let x = 0, y = 0; nb.forEach((i, j) => { x += wts[j] * PW[i][3] / z; y += wts[j] * PW[i][11] / z; });
    const key = `centroid ${name} tau ${tau}`; res[key] = (res[key] ?? 0) + (Math.hypot(x - qx, y - qz) < 2 ? 1 : 0);
  }
}
console.log(`w ${w}, k ${K}, queries ${n}:`, Object.fromEntries(Object.entries(res).map(([k, v]) => [k, (100 * v / n).toFixed(1)])));
