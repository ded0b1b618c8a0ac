/**
 * Evaluation speed (issue 10, part 5): retrieval in a KITTI-00-sized database (4541 x 17408
 * float32, L2-normalised, seeded) by today's one-shot search and by the resident databases
 * (exact float32, float16, int8, PCA-reduced), ms per query for one query and in batches,
 * MiB held; recall@1 / recall@1% of each method on REAL descriptors when
 * bench/retrieval-descriptors.ts has written them (untrained paper model on the synthetic town;
 * no trained run is shipped); and NMF (K 16, 50 updates, 8 x 50 x 256 feature maps) per image
 * alone vs batched. Prints markdown tables; timings are medians and the cores are shared.
 *
 * Run: npm run bench:retrieval   (I2P_BENCH_RUNS, default 5 timed runs of one query)
 */
import os from 'node:os';
import { tf, type Tensor2D, type Tensor3D } from '../src/core/tf.js';
import { backendInfo } from '../src/core/backend.js';
import { searchNearest, computeRecall } from '../src/metrics/recall.js';
import { createResidentDatabase, type ResidentDatabase, type DatabaseStorage } from '../src/metrics/resident-database.js';
import { createPcaDatabase } from '../src/modalink/pca-database.js';
import { groundDistanceMatrix } from '../src/modalink/ground-distance.js';
import { nmf } from '../src/nn/nmf.js';
import { readRetrievalDescriptors, RETRIEVAL_DESCRIPTORS_DIR } from './retrieval-descriptors.js';
import { median, medianMs } from './timing.js';

const RUNS = Number(process.env.I2P_BENCH_RUNS ?? 5);
const [N, D, K] = [4541, 17408, 25];
const BATCHES = [64, 256];
const MiB = (b: number): string => (b / 2 ** 20).toFixed(0);

/** A method: how to build its database from [N * D] rows (null = today's one-shot search). */
interface Method { name: string; make: ((rows: Float32Array, D: number) => ResidentDatabase) | null; normalized?: boolean }
const resident = (storage: DatabaseStorage, convolutionMaxQueries = 4) => (rows: Float32Array, d: number) => createResidentDatabase(rows, d, { storage, convolutionMaxQueries });
const pca = (dims: number) => (rows: Float32Array, d: number) => createPcaDatabase(rows, d, { dims });
const METHODS: Method[] = [
  { name: 'today: searchNearest (as the evaluation called it)', make: null },
  { name: 'today: searchNearest, normalized: true (unit rows)', make: null, normalized: true },
  { name: 'resident float32, matMul only (exact)', make: resident('float32', 0) },
  { name: 'resident float32, 1x1 conv up to 4 queries (exact, default)', make: resident('float32') },
  { name: 'resident float16 (Uint16 halves)', make: resident('float16') },
  { name: 'resident int8 + row scales', make: resident('int8') },
  { name: 'PCA 64 + resident float32', make: pca(64) },
  { name: 'PCA 256 + resident float32', make: pca(256) },
];

/** Top-K of queries [Q * D] against rows [Nr * D] by a method (builds and disposes its database). */
function search(m: Method, rows: Float32Array, q: Float32Array, k: number, exclude?: Int32Array): Int32Array {
  if (m.make) { const db = m.make(rows, D); try { return db.queryBatch(q, k, exclude).indices; } finally { db.dispose(); } }
  const [qt, dbt] = [tf.tensor2d(q, [q.length / D, D]), tf.tensor2d(rows, [rows.length / D, D])];
  try { return searchNearest(qt, dbt, k, { excludeIndex: exclude, normalized: m.normalized }).indices; } finally { tf.dispose([qt, dbt]); }
}

