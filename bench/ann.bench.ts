/**
 * Maps larger than exact search serves (issue 13, item 5): the approximate index (usearch HNSW,
 * src/localization/ann-index.ts) against exact search (the resident float32 database), measured
 * side by side in one run.
 *
 * A. Real descriptors: the shipped ModaLink model's depth descriptors of every frame this machine
 *    holds (the `default` town's drives 00, 01, 03 and every drive of the `towns-seedN` towns
 *    under data/: the largest database here), full length and PCA-reduced to 256; queries: the
 *    camera images of the default town's drive 02 (its own scans left out). Agreement of the top-1 and of the top-10 with exact search on the same vectors,
 *    Recall@1 of place recognition (the top-1 a scan of the default town within 10 m),
 *    build seconds, milliseconds per query (median of single queries), MiB.
 * B. Synthetic: a million seeded 256-d unit vectors (a mixture of 2000 clusters), 200 queries
 *    near database rows: agreement with exact search, build and query time.
 *
 * The index is built with one thread (the default): the same graph, so the same table, on every run.
 * Run: npm run bench:ann   (I2P_BENCH_ANN_N: rows of part B, default 1000000; I2P_BENCH_ANN_SKIP_REAL=1 skips A,
 *   I2P_BENCH_ANN_SKIP_SYNTHETIC=1 skips B: part A alone, the part that depends on the shipped model)
 */
import fs from 'node:fs';
import path from 'node:path';
import { tf } from '../src/core/tf.js';
import { createRng } from '../src/core/rng.js';
import { createResidentDatabase, type ResidentDatabase } from '../src/metrics/resident-database.js';
import { createPcaDatabase } from '../src/modalink/pca-database.js';
import { fitPcaBasis } from '../src/modalink/randomized-pca.js';
import { loadModaLinkRun, describeView } from '../src/modalink/evaluate.js';
import { createSequenceView } from '../src/modalink/data.js';
import { syntheticAlignment } from '../src/modalink/splits.js';
import { KittiOdometry } from '../src/data/kitti/odometry.js';
import { createApproximateIndex } from '../src/localization/ann-index.js';
import type { MapIndex } from '../src/localization/map.js';
import { median } from './timing.js';

const MiB = (b: number): string => (b / 2 ** 20).toFixed(0);
const repo = path.resolve(import.meta.dirname, '..');

/** Top-k of every query by `index`, and the median ms of one query. */
function searchAll(index: MapIndex, queries: Float32Array, D: number, k: number): { top: Int32Array[]; ms: number } {
  const Q = queries.length / D, top: Int32Array[] = [], times: number[] = [];
  for (let q = 0; q < Q; q++) {
    const t0 = performance.now();
    top.push(index.query(queries.subarray(q * D, (q + 1) * D), k).indices);
    times.push(performance.now() - t0);
  }
  return { top, ms: median(times) };
}

/** Share of queries whose top-1 equals the reference's, and the mean overlap of the top-k, percent. */
function agreement(got: Int32Array[], ref: Int32Array[]): { top1: number; topk: number } {
  let t1 = 0, tk = 0;
  got.forEach((g, i) => { t1 += g[0] === ref[i][0] ? 1 : 0; const r = new Set(ref[i]); tk += Array.from(g).filter((x) => r.has(x)).length / ref[i].length; });
  return { top1: (100 * t1) / got.length, topk: (100 * tk) / got.length };
}

/** Projects rows on a PCA basis: [N * D] -> [N * dims]. */
function project(rows: Float32Array, D: number, basis: ReturnType<typeof fitPcaBasis>, dims: number): Float32Array {
  return tf.tidy(() => Float32Array.from(tf.matMul(tf.sub(tf.tensor2d(rows, [rows.length / D, D]), tf.tensor1d(basis.mean)), tf.tensor2d(basis.components, [dims, D]), false, true).dataSync()));
}

