/**
 * ModaLink evaluation: descriptors of the database (depth images) and the queries (camera
 * images), exact search (a resident database, one matrix product per chunk of queries,
 * metrics/resident-database.ts), Recall@1, @5 and @1% with a 10 m ground-plane radius; baselines on the same data in the same table:
 * chance (analytic expectation under a uniformly random ranking), the untrained network
 * (random weights, k-means NetVLAD) and, when given, a separate-encoders run.
 * @see notebooks/03-place-recognition.ipynb
 */
import path from 'node:path';
import * as aq from 'arquero';
import { tf } from '../core/tf.js';
import { computeRecall, type RecallResult } from '../metrics/recall.js';
import { createResidentDatabase, type ResidentDatabase, type ResidentDatabaseConfig } from '../metrics/resident-database.js';
import { groundDistanceMatrix } from './ground-distance.js';
import { createModaLinkModel, type ModaLinkModel } from './model.js';
import { createSequenceView, type SequenceView } from './data.js';
import { protocolSplits, syntheticAlignment, type Protocol } from './splits.js';
import { loadCheckpoint, readCheckpointState } from '../train/checkpoint.js';
import { tableToCsv } from '../viz/table.js';
import { writeIfChanged } from '../data/formats/file-io.js';
import { writeTableFiles } from '../data/formats/table-files.js';
import { InputError } from '../core/errors.js';
import type { ModaLinkConfig } from './config.js';

/**
 * Descriptors of every frame of a view.
 * @returns [N * D] float32 row-major
 */
export function describeView(model: ModaLinkModel, view: SequenceView, kind: 'image' | 'depth', batch = 16): Float32Array {
  const N = view.frames.length, D = model.descriptorSize;
  const out = new Float32Array(N * D);
  for (let s = 0; s < N; s += batch) {
    const idx = Array.from({ length: Math.min(batch, N - s) }, (_, k) => s + k);
    const x = kind === 'image' ? view.images(idx) : view.depths(idx);
    const d = kind === 'image' ? model.describe(x) : model.describeDepth(x);
    out.set(d.dataSync(), s * D);
    tf.dispose([x, d]);
  }
  return out;
}

// #region recall
/**
 * Recall of query descriptors against database descriptors: exact top-k on a resident
 * database (metrics/resident-database.ts; the same ranking as searchNearest, ties to the lower
 * index), then {@link computeRecall}.
 * @param q [Q * D] query descriptors
 * @param db [N * D] database descriptors (uploaded for this call), or a {@link ResidentDatabase}
 *   made once with createResidentDatabase / createPcaDatabase and reused across calls (not disposed here)
 * @param qXZ [Q * 2], dbXZ [N * 2] ground positions, metres
 * @param excludeIndex per query, a database index to leave out (protocol B), or undefined
 * @param database the resident database's settings when `db` is an array (default: exact float32)
 */
export function recallFromDescriptors(q: Float32Array, db: Float32Array | ResidentDatabase, D: number, qXZ: ArrayLike<number>, dbXZ: ArrayLike<number>, thresholdM = 10, excludeIndex?: Int32Array, database: Partial<ResidentDatabaseConfig> = {}): RecallResult {
  const resident = db instanceof Float32Array ? createResidentDatabase(db, D, database) : db;
  try {
    if (resident.dim !== D) throw new InputError('recallFromDescriptors: db', `expected a database of ${D}-d descriptors, got ${resident.dim}-d`);
    const Q = q.length / D, N = resident.size;
    const nDb = N - (excludeIndex ? 1 : 0);
    const k = Math.min(nDb, Math.max(25, 5, Math.max(Math.round(nDb / 100), 1)));
    const { indices } = resident.queryBatch(q, k, excludeIndex);
    return computeRecall(indices, k, groundDistanceMatrix(qXZ, dbXZ), Q, N, { thresholdM, maxN: Math.min(25, k) }, excludeIndex);
  } finally {
    if (resident !== db) resident.dispose();
  }
}
// #endregion recall

/**
 * Expected Recall@n of a uniformly random ranking: per query with P true neighbours among
 * N_db, 1 - C(N_db - P, n) / C(N_db, n); averaged over queries with P > 0.
 */