// #region recall
/** Per method and test: 'R@1 / R@1%' on the real descriptors, and whether the ranking equals today's. */
function recallCells(): { header: string[]; cells: Map<string, string[]>; note: string } {
  const real = readRetrievalDescriptors();
  if (!real) return { header: [], cells: new Map(), note: `no real descriptors: run \`npx tsx bench/retrieval-descriptors.ts\` (writes ${RETRIEVAL_DESCRIPTORS_DIR})` };
  const { meta, database } = real, Nr = meta.databaseFrames;
  const cells = new Map<string, string[]>(METHODS.map((m) => [m.name, []]));
  for (const t of meta.tests) {
    const q = real.queries.get(t.name)!, Q = t.queries;
    const ex = t.excludeOwnScan ? Int32Array.from({ length: Q }, (_, i) => i) : undefined;
    const nDb = Nr - (ex ? 1 : 0), k = Math.min(nDb, Math.max(25, Math.round(nDb / 100)));
    const g = groundDistanceMatrix(t.queriesXZ, meta.databaseXZ);
    let today: Int32Array | null = null;
    for (const m of METHODS.filter((x) => !x.normalized)) { // descriptors are not unit length (sqrt 2: two unit parts)
      const idx = search(m, database, q, k, ex);
      today ??= idx;
      const r = computeRecall(idx, k, g, Q, Nr, { maxN: Math.min(25, k) }, ex);
      let same = 0; // queries whose whole list of k equals today's
      for (let i = 0; i < Q; i++) if (idx.subarray(i * k, (i + 1) * k).every((v, j) => v === today![i * k + j])) same++;
      cells.get(m.name)!.push(`${r.recallAt1.toFixed(3)} / ${r.recallAt1Percent.toFixed(3)} (${same === Q ? 'all' : `${(100 * same / Q).toFixed(0)} %`} lists = today's)`);
    }
    cells.get(METHODS[1].name)!.push('n/a (rows not unit)');
  }
  const header = meta.tests.map((t) => `R@1 / R@1% ${t.name} (${t.queries} q, ${Nr} db)`);
  return { header, cells, note: `recall: ${meta.note}, ${meta.D}-d, k = max(25, N/100) retrievals` };
}
// #endregion recall

// #region speed
/**
 * Per method: median ms per query for one query and per batch size, MiB held, build seconds.
 * Methods take turns inside every repetition, so a change in the machine's load hits them all.
 */
function speedRows(rows: Float32Array, dbt: Tensor2D, queries: Float32Array): Map<string, string[]> {
  const built = METHODS.map((m) => { const t0 = performance.now(); const db = m.make?.(rows, D) ?? null; return { m, db, buildS: (performance.now() - t0) / 1000 }; });
  const run = (m: Method, db: ResidentDatabase | null, q: Float32Array): number => {
    const t0 = performance.now();
    if (db) db.queryBatch(q, K);
    else { const qt = tf.tensor2d(q, [q.length / D, D]); searchNearest(qt, dbt, K, { normalized: m.normalized }); qt.dispose(); }
    return performance.now() - t0;
  };
  const sizes = [1, ...BATCHES];
  const ms = new Map(built.map(({ m }) => [m.name, sizes.map(() => [] as number[])]));
  sizes.forEach((B, s) => {
    for (let rep = 0; rep <= (B === 1 ? RUNS : 2); rep++) { // rep 0 warms up
      for (const { m, db } of built) { const t = run(m, db, queries.subarray(B === 1 ? rep * D : 0, (B === 1 ? rep + 1 : B) * D)) / B; if (rep > 0) ms.get(m.name)![s].push(t); }
    }
  });
  const out = new Map(built.map(({ m, db, buildS }) => [m.name, [
    ...ms.get(m.name)!.map((ts) => { const v = median(ts); return v.toFixed(v < 10 ? 2 : 1); }),
    db ? MiB(db.bytes) : `${MiB(4 * N * D)} (caller's tensor)`, db ? buildS.toFixed(1) : '-',
  ]]));
  for (const { db } of built) db?.dispose();
  return out;
}
// #endregion speed

