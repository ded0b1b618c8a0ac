// `node scripts/registration-ablation.mjs [spec] [--only id,id] [--seed-major] [--collect-only]`: the paper's ablation (issue 11) on the
// shipped recipe, with seeds. For every row and seed of the spec (default experiments/registration-ablation-bearing.json)
// it trains stage 'rest' (ICLM + PRM, the row's change applied to the shipped model's config) for `steps` steps into
// `.cache/runs/<prefix>-<id>-s<seed>`, starting from the encoders, GPDM and bearing network of `initFrom`
// (`--init-group frustum`), unless the run has those steps; evaluates it on the first `evalPairs` seeded test pairs
// unless `<run>/eval-<evalPairs>/registration.csv` exists; and keeps each finished run's record in the repository,
// `<out>/runs/<id>-s<seed>/` (checkpoint.json without weights, train.log, the loss log, eval-<evalPairs>/*.csv|md), so that a
// later session, on another machine, skips the runs already recorded there. Then it writes `<out>/spec.json` (one row
// per run, with its seed, read from the records) and runs `i2p register ablation` on it: `<out>/ablation.md` (per run)
// and `<out>/ablation-seeds.md` (mean and std per variant, and which differences exceed the seeds' spread). A run that
// did not happen stays `not run`.
// --only: train and evaluate only these rows (the tables still list every row); --seed-major: every row's first seed
// before any row's second (one seed of every row first when time is short);
// --collect-only: train nothing, record what .cache/runs holds, write the tables.
// Runs one training at a time (2-core machines); stop and call again at any time (exact resume).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runI2p } from './lib/i2p-run.mjs';
import { readAblationPlan, recordRun, runState, writeAblationTables } from './lib/ablation-driver.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const parsed = readAblationPlan(root, process.argv.slice(2), 'experiments/registration-ablation-bearing.json',
  ['data', 'initFrom', 'prefix', 'steps', 'evalPairs']);
if (parsed.help) { console.log(`node scripts/registration-ablation.mjs ${parsed.help}`); process.exit(0); }
const { spec, outDir, collectOnly, plan } = parsed;

// the shipped model's config, without the run's bookkeeping (data), is every row's base
const base = JSON.parse(fs.readFileSync(path.join(root, spec.initFrom, 'config.json'), 'utf8'));
delete base.data; delete base.initFrom; delete base.initGroup;
const run = (a, log) => { console.log(`$ node bin/i2p.js ${a.join(' ')}`); runI2p(root, a, log, 'inherit'); };

const evalName = `eval-${spec.evalPairs}`;
// a finished run's record: everything but the weights (checkpoint.json names a weights file the record does not hold)
// and the evaluation's pose files (its tables and per-pair errors are kept)
const RECORD = ['checkpoint.json', 'config.json', 'ablation-config.json', 'train.log', 'losses-rest.csv'];
for (const { row, seed } of plan) {
  const runDir = path.join('.cache', 'runs', `${spec.prefix}-${row.id}-s${seed}`), abs = path.join(root, runDir);
  const evalDir = path.join(abs, evalName), rec = path.join(outDir, 'runs', `${row.id}-s${seed}`);
  if (fs.existsSync(path.join(rec, evalName, 'registration.csv'))) continue; // recorded by an earlier call
  if (!collectOnly) {
    fs.mkdirSync(abs, { recursive: true });
    const log = path.join(abs, 'train.log'), cfgFile = path.join(abs, 'ablation-config.json');
    const state = runState(abs);
    if (!state) fs.writeFileSync(cfgFile, JSON.stringify({ extends: 'laptop', ...base, ...(row.config ?? {}), stage: 'rest', seed }, null, 1) + '\n');
    if (!state || state.step < spec.steps) {
      run(['register', 'train', '--data', spec.data, '--out', runDir, '--stage', 'rest', '--max-steps', String(spec.steps),
        ...(state ? ['--resume'] : ['--config', cfgFile, '--init-from', spec.initFrom, '--init-group', 'frustum'])], log); // --max-steps: the run's steps in total
    }
    if (!fs.existsSync(path.join(evalDir, 'registration.csv'))) run(['register', 'eval', '--run', runDir, '--data', spec.data, '--max-pairs', String(spec.evalPairs), '--out', evalDir], log);
  }
  const st = runState(abs);
  if (st && st.step >= spec.steps && fs.existsSync(path.join(evalDir, 'registration.csv'))) recordRun(abs, rec, RECORD, evalName, ['pairs.md']);
}
writeAblationTables(root, spec, outDir, 'register', ['--eval-dir', evalName]);