export function chanceRecall(groundM: ArrayLike<number>, Q: number, N: number, n: number, thresholdM = 10, excludeIndex?: Int32Array): number {
  let sum = 0, scored = 0;
  for (let q = 0; q < Q; q++) {
    let P = 0, nDb = 0;
    for (let j = 0; j < N; j++) if (j !== excludeIndex?.[q]) { nDb++; if (groundM[q * N + j] < thresholdM) P++; }
    if (P === 0) continue;
    let miss = 1;
    for (let t = 0; t < Math.min(n, nDb); t++) miss *= Math.max(0, nDb - P - t) / (nDb - t);
    sum += 1 - miss;
    scored++;
  }
  return scored ? sum / scored : 0;
}

/** Options of {@link evaluateRun}. */
export interface EvaluateOptions {
  runDir: string; dataRoot: string; protocol: Protocol;
  /** Where recall.md / recall.csv go (default `<run>/eval-<protocol>`). */ outDir?: string;
  /** Another run (e.g. sharedEncoder false) scored in the same table. */ compareRuns?: string[];
  /** Skip the untrained-network baseline. */ noUntrained?: boolean;
  /** Packed frame cache folder (default `<run>/cache`), see data.ts. */ cacheDir?: string;
  /** Progress lines (e.g. console.error). */ log?: (line: string) => void;
  /** Lines appended under the markdown table as a list (how the table was made). */ notes?: string[];
}

/** One point of a Recall@N curve. */
export interface RecallCurveRow { method: string; test: string; n: number; recall: number }

/** One table row. */
export interface RecallRow { method: string; test: string; queries: number; database: number; 'recall@1': number; 'recall@5': number; 'recall@1%': number }

/**
 * A trained run's model: the config from `<run>/checkpoint.json`, the model built from it and
 * the last checkpoint's weights (what `i2p modalink eval --run RUN` scores). The caller disposes it.
 * @param runDir a folder written by `i2p modalink train --out RUN` (or `trainModaLink`)
 * @returns the model and the optimisation steps it was trained
 * @throws InputError naming `checkpoint.json` when the folder holds no checkpoint
 * @see notebooks/02-nmf-clustering.ipynb (its encoder, with MODALINK_RUN) and 03-place-recognition.ipynb
 */
export async function loadModaLinkRun(runDir: string): Promise<{ model: ModaLinkModel; steps: number }> {
  const st = readCheckpointState<ModaLinkConfig>(runDir);
  if (!st) throw new InputError(path.join(runDir, 'checkpoint.json'), 'missing: train first (i2p modalink train --out RUN)');
  const model = createModaLinkModel(st.config);
  await loadCheckpoint(runDir, st, model);
  return { model, steps: st.step };
}

/**
 * Per method, the query-weighted mean over tests (test 'all'): the pooled recall when every
 * test has its own queries (each query's hit is 0 or 1). Only when there are two tests or more.
 */
export function overallRows(rows: RecallRow[]): RecallRow[] {
  const tests = new Set(rows.map((r) => r.test));
  if (tests.size < 2) return [];
  const methods = [...new Set(rows.map((r) => r.method))];
  return methods.map((method) => {
    const rs = rows.filter((r) => r.method === method);
    const q = rs.reduce((a, r) => a + r.queries, 0);
    const mean = (k: 'recall@1' | 'recall@5' | 'recall@1%'): number => (q > 0 ? rs.reduce((a, r) => a + r[k] * r.queries, 0) / q : 0);
    return { method, test: 'all', queries: q, database: Math.max(...rs.map((r) => r.database)), 'recall@1': mean('recall@1'), 'recall@5': mean('recall@5'), 'recall@1%': mean('recall@1%') };
  });
}