async function realDescriptors(): Promise<void> {
  const dataDir = path.join(repo, 'data');
  const roots = ['synthetic-default', ...fs.readdirSync(dataDir).filter((d) => d.startsWith('towns-seed')).sort()].map((d) => path.join(dataDir, d)).filter((r) => fs.existsSync(path.join(r, 'synthetic-manifest.json')));
  if (!roots.some((r) => r.endsWith('synthetic-default'))) { console.log('A. skipped: data/synthetic-default is missing (node bin/i2p.js generate --preset default --out data/synthetic-default)'); return; }
  const { model } = await loadModaLinkRun(path.join(repo, 'models', 'modalink-laptop'));
  const D = model.descriptorSize, cache = path.join(repo, '.cache', 'modalink');
  const parts: Float32Array[] = [], posXZ: number[] = [];
  const t0 = performance.now();
  const def = path.join(dataDir, 'synthetic-default'), align = syntheticAlignment(def)!;
  for (const root of roots) {
    for (const seq of new KittiOdometry(root).sequences()) {
      const inTown = root === def; // the queries' town: positions in drive 00's frame; other towns' scans are never within 10 m
      if (inTown && Number(seq) === 2) continue; // the query drive's own scans stay out
      const view = createSequenceView(root, seq, model.config, { cacheDir: cache, ...(inTown ? { worldFromPoses: align.get(Number(seq)) } : {}) });
      view.precompute();
      parts.push(describeView(model, view, 'depth'));
      for (let i = 0; i < view.frames.length; i++) posXZ.push(inTown ? view.positionsXZ[2 * i] : NaN, inTown ? view.positionsXZ[2 * i + 1] : NaN);
    }
  }
  const rows = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((o, p) => { rows.set(p, o); return o + p.length; }, 0);
  const N = rows.length / D;
  const qView = createSequenceView(def, 2, model.config, { cacheDir: cache, worldFromPoses: align.get(2) });
  const queries = describeView(model, qView, 'image');
  model.dispose();
  console.log(`A. ${N} database descriptors (${D}-d, ${roots.length} towns, the query drive's own scans left out: ${roots.map((r) => path.basename(r)).join(', ')}), ${qView.frames.length} queries (default town, drive 02); descriptors took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const placeR1 = (top: Int32Array[]): number => (100 * top.filter((t, q) => Math.hypot(posXZ[2 * t[0]] - qView.positionsXZ[2 * q], posXZ[2 * t[0] + 1] - qView.positionsXZ[2 * q + 1]) <= 10).length) / top.length;
  const dims = 256, basis = fitPcaBasis(rows, N, D, dims);
  const rowsP = project(rows, D, basis, dims), queriesP = project(queries, D, basis, dims);
  const lines: string[] = ['| method | vectors | build s | ms / query | vectors MiB | top-1 = exact % | top-10 overlap % | place Recall@1 % | top-1 in another town % |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  const run = (name: string, vecs: string, make: () => MapIndex & { buildSeconds?: number; bytes?: number }, q: Float32Array, d: number, ref: Int32Array[] | null, bytes: number): Int32Array[] => {
    const t = performance.now(), index = make(), build = index.buildSeconds ?? (performance.now() - t) / 1000;
    const r = searchAll(index, q, d, 10);
    index.dispose();
    const a = ref ? agreement(r.top, ref) : { top1: 100, topk: 100 };
    lines.push(`| ${name} | ${vecs} | ${build.toFixed(1)} | ${r.ms.toFixed(2)} | ${MiB(index.bytes ?? bytes)} | ${a.top1.toFixed(1)} | ${a.topk.toFixed(1)} | ${placeR1(r.top).toFixed(1)} | ${((100 * r.top.filter((t) => Number.isNaN(posXZ[2 * t[0]])).length) / r.top.length).toFixed(1)} |`);
    return r.top;
  };
  const exactFull = run('exact (resident float32)', `${D}-d`, () => createResidentDatabase(rows, D), queries, D, null, rows.byteLength);
  run('HNSW (usearch, f32)', `${D}-d`, () => createApproximateIndex(rows, D), queries, D, exactFull, rows.byteLength);
  const exactP = run('PCA-256, exact', '256-d', () => createPcaDatabase(rows, D, { dims }), queries, D, exactFull, rowsP.byteLength);
  void exactP;
  const exactProj = searchAll(createResidentDatabase(rowsP, dims), queriesP, dims, 10).top;
  run('PCA-256, HNSW (f32) [vs exact on the same projections]', '256-d', () => createApproximateIndex(rowsP, dims), queriesP, dims, exactProj, rowsP.byteLength);
  console.log(lines.join('\n'));
}

function syntheticMillion(): void {
  const N = Number(process.env.I2P_BENCH_ANN_N ?? 1_000_000), D = 256, C = 2000, Q = 200;
  const rng = createRng(13);
  const centres = Float32Array.from({ length: C * D }, () => rng.normal());
  const rows = new Float32Array(N * D);
  for (let i = 0; i < N; i++) {
    const c = rng.int(C);
    let n2 = 0;
    for (let j = 0; j < D; j++) { const v = centres[c * D + j] + 0.5 * rng.normal(); rows[i * D + j] = v; n2 += v * v; }
    const s = 1 / Math.sqrt(n2);
    for (let j = 0; j < D; j++) rows[i * D + j] *= s;
  }
  const queries = new Float32Array(Q * D);
  for (let q = 0; q < Q; q++) { const r = rng.int(N); for (let j = 0; j < D; j++) queries[q * D + j] = rows[r * D + j] + 0.02 * rng.normal(); }
  console.log(`\nB. ${N} synthetic ${D}-d unit vectors (2000 clusters, seed 13), ${Q} queries near database rows`);
  const lines = ['| method | build s | ms / query | top-1 = exact % | top-10 overlap % |', '| --- | ---: | ---: | ---: | ---: |'];
  const t = performance.now();
  const exact: ResidentDatabase = createResidentDatabase(rows, D);
  const buildExact = (performance.now() - t) / 1000;
  const ref = searchAll(exact, queries, D, 10);
  exact.dispose();
  lines.push(`| exact (resident float32, ${MiB(rows.byteLength)} MiB) | ${buildExact.toFixed(1)} | ${ref.ms.toFixed(2)} | 100 | 100 |`);
  const hnsw = createApproximateIndex(rows, D);
  const r = searchAll(hnsw, queries, D, 10), a = agreement(r.top, ref.top);
  lines.push(`| HNSW (usearch, f32, connectivity 16, expansion 128 / 64, 1 thread) | ${hnsw.buildSeconds.toFixed(1)} | ${r.ms.toFixed(3)} | ${a.top1.toFixed(1)} | ${a.topk.toFixed(1)} |`);
  hnsw.dispose();
  console.log(lines.join('\n'));
}

if (process.env.I2P_BENCH_ANN_SKIP_REAL !== '1') await realDescriptors();
if (process.env.I2P_BENCH_ANN_SKIP_SYNTHETIC !== '1') syntheticMillion();
