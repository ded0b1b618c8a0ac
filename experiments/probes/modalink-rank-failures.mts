// Probe for issue 12: the queries that miss Recall@1% (protocol `towns`: each drive against its own depth images, own
// scan left out, a positive is a scan within 10 m on the ground plane). For every query: the rank of its best positive
// in descriptor distance; a Recall@1% miss is a rank beyond ceil(1 % of the database). Prints, per drive, how many miss,
// how they group into runs of consecutive frames (where on the drive), and whether those frames' depth images differ
// from the hits' (share of non-empty pixels after depth completion, median depth): is the shortfall a few places or
// spread out? Then, per run: where it lies (mean x, z in drive 00's frame), and where its queries' top-1s lie.
// Usage: npx tsx experiments/probes/modalink-rank-failures.mts [run, default models/modalink-laptop] [data, default data/synthetic-default]
import { loadModaLinkRun, describeView } from '../../src/modalink/evaluate.js';
import { createSequenceView } from '../../src/modalink/data.js';
import { syntheticAlignment } from '../../src/modalink/splits.js';
import fs from 'node:fs';
const run = process.argv[2] ?? 'models/modalink-laptop', root = process.argv[3] ?? 'data/synthetic-default';
const { model } = await loadModaLinkRun(run);
const align = syntheticAlignment(root);
const D = model.descriptorSize;
const seqs = fs.readdirSync(`${root}/sequences`).filter((s) => /^\d\d$/.test(s)).map(Number);
const med = (a: number[]) => { const b = [...a].sort((x, y) => x - y); return b.length ? b[b.length >> 1] : NaN; };
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
console.log(`run ${run}, data ${root}`);
console.log('| drive | queries | R@1 misses | R@1% misses (rank > k) | runs of consecutive R@1% misses: frames (length) | depth fill, hits / R@1% misses | median depth (of max), hits / misses | misses\' median rank |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
const runsWhere: string[] = [], baselines: string[] = [];
for (const s of seqs) {
  const v = createSequenceView(root, s, model.config, { cacheDir: '.cache/modalink', worldFromPoses: align?.get(s) });
  const qd = describeView(model, v, 'image'), dd = describeView(model, v, 'depth');
  const N = v.frames.length, k = Math.ceil(N / 100), X = v.positionsXZ;
  const dist = (i: number, f: number) => Math.hypot(X[2 * i] - X[2 * f], X[2 * i + 1] - X[2 * f + 1]);
  const fill: number[] = [], depthMed: number[] = [];
  for (let i = 0; i < N; i++) {
    const d = v.depth(i), nz: number[] = [];
    for (let p = 0; p < d.length; p++) if (d[p] > 0) nz.push(d[p]);
    fill.push(nz.length / d.length); depthMed.push(med(nz));
  }
  const miss: number[] = [], ranks: number[] = [], top1 = new Int32Array(N);
  let q = 0, miss1 = 0;
  for (let f = 0; f < N; f++) {
    const e = new Float64Array(N);
    for (let i = 0; i < N; i++) { let a = 0; for (let c = 0; c < D; c++) { const x = qd[f * D + c] - dd[i * D + c]; a += x * x; } e[i] = a; }
    let bestPos = Infinity, t = -1;
    for (let i = 0; i < N; i++) if (i !== f && (t < 0 || e[i] < e[t])) t = i;
    top1[f] = t;
    for (let i = 0; i < N; i++) if (i !== f && dist(i, f) <= 10) bestPos = Math.min(bestPos, e[i]);
    if (!Number.isFinite(bestPos)) continue;
    q++;
    let rank = 1;
    for (let i = 0; i < N; i++) if (i !== f && e[i] < bestPos) rank++;
    if (rank > 1) miss1++;
    if (rank > k) { miss.push(f); ranks.push(rank); }
  }
  // how alike two places are to the sensor itself, no network involved: mean |difference| of their depth images
  const l1 = (a: number, b: number) => { const x = v.depth(a), y = v.depth(b); let d = 0; for (let p = 0; p < x.length; p++) d += Math.abs(x[p] - y[p]); return d / x.length; };
  const nearest = (f: number) => { let b = -1; for (let i = 0; i < N; i++) if (i !== f && (b < 0 || dist(i, f) < dist(b, f))) b = i; return b; };
  const far = (f: number) => { for (let o = Math.floor(N / 2); o < N; o++) { const i = (f + o) % N; if (dist(i, f) > 50) return i; } return -1; };
  const all = [...Array(N).keys()], farIdx = all.filter((f) => far(f) >= 0);
  baselines.push(`drive ${String(s).padStart(2, '0')}: depth-image mean |difference| to the nearest scan ${med(all.map((f) => l1(f, nearest(f)))).toFixed(3)}, to a scan over 50 m away ${med(farIdx.map((f) => l1(f, far(f)))).toFixed(3)} (medians over the drive)`);
  const runs: string[] = [], where: string[] = [];
  for (let j = 0; j < miss.length;) {
    let e = j; while (e + 1 < miss.length && miss[e + 1] - miss[e] <= 2) e++;
    runs.push(`${v.frames[miss[j]]}-${v.frames[miss[e]]} (${e - j + 1})`);
    const m = miss.slice(j, e + 1), at = (idx: number[]) => `(${mean(idx.map((i) => X[2 * i])).toFixed(0)}, ${mean(idx.map((i) => X[2 * i + 1])).toFixed(0)})`;
    const tops = m.map((f) => top1[f]);
    const dPos = med(m.map((f) => l1(f, nearest(f)))), dTop = med(m.map((f, n) => l1(f, tops[n])));
    if (m.length >= 3) where.push(`drive ${String(s).padStart(2, '0')} frames ${runs[runs.length - 1]}: at ${at(m)} m; top-1s at ${at(tops)} m (frames ${Math.min(...tops.map((i) => v.frames[i]))}-${Math.max(...tops.map((i) => v.frames[i]))}), ${mean(m.map((f, n) => dist(tops[n], f))).toFixed(0)} m away on average; depth-image mean |difference| to the nearest scan ${dPos.toFixed(3)}, to the top-1 ${dTop.toFixed(3)}`);
    j = e + 1;
  }
  const hitIdx = [...Array(N).keys()].filter((i) => !miss.includes(i));
  runsWhere.push(...where);
  console.log(`| ${String(s).padStart(2, '0')} | ${q} | ${miss1} | ${miss.length} (k = ${k}) | ${runs.join(', ') || '-'} | ${mean(hitIdx.map((i) => fill[i])).toFixed(3)} / ${mean(miss.map((i) => fill[i])).toFixed(3)} | ${med(hitIdx.map((i) => depthMed[i])).toFixed(3)} / ${med(miss.map((i) => depthMed[i])).toFixed(3)} | ${med(ranks)} |`);
}
console.log('\nRuns of three or more consecutive misses (depth-image differences: medians over the run):');
for (const w of runsWhere) console.log(`- ${w}`);
console.log('\nFor scale:');
for (const b of baselines) console.log(`- ${b}`);