// #region evaluate
/** Scores a run (and the baselines) on a protocol; writes `recall.md` and `recall.csv`. */
export async function evaluateRun(o: EvaluateOptions): Promise<{ rows: RecallRow[]; curves: RecallCurveRow[]; markdown: string; outDir: string }> {
  const { model: trained } = await loadModaLinkRun(o.runDir);
  const c: Readonly<ModaLinkConfig> = trained.config;
  const align = syntheticAlignment(o.dataRoot);
  const cacheDir = o.cacheDir ?? path.join(o.runDir, 'cache');
  const memo = new Map<string, SequenceView>();
  const view = (seq: number, frames?: number[]): SequenceView => {
    const key = `${seq}:${frames?.join(',') ?? 'all'}`;
    let v = memo.get(key);
    if (!v) {
      v = createSequenceView(o.dataRoot, seq, c, { frames, cacheDir, worldFromPoses: align?.get(seq) });
      const sec = v.precompute();
      if (sec > 0) o.log?.(`packed ${v.frames.length} frames of ${v.sequence} in ${sec.toFixed(1)} s`);
      memo.set(key, v);
    }
    return v;
  };
  const models: [string, ModaLinkModel][] = [['ModaLink (trained)', trained]];
  for (const r of o.compareRuns ?? []) {
    const { model: m, steps } = await loadModaLinkRun(r);
    models.push([`${m.config.sharedEncoder ? 'shared' : 'separate'} encoders, ${steps} steps (${path.basename(r)})`, m]);
  }
  const rows: RecallRow[] = [];
  const curves: RecallCurveRow[] = [];
  const otherWay = new Set<string>(); // tests of drives run against the database's direction: a table of their own
  for (const t of protocolSplits(o.protocol, o.dataRoot).tests) {
    if (t.group === 'other way') otherWay.add(t.name);
    const db = view(t.database.seq, t.database.frames), qv = view(t.queries.seq, t.queries.frames);
    const ex = t.excludeOwnScan ? Int32Array.from(qv.frames, (f) => db.frames.indexOf(f)) : undefined;
    const Q = qv.frames.length, N = db.frames.length;
    const base = { test: t.name, database: N };
    let untrained: ModaLinkModel | null = null;
    if (!o.noUntrained) {
      untrained = createModaLinkModel(c);
      const pick = Array.from({ length: Math.min(c.kmeansFrames, N) }, (_, k) => Math.floor((k * N) / Math.min(c.kmeansFrames, N)));
      const [im, de] = [db.images(pick), db.depths(pick)];
      untrained.initNetVlad(im, de);
      tf.dispose([im, de]);
    }
    for (const [name, m] of [...models, ...(untrained ? [['untrained (random weights, k-means NetVLAD)', untrained] as [string, ModaLinkModel]] : [])]) {
      const r = recallFromDescriptors(describeView(m, qv, 'image'), describeView(m, db, 'depth'), m.descriptorSize, qv.positionsXZ, db.positionsXZ, c.positiveThresholdM, ex);
      rows.push({ method: name, ...base, queries: r.numQueries, 'recall@1': r.recallAt1, 'recall@5': r.recallAt5, 'recall@1%': r.recallAt1Percent });
      r.curve.forEach((v, k) => curves.push({ method: name, test: t.name, n: k + 1, recall: v }));
      o.log?.(`${t.name} ${name}: R@1 ${r.recallAt1.toFixed(3)}`);
    }
    untrained?.dispose();
    const g = groundDistanceMatrix(qv.positionsXZ, db.positionsXZ);
    const onePct = Math.max(Math.round((N - (ex ? 1 : 0)) / 100), 1);
    const scored = rows[rows.length - 1].queries;
    rows.push({ method: 'chance (expected, random ranking)', ...base, queries: scored, 'recall@1': chanceRecall(g, Q, N, 1, c.positiveThresholdM, ex), 'recall@5': chanceRecall(g, Q, N, 5, c.positiveThresholdM, ex), 'recall@1%': chanceRecall(g, Q, N, onePct, c.positiveThresholdM, ex) });
  }
  for (const [, m] of models) m.dispose();
  const outDir = o.outDir ?? path.join(o.runDir, `eval-${o.protocol}`);
  const main = rows.filter((r) => !otherWay.has(r.test)), other = rows.filter((r) => otherWay.has(r.test));
  const tables = [...main, ...overallRows(main)];
  let { markdown } = writeTableFiles(aq.from(tables), outDir, 'recall', { notes: o.notes });
  if (other.length) {
    const otherRows = [...other, ...overallRows(other).map((r) => ({ ...r, test: 'all (other way)' }))];
    const note = 'Query drives that run against the database drive (the other lane, the other way): their photos show the far side of the street, which no forward-looking FoV depth image of the database contains; FoV retrieval cannot match them, so they are not in recall.md.';
    markdown += '\n## Drives the other way (recall-other-way.md)\n\n' + writeTableFiles(aq.from(otherRows), outDir, 'recall-other-way', { notes: [note, ...(o.notes ?? [])] }).markdown;
    tables.push(...otherRows);
  }
  writeIfChanged(path.join(outDir, 'recall-curve.csv'), tableToCsv(aq.from(curves)));
  return { rows: tables, curves, markdown, outDir };
}
// #endregion evaluate
