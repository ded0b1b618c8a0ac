// `node scripts/modalink-ablation.mjs [spec] [--only id,id] [--seed-major] [--collect-only]`: the ModaLink ablation of
// issue 12 on the headline protocol, with seeds. For every row and seed of the spec (default
// experiments/modalink-ablation-towns.json) it trains `epochs` epochs of `scripts/train-modalink.mjs` (the spec's
// training towns, validation recall per epoch on its validation town) into `.cache/runs/<prefix>-<id>-s<seed>`, the
// row's change applied to the spec's base config with the run's seed; scores the LAST epoch (a fixed budget, no
// selection) on the test town with protocol `towns` (`<run>/eval-towns/`); and keeps each finished run's record in the
// repository, `<out>/runs/<id>-s<seed>/` (checkpoint.json without weights, the configs, heldout-modalink.csv,
// eval-towns/recall.csv|md), so that a later session, on another machine, skips the runs already recorded there.
// Then it writes `<out>/spec.json` and runs `i2p modalink ablation --protocol towns` on it: `<out>/ablation.md` (per
// run) and `<out>/ablation-seeds.md` (mean and std per variant, and which differences exceed the seeds' spread).
// --only: these rows only (the tables still list every row); --seed-major: every row's first seed before any row's
// second; --collect-only: train nothing, record what .cache/runs holds, write the tables.
// One training at a time (2-core machines); stop and call again at any time (train-modalink.mjs resumes exactly).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runI2p } from './lib/i2p-run.mjs';
import { readAblationPlan, recordRun, runState, writeAblationTables } from './lib/ablation-driver.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const parsed = readAblationPlan(root, process.argv.slice(2), 'experiments/modalink-ablation-towns.json',
  ['data', 'trainData', 'valData', 'config', 'prefix', 'epochs', 'cache']);
if (parsed.help) { console.log(`node scripts/modalink-ablation.mjs ${parsed.help}`); process.exit(0); }
const { spec, specFile, outDir, collectOnly, plan } = parsed;
if (!Array.isArray(spec.trainData) || spec.trainData.length === 0) throw new Error(`${specFile}: trainData: expected a list of town folders`);
if (!Number.isInteger(spec.epochs) || spec.epochs < 1) throw new Error(`${specFile}: epochs: expected an integer >= 1`);
for (const d of [spec.data, spec.valData, ...spec.trainData]) {
  if (!collectOnly && !fs.existsSync(path.join(root, d, 'sequences'))) throw new Error(`${specFile}: ${d} has no sequences/ folder (models/modalink-laptop/MODEL.md has the commands that generate the towns)`);
}
const base = JSON.parse(fs.readFileSync(path.join(root, spec.config), 'utf8'));

const evalName = 'eval-towns';
const RECORD = ['checkpoint.json', 'config.json', 'ablation-config.json', 'heldout-modalink.csv'];
for (const { row, seed } of plan) {
  const runDir = path.join('.cache', 'runs', `${spec.prefix}-${row.id}-s${seed}`), abs = path.join(root, runDir);
  const evalDir = path.join(abs, evalName), rec = path.join(outDir, 'runs', `${row.id}-s${seed}`);
  if (fs.existsSync(path.join(rec, evalName, 'recall.csv'))) continue; // recorded by an earlier call
  if (!collectOnly) {
    fs.mkdirSync(abs, { recursive: true });
    const log = path.join(abs, 'ablation.log'), cfgFile = path.join(abs, 'ablation-config.json');
    if (!runState(abs)) fs.writeFileSync(cfgFile, JSON.stringify({ ...base, ...(row.config ?? {}), epochs: spec.epochs, seed }, null, 1) + '\n');
    const train = ['scripts/train-modalink.mjs', '--run', runDir, '--data', spec.data, '--train-data', ...spec.trainData, '--val-data', spec.valData,
      '--epochs', String(spec.epochs), '--cache', spec.cache, '--config', cfgFile];
    console.log(`$ node ${train.join(' ')}`);
    const r = spawnSync(process.execPath, train, { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`train-modalink.mjs failed for row '${row.id}' seed ${seed} (exit ${r.status}); see ${runDir}/train-modalink.log`);
    if (!fs.existsSync(path.join(evalDir, 'recall.csv'))) {
      const a = ['modalink', 'eval', '--run', runDir, '--data', spec.data, '--protocol', 'towns', '--no-untrained', '--cache', spec.cache, '--out', evalDir];
      console.log(`$ node bin/i2p.js ${a.join(' ')}`);
      runI2p(root, a, log, 'ignore');
    }
  }
  const st = runState(abs);
  if (st && st.epoch >= spec.epochs && fs.existsSync(path.join(evalDir, 'recall.csv'))) recordRun(abs, rec, RECORD, evalName);
}
writeAblationTables(root, spec, outDir, 'modalink', ['--protocol', 'towns']);
