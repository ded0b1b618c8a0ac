/**
 * Speed of ModaLink's building blocks on this machine (not part of the test run):
 * NMF (K = 16, 50 updates) per image on 8 x 50 x 256 feature maps, NetVLAD(64 x 256)
 * pooling, and exact descriptor search of 1 query against 4541 descriptors of 17408-d.
 * Prints a markdown table (median of several runs after a warm-up).
 *
 * Run: npx tsx bench/modalink-blocks.bench.ts
 */
import os from 'node:os';
import { tf, type Tensor2D, type Tensor3D, type Tensor4D } from '../src/core/tf.js';
import { nmf } from '../src/nn/nmf.js';
import { createNetVlad } from '../src/nn/netvlad.js';
import { searchNearest } from '../src/metrics/recall.js';
import { medianMs } from './timing.js';

/** Median wall time of `fn` in ms over `runs` runs, after one warm-up. */
const timeMs = (fn: () => void, runs: number): number => medianMs(fn, runs);

const rows: Array<[string, string, number, number]> = [];

// #region nmf
for (const B of [1, 8]) {
  const x = tf.randomNormal([B, 8 * 50, 256], 0, 1, 'float32', 1) as Tensor3D; // [B, HW, C]
  const ms = timeMs(() => { const r = nmf(x, { factors: 16, iterations: 50 }); r.W.dataSync(); tf.dispose([r.W, r.H]); }, 5);
  rows.push(['NMF K=16, 50 updates (detached)', `[${B}, 400, 256]`, ms, ms / B]);
  x.dispose();
}
// #endregion nmf

// #region netvlad
{
  const vlad = createNetVlad({ clusters: 64, dim: 256 });
  const B = 8;
  const x = tf.randomNormal([B, 8, 50, 256], 0, 1, 'float32', 2) as Tensor4D;
  const ms = timeMs(() => { const y = vlad.apply(x); y.dataSync(); y.dispose(); }, 5);
  rows.push(['NetVLAD 64 x 256 -> 16384-d', `[${B}, 8, 50, 256]`, ms, ms / B]);
  x.dispose();
  vlad.dispose();
}
// #endregion netvlad

// #region search
{
  const [N, D] = [4541, 17408];
  const db = tf.tidy(() => { const d = tf.randomNormal([N, D], 0, 1, 'float32', 3); return tf.div(d, tf.norm(d, 2, 1, true)); }) as Tensor2D;
  const q = tf.tidy(() => { const d = tf.randomNormal([1, D], 0, 1, 'float32', 4); return tf.div(d, tf.norm(d, 2, 1, true)); }) as Tensor2D;
  const ms = timeMs(() => { searchNearest(q, db, 25, { normalized: true }); }, 7);
  rows.push([`Search top-25, 1 query vs ${N} x ${D}`, 'normalised', ms, ms]);
  const q64 = tf.tidy(() => tf.tile(q, [64, 1])) as Tensor2D;
  const ms64 = timeMs(() => { searchNearest(q64, db, 25, { normalized: true }); }, 3);
  rows.push([`Search top-25, 64 queries vs ${N} x ${D}`, 'normalised', ms64, ms64 / 64]);
  tf.dispose([db, q, q64]);
}
// #endregion search

console.log(`backend ${tf.getBackend()}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg()[0].toFixed(1)}, node ${process.version}\n`);
console.log('| block | input | ms per call | ms per image / query |');
console.log('|---|---|---:|---:|');
for (const [name, input, ms, per] of rows) console.log(`| ${name} | ${input} | ${ms.toFixed(1)} | ${per.toFixed(2)} |`);
