/**
 * Makes the real descriptors that bench/retrieval.bench.ts measures recall on, once, into
 * `.cache/retrieval/<name>/` (git-ignored): `meta.json` (sizes, ground positions, how they were
 * made) and the float32 rows `database.f32` / `queries-<test>.f32`.
 *
 * No trained ModaLink run is shipped (models/ does not exist; `.cache/runs/` is empty in a fresh
 * clone), so these come from the UNTRAINED paper model: ResNet34-layer3 encoder with seeded
 * random weights (seed 0), NetVLAD centroids by k-means on 20 evenly spaced database frames, the
 * NMF branch (K 16, 50 updates): 17408-d descriptors, as `i2p modalink eval` scores its
 * untrained baseline. Data: the embedded synthetic town, preset `default` (data/synthetic-default,
 * `node bin/i2p.js generate --preset default --out data/synthetic-default`). Tests:
 * - `02-vs-00`: database = FoV depth images of drive 00 (650), queries = camera images of drive
 *   02 (450; same direction), protocol `synthetic`;
 * - `00-within`: queries = camera images of drive 00 against the same database, each query's own
 *   scan left out (protocol B's rule).
 *
 * Run: npx tsx bench/retrieval-descriptors.ts [DATA_ROOT]   (about 10 minutes on 2 shared cores)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from '../src/core/tf.js';
import { MODALINK_PRESETS } from '../src/modalink/config.js';
import { createModaLinkModel } from '../src/modalink/model.js';
import { createSequenceView } from '../src/modalink/data.js';
import { syntheticAlignment } from '../src/modalink/splits.js';
import { describeView } from '../src/modalink/evaluate.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RETRIEVAL_DESCRIPTORS_DIR = path.join(ROOT, '.cache', 'retrieval', 'untrained-paper-synthetic-default');

/** What meta.json holds. */
export interface RetrievalDescriptorsMeta {
  D: number;
  databaseFrames: number;
  /** [N * 2] ground positions of the database frames, metres. */
  databaseXZ: number[];
  tests: { name: string; queries: number; queriesXZ: number[]; excludeOwnScan: boolean }[];
  note: string;
}

/** Reads the descriptors written by this script, or null when they are missing. */
export function readRetrievalDescriptors(dir = RETRIEVAL_DESCRIPTORS_DIR): { meta: RetrievalDescriptorsMeta; database: Float32Array; queries: Map<string, Float32Array> } | null {
  if (!fs.existsSync(path.join(dir, 'meta.json'))) return null;
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as RetrievalDescriptorsMeta;
  const f32 = (f: string): Float32Array => { const b = fs.readFileSync(path.join(dir, f)); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4); };
  return { meta, database: f32('database.f32'), queries: new Map(meta.tests.map((t) => [t.name, f32(`queries-${t.name}.f32`)])) };
}

async function main(): Promise<void> {
  const dataRoot = path.resolve(process.argv[2] ?? path.join(ROOT, 'data', 'synthetic-default'));
  const c = { ...MODALINK_PRESETS.paper, seed: 0, kmeansFrames: 20 };
  const align = syntheticAlignment(dataRoot);
  const view = (seq: number) => {
    const v = createSequenceView(dataRoot, seq, c, { cacheDir: path.join(ROOT, '.cache', 'modalink'), worldFromPoses: align?.get(seq) });
    console.error(`sequence ${v.sequence}: ${v.frames.length} frames packed in ${v.precompute().toFixed(0)} s`);
    return v;
  };
  const [db, q02] = [view(0), view(2)];
  const model = createModaLinkModel(c);
  const N = db.frames.length, pick = Array.from({ length: c.kmeansFrames }, (_, k) => Math.floor((k * N) / c.kmeansFrames));
  const [im, de] = [db.images(pick), db.depths(pick)];
  model.initNetVlad(im, de);
  tf.dispose([im, de]);
  const t0 = performance.now();
  const timed = (what: string, f: () => Float32Array): Float32Array => { const s = performance.now(); const r = f(); console.error(`${what}: ${((performance.now() - s) / 1000).toFixed(0)} s`); return r; };
  const database = timed('database (00 depth)', () => describeView(model, db, 'depth'));
  const queries02 = timed('queries (02 images)', () => describeView(model, q02, 'image'));
  const queries00 = timed('queries (00 images)', () => describeView(model, db, 'image'));
  model.dispose();
  fs.mkdirSync(RETRIEVAL_DESCRIPTORS_DIR, { recursive: true });
  const write = (f: string, a: Float32Array): void => fs.writeFileSync(path.join(RETRIEVAL_DESCRIPTORS_DIR, f), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  write('database.f32', database);
  write('queries-02-vs-00.f32', queries02);
  write('queries-00-within.f32', queries00);
  const meta: RetrievalDescriptorsMeta = {
    D: model.descriptorSize, databaseFrames: N, databaseXZ: Array.from(db.positionsXZ),
    tests: [
      { name: '02-vs-00', queries: q02.frames.length, queriesXZ: Array.from(q02.positionsXZ), excludeOwnScan: false },
      { name: '00-within', queries: N, queriesXZ: Array.from(db.positionsXZ), excludeOwnScan: true },
    ],
    note: `untrained paper model (seed 0, k-means NetVLAD on ${c.kmeansFrames} database frames) on ${path.relative(ROOT, dataRoot)}; ${((performance.now() - t0) / 1000).toFixed(0)} s to describe`,
  };
  fs.writeFileSync(path.join(RETRIEVAL_DESCRIPTORS_DIR, 'meta.json'), JSON.stringify(meta) + '\n');
  console.error(`wrote ${RETRIEVAL_DESCRIPTORS_DIR}: ${meta.note}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
