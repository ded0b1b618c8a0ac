// Probe for issue 11: the shipped registration model (trained on the embedded synthetic drives only) on REAL KITTI:
// the ten frames of ../shared/data/kitti-odometry-sample (sequence 00, frames 1-10, the right camera), each under
// several seeded CorrI2P perturbations (+-10 m, +-pi), through `i2p register eval --sequences 0 --pair-seed s`.
// Prints one row per method and seed (Acc, mean / median RTE and RRE), then every seed pooled (the final pose's pooled
// numbers come from the per-pair tables; the other rows pool the seeds' means and accuracies, equal pair counts).
// Writes each seed's tables under <out>/seed-<s>/ (registration.md/.csv, pairs.md/.csv, gpdm.md/.csv; no pose files).
// Usage: npx tsx experiments/probes/real-kitti-registration.mts [out, default .cache/eval/real-kitti] [seeds, default 1-10] [run]
import fs from 'node:fs';
import path from 'node:path';
import { evaluateRegistration } from '../../src/registration/evaluate.js';

const shared = process.env.I2P_SHARED_DATA ?? path.resolve('..', 'shared', 'data');
const root = path.join(shared, 'kitti-odometry-sample');
if (!fs.existsSync(root)) { console.log(`skipped: ${root} is absent (the real KITTI sample; set I2P_SHARED_DATA)`); process.exit(0); }
const out = process.argv[2] ?? '.cache/eval/real-kitti';
const [lo, hi] = (process.argv[3] ?? '1-10').split('-').map(Number);
const run = process.argv[4] ?? 'models/registration-laptop';
const seeds = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

const perMethod = new Map<string, { acc: number[]; rteMean: number[]; rreMean: number[] }>();
const finalPairs: { rte: number; rre: number; ok: number }[] = [];
const lines: string[] = [];
for (const seed of seeds) {
  const dir = path.join(out, `seed-${seed}`);
  const r = await evaluateRegistration({ runDir: run, dataRoot: root, outDir: dir, sequences: [0], pairSeed: seed, notes: [`real KITTI sample, sequence 00 frames 1-10, camera 3; pair seed ${seed}; ${run}`] });
  for (const f of fs.readdirSync(dir)) if (f.startsWith('poses-')) fs.rmSync(path.join(dir, f));
  for (const row of r.rows) {
    const m = perMethod.get(row.method) ?? { acc: [], rteMean: [], rreMean: [] };
    m.acc.push(row.accuracyPct); m.rteMean.push(row.rteMean); m.rreMean.push(row.rreMean);
    perMethod.set(row.method, m);
    lines.push(`| ${seed} | ${row.method} | ${row.pairs} | ${row.accuracyPct.toFixed(0)} | ${row.rteMean.toFixed(3)} / ${row.rteMedian.toFixed(3)} | ${row.rreMean.toFixed(2)} / ${row.rreMedian.toFixed(2)} |`);
  }
  const csv = fs.readFileSync(path.join(dir, 'pairs.csv'), 'utf8').trim().split('\n');
  const head = csv[0].split(',');
  for (const l of csv.slice(1)) {
    const v = l.split(',').map(Number), get = (k: string) => v[head.indexOf(k)];
    finalPairs.push({ rte: get('rteM'), rre: get('rreDeg'), ok: get('success') });
  }
}
const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const median = (a: number[]) => { const b = [...a].sort((x, y) => x - y); return b.length % 2 ? b[b.length >> 1] : (b[b.length / 2 - 1] + b[b.length / 2]) / 2; };
console.log(`${run} on real KITTI (${path.relative(process.cwd(), root)}): sequence 00 frames 1-10, camera 3, pair seeds ${lo}-${hi}`);
console.log('| pair seed | method | pairs | Acc % | RTE mean / median (m) | RRE mean / median (deg) |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const l of lines) console.log(l);
console.log(`\nPooled over the ${seeds.length} seeds (${finalPairs.length} pairs):`);
console.log('| method | Acc % (mean of seeds) | Acc std over seeds | RTE mean (m) | RRE mean (deg) |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [method, m] of perMethod) {
  const a = mean(m.acc), sd = Math.sqrt(mean(m.acc.map((x) => (x - a) ** 2)));
  console.log(`| ${method} | ${a.toFixed(1)} | ${sd.toFixed(1)} | ${mean(m.rteMean).toFixed(3)} | ${mean(m.rreMean).toFixed(2)} |`);
}
console.log(`\nFinal pose, every pair pooled: Acc ${(100 * mean(finalPairs.map((p) => p.ok))).toFixed(1)} %, median RTE ${median(finalPairs.map((p) => p.rte)).toFixed(3)} m, median RRE ${median(finalPairs.map((p) => p.rre)).toFixed(2)} deg`);