// #region nmf
function nmfTable(): string[] {
  const [n, m, k, T] = [400, 256, 16, 50];
  const lines = ['| NMF K 16, 50 updates, [B, 400, 256] | ms per image | max abs diff of W, H vs per image |', '|---|---:|---:|'];
  const Bmax = 32;
  const x = tf.randomNormal([Bmax, n, m], 0, 1, 'float32', 7) as Tensor3D; // stands for layer3 features of 8 x 50 pixels
  const alone = Array.from({ length: Bmax }, (_, b) => tf.tidy(() => { const r = nmf(tf.slice(x, [b, 0, 0], [1, n, m]) as Tensor3D, { factors: k, iterations: T }); return tf.concat([tf.reshape(r.W, [-1]), tf.reshape(r.H, [-1])]); }));
  const loop = (B: number) => (): void => { for (let b = 0; b < B; b++) { const r = tf.tidy(() => nmf(tf.slice(x, [b, 0, 0], [1, n, m]) as Tensor3D, { factors: k, iterations: T }).W); r.dataSync(); r.dispose(); } };
  lines.push(`| per image (B = 1, a loop of 8 calls) | ${(medianMs(loop(8), 3) / 8).toFixed(1)} | 0 (reference) |`);
  for (const B of [8, 16, 32]) {
    const xb = tf.slice(x, [0, 0, 0], [B, n, m]) as Tensor3D;
    const ms = medianMs(() => { const r = nmf(xb, { factors: k, iterations: T }); r.W.dataSync(); tf.dispose([r.W, r.H]); }, 3) / B;
    const r = nmf(xb, { factors: k, iterations: T });
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.concat([tf.reshape(r.W, [B, -1]), tf.reshape(r.H, [B, -1])], 1), tf.stack(alone.slice(0, B))))).dataSync()[0]);
    lines.push(`| batched, B = ${B} (one set of batched matMuls) | ${ms.toFixed(1)} | ${diff.toExponential(1)} |`);
    tf.dispose([xb, r.W, r.H]);
  }
  tf.dispose([x, ...alone]);
  return lines;
}
// #endregion nmf

const cpu = os.cpus()[0]?.model ?? '?';
console.log(`# Retrieval and NMF bench: ${backendInfo().description}; ${cpu}, ${os.availableParallelism()} cores SHARED with other jobs (load average ${os.loadavg()[0].toFixed(1)} at start); node ${process.version}; medians (${RUNS} runs of one query, 2 of a batch)\n`);
const { header, cells, note } = recallCells();
const dbt = tf.tidy(() => { const d = tf.randomNormal([N, D], 0, 1, 'float32', 3); return tf.div(d, tf.norm(d, 2, 1, true)); }) as Tensor2D; // [N, D] unit rows
const rows = dbt.dataSync() as Float32Array;
const queries = tf.tidy(() => { const d = tf.randomNormal([Math.max(...BATCHES), D], 0, 1, 'float32', 4); return tf.div(d, tf.norm(d, 2, 1, true)); }).dataSync() as Float32Array;
console.log(`| database | method | ms / query, batch 1 | ${BATCHES.map((b) => `ms / query, batch ${b}`).join(' | ')} | MiB held | build s | ${header.join(' | ')} |`);
console.log(`|---|---|---:|${BATCHES.map(() => '---:').join('|')}|---:|---:|${header.map(() => '---').join('|')}|`);
const speed = speedRows(rows, dbt, queries);
for (const m of METHODS) console.log(`| ${N} x ${D} | ${m.name} | ${speed.get(m.name)!.join(' | ')} | ${(cells.get(m.name) ?? []).join(' | ')} |`);
const bw = medianMs(() => { tf.tidy(() => tf.sum(dbt).dataSync()); }, RUNS);
dbt.dispose();
console.log(`\n- Reading the float32 database once (tf.sum over it, ${MiB(4 * N * D)} MiB) takes ${bw.toFixed(1)} ms: the floor of an exact float32 query in batch 1 on this machine.`);
console.log(`- ${note}.`);
console.log('- float16 / int8 keep the rows in typed arrays and decode them block by block for every batch of queries (tfjs has no float16 or int8 matMul): they save memory, not time.\n');
const target = (metric: string, value: number, limit: number): void => console.log(`::target ${JSON.stringify({ metric, value: value.toFixed(1), unit: 'ms', target: `< ${limit}`, ok: value < limit })}`);
target(`one query against ${N} x ${D}, exact (resident float32, batch 1)`, Number(speed.get(METHODS[3].name)![0]), 10);
target(`one query against ${N} x ${D}, exact, in a batch of ${BATCHES[BATCHES.length - 1]} (per query)`, Number(speed.get(METHODS[3].name)![BATCHES.length]), 10);
const nmfLines = nmfTable();
console.log(nmfLines.join('\n'));
const nmfBatched = nmfLines.filter((l) => l.startsWith('| batched')).map((l) => Number(l.split('|')[2]));
target('NMF K 16, 50 updates, per paper-size image (best batch)', Math.min(...nmfBatched), 10.0001);
console.log('\nNMF input: seeded normal features (ReLU inside NMF); per image = nmf() on each [1, 400, 256] slice alone.');
