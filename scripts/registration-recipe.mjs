// `node scripts/registration-recipe.mjs [spec] [--collect-only]`: the stage-1 recipe table of
// issue 11. For every row of the spec (default experiments/registration-recipe.json) it trains
// stage 'gpdm' of `config` for `steps` steps (same seed, same data) into `.cache/runs/<id>`
// unless the checkpoint is there, evaluates it on the first `evalPairs` seeded test pairs
// unless `<run>/eval-<evalPairs>/gpdm.csv` exists, then writes `<out>/recipe.md` and `.csv`:
// classifier ROC AUC and precision / recall, geometric-mask precision / recall, frustum-pose
// RTE / RRE / Acc (the GPDM head's, and the pose fitted to the classifier, registration/frustum-fit.ts,
// from a second evaluation into `<run>/eval-<evalPairs>-fit`) and seconds per step, one row per variant. A row that did not run stays
// empty and says so; nothing is filled in. Runs one training at a time (2-core machines).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsv } from './lib/csv.mjs';
import { runI2p } from './lib/i2p-run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const specFile = path.resolve(root, args.find((a) => !a.startsWith('--')) ?? 'experiments/registration-recipe.json');
const collectOnly = args.includes('--collect-only');
const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
for (const k of ['data', 'steps', 'evalPairs', 'out', 'rows']) if (spec[k] === undefined) throw new Error(`${specFile}: missing field '${k}'`);


function run(args, log) {
  console.log(`$ node bin/i2p.js ${args.join(' ')}`);
  runI2p(root, args, log, 'inherit');
}

const rows = [];
for (const row of spec.rows) {
  for (const k of ['id', 'variant', 'change', 'config']) if (typeof row[k] !== 'string') throw new Error(`${specFile}: rows: expected a string '${k}' in ${JSON.stringify(row)}`);
  const runDir = path.join(root, '.cache', 'runs', row.id), evalDir = path.join(runDir, `eval-${spec.evalPairs}`);
  const state = fs.existsSync(path.join(runDir, 'checkpoint.json')) ? JSON.parse(fs.readFileSync(path.join(runDir, 'checkpoint.json'), 'utf8')) : null;
  if (!collectOnly) {
    fs.mkdirSync(runDir, { recursive: true });
    const log = path.join(runDir, 'train.log');
    if (!state || state.step < spec.steps) {
      run(['register', 'train', '--data', spec.data, '--config', row.config, '--out', runDir, '--stage', 'gpdm',
        ...(state ? ['--resume'] : []), '--max-steps', String(spec.steps)], log); // --max-steps counts the run's steps in total
    }
    if (!fs.existsSync(path.join(evalDir, 'gpdm.csv')) || !fs.readFileSync(path.join(evalDir, 'gpdm.csv'), 'utf8').includes('frontAuc')) { // missing, or made before the diagnostics
      run(['register', 'eval', '--run', runDir, '--data', spec.data, '--max-pairs', String(spec.evalPairs), '--out', evalDir], log);
    }
    if (!fs.existsSync(path.join(`${evalDir}-fit`, 'registration.csv'))) {
      run(['register', 'eval', '--run', runDir, '--data', spec.data, '--max-pairs', String(spec.evalPairs), '--out', `${evalDir}-fit`, '--frustum-pose', 'fit'], log);
    }
  }
  const out = { variant: row.variant, change: row.change, status: 'not run', steps: null, 's/step': null, 'cls AUC': null, 'cls P (%)': null, 'cls R (%)': null, 'front AUC': null, 'near AUC': null,
    'mask P (%)': null, 'mask R (%)': null, 'frustum RTE mean (m)': null, 'RTE median (m)': null, 'RRE mean (deg)': null, 'RRE median (deg)': null, 'Acc (%)': null,
    'fit RTE median (m)': null, 'fit RRE median (deg)': null, 'fit Acc (%)': null };
  const losses = path.join(runDir, 'losses-gpdm.csv');
  if (fs.existsSync(path.join(evalDir, 'gpdm.csv')) && fs.existsSync(losses)) {
    const g = readCsv(path.join(evalDir, 'gpdm.csv'))[0], f = readCsv(path.join(evalDir, 'registration.csv')).find((r) => r.method === 'frustum pose alone (GPDM)');
    const l = readCsv(losses), pairsPerS = l.slice(1).map((r) => Number(r.pairs_per_s)), batch = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8')).batchSize;
    const num = (x) => Number(x);
    const fitCsv = path.join(`${evalDir}-fit`, 'registration.csv');
    const fit = fs.existsSync(fitCsv) ? readCsv(fitCsv).find((r) => r.method === 'frustum pose fitted to the classifier') : null;
    if (fit) Object.assign(out, { 'fit RTE median (m)': Number(fit.rteMedian), 'fit RRE median (deg)': Number(fit.rreMedian), 'fit Acc (%)': Number(fit.accuracyPct) });
    Object.assign(out, {
      status: 'measured', steps: l.length, 's/step': batch / (pairsPerS.reduce((s, x) => s + x, 0) / pairsPerS.length),
      'cls AUC': num(g.clsAuc), 'cls P (%)': num(g.clsPrecisionPct), 'cls R (%)': num(g.clsRecallPct), 'front AUC': g.frontAuc === undefined ? null : num(g.frontAuc), 'near AUC': g.nearAuc === undefined ? null : num(g.nearAuc), 'mask P (%)': num(g.maskPrecisionPct), 'mask R (%)': num(g.maskRecallPct),
      'frustum RTE mean (m)': num(f.rteMean), 'RTE median (m)': num(f.rteMedian), 'RRE mean (deg)': num(f.rreMean), 'RRE median (deg)': num(f.rreMedian), 'Acc (%)': num(f.accuracyPct),
    });
  }
  rows.push(out);
}

const fmt = (v) => (v === null ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 1 : Math.abs(v) >= 1 ? 2 : 3)) : String(v));
const keys = Object.keys(rows[0]);
const md = [`| ${keys.join(' | ')} |`, `|${keys.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${keys.map((k) => fmt(r[k])).join(' | ')} |`)].join('\n')
  + `\n\n${(spec.notes ?? []).map((n) => `- ${n}`).join('\n')}\n`;
const csv = [keys.join(','), ...rows.map((r) => keys.map((k) => (r[k] === null ? '' : String(r[k]).includes(',') ? `"${r[k]}"` : String(r[k]))).join(','))].join('\n') + '\n';
const outDir = path.resolve(root, spec.out);
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'recipe.md'), md);
fs.writeFileSync(path.join(outDir, 'recipe.csv'), csv);
process.stdout.write(md);
