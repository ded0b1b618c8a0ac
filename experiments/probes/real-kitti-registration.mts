// Probe for issue 11: the shipped registration model (trained on the embedded synthetic drives only) on REAL KITTI:
// the ten frames of ../shared/data/kitti-odometry-sample (sequence 00, frames 1-10, the right camera), each under
// several seeded CorrI2P perturbations (+-10 m, +-pi), through `i2p register eval --sequences 0 --pair-seed s`.
// Prints one row per method and seed (Acc, mean / median RTE and RRE), then every seed pooled (summarizeSeeds: each
// method's mean and sample std over the seeds; the final pose's pooled Acc and medians from the per-pair tables).
// Writes each seed's tables under <out>/seed-<s>/ (registration.md/.csv, pairs.md/.csv, gpdm.md/.csv; no pose files).
// Usage: npx tsx experiments/probes/real-kitti-registration.mts [out, default .cache/eval/real-kitti] [seeds, default 1-10] [run]
import fs from 'node:fs';
import path from 'node:path';
import { evaluateRegistration, type RegistrationResultRow } from '../../src/registration/evaluate.js';
import { summarizeSeeds } from '../../src/metrics/seed-summary.js';
import { summarizePoseErrors, type PoseError } from '../../src/metrics/pose.js';

const shared = process.env.I2P_SHARED_DATA ?? path.resolve('..', 'shared', 'data');
const root = path.join(shared, 'kitti-odometry-sample');
if (!fs.existsSync(root)) { console.log(`skipped: ${root} is absent (the real KITTI sample; set I2P_SHARED_DATA)`); process.exit(0); }
const out = process.argv[2] ?? '.cache/eval/real-kitti';
const [lo, hi] = (process.argv[3] ?? '1-10').split('-').map(Number);
const run = process.argv[4] ?? 'models/registration-laptop';
const seeds = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

const rows: (RegistrationResultRow & { seed: number })[] = [];
const finalErrors: PoseError[] = [];
for (const seed of seeds) {
  const dir = path.join(out, `seed-${seed}`);
  const r = await evaluateRegistration({ runDir: run, dataRoot: root, outDir: dir, sequences: [0], pairSeed: seed, notes: [`real KITTI sample, sequence 00 frames 1-10, camera 3; pair seed ${seed}; ${run}`] });
  for (const f of fs.readdirSync(dir)) if (f.startsWith('poses-')) fs.rmSync(path.join(dir, f));
  rows.push(...r.rows.map((row) => ({ ...row, seed })));
  // the final pose's per-pair errors, pooled over the seeds below
  const [head, ...lines] = fs.readFileSync(path.join(dir, 'pairs.csv'), 'utf8').trim().split('\n'), keys = head.split(',');
  for (const l of lines) {
    const v = l.split(',').map(Number), get = (k: string) => v[keys.indexOf(k)];
    finalErrors.push({ rteM: get('rteM'), rreDeg: get('rreDeg'), geodesicDeg: get('geodesicDeg'), success: get('success') === 1 });
  }
}
console.log(`${run} on real KITTI (${path.relative(process.cwd(), root)}): sequence 00 frames 1-10, camera 3, pair seeds ${lo}-${hi}`);
console.log('| pair seed | method | pairs | Acc % | RTE mean / median (m) | RRE mean / median (deg) |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.seed} | ${r.method} | ${r.pairs} | ${r.accuracyPct.toFixed(0)} | ${r.rteMean.toFixed(3)} / ${r.rteMedian.toFixed(3)} | ${r.rreMean.toFixed(2)} / ${r.rreMedian.toFixed(2)} |`);
console.log(`\nPooled over the ${seeds.length} seeds (${finalErrors.length} pairs; std: sample standard deviation over the seeds):`);
console.log('| method | Acc % (mean of seeds) | Acc std over seeds | RTE mean (m) | RRE mean (deg) |');
console.log('| --- | ---: | ---: | ---: | ---: |');
const perSeed = rows.map(({ method, accuracyPct, rteMean, rreMean }) => ({ method, accuracyPct, rteMean, rreMean }));
for (const m of summarizeSeeds(perSeed, { group: 'method', metrics: ['accuracyPct', 'rteMean', 'rreMean'] })) {
  const f = (k: string, d: number) => (m[k] as number).toFixed(d);
  console.log(`| ${m.method} | ${f('accuracyPct mean', 1)} | ${f('accuracyPct std', 1)} | ${f('rteMean mean', 3)} | ${f('rreMean mean', 2)} |`);
}
const pooled = summarizePoseErrors(finalErrors);
console.log(`\nFinal pose, every pair pooled: Acc ${pooled.accuracyPct.toFixed(1)} %, median RTE ${pooled.rteM.median.toFixed(3)} m, median RRE ${pooled.rreDeg.median.toFixed(2)} deg`);
