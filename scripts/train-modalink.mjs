// `node scripts/train-modalink.mjs --run <dir> --data <test town> --train-data <town...> --val-data <town> --epochs <E>
//    [--config <name|file>] [--cache <dir>] [--patience 0] [--keep-checkpoint-every n] [--hard-negatives n]`
// Trains a ModaLink run on protocol `towns` epoch by epoch and scores it after every epoch on a
// VALIDATION town (another seed, never trained on, not the test town): each drive against its own
// scans (protocol B's rule, 10 m), so the training log has held-out recall per epoch:
// `<run>/heldout-modalink.csv` (epoch, steps, wall seconds of training, Recall@1 per validation
// drive, and Recall@1 / @5 / @1% over all its queries). Every call continues where the run folder
// stands (exact resume; an epoch already scored is not scored again), so it can be stopped and
// restarted at any time. --patience k stops after k epochs without a better validation Recall@1
// (ties: Recall@1%); 0 = run all E. The best epoch's checkpoint is kept in `<run>/best-modalink/`.
// --keep-checkpoint-every n keeps the checkpoints of the steps divisible by n (snapshots for
// `i2p export-model --average`; it does not change training, so it may be added on a resume).
// --hard-negatives n mines n of each query's negatives at every epoch start (config hardNegatives); given on a
// resume it switches mining on from the resumed epoch (the run's config records it).
// The test town (--data) is only recorded here; score it with `i2p modalink eval --protocol towns`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsv } from './lib/csv.mjs';
import { runI2p } from './lib/i2p-run.mjs';
import { keepBestCheckpoint, openHeldoutLog } from './lib/best-run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2), opt = (k, d) => { const i = argv.indexOf(`--${k}`); return i < 0 ? d : argv[i + 1]; };
const list = (k) => { const i = argv.indexOf(`--${k}`); if (i < 0) return []; const out = []; for (let j = i + 1; j < argv.length && !argv[j].startsWith('--'); j++) out.push(argv[j]); return out; };
const run = opt('run'), data = opt('data'), val = opt('val-data'), trainData = list('train-data'), epochs = Number(opt('epochs'));
const config = opt('config', 'laptop'), cache = opt('cache', path.join(run ?? '.', 'cache')), patience = Number(opt('patience', '0')), keep = opt('keep-checkpoint-every'), hard = opt('hard-negatives');
if (!run || !data || !val || trainData.length === 0 || !(epochs >= 1)) {
  console.error('usage: node scripts/train-modalink.mjs --run <dir> --data <test town> --train-data <town...> --val-data <town> --epochs <E> [--config laptop] [--cache <dir>] [--patience k] [--keep-checkpoint-every n] [--hard-negatives n]');
  process.exit(2);
}
for (const d of [data, val, ...trainData]) if (!fs.existsSync(path.join(d, 'sequences'))) { console.error(`${d}: no sequences/ folder (generate it: i2p generate --preset towns --seed N --out ${d})`); process.exit(2); }

const i2p = (args, log) => runI2p(root, args, log);
const state = () => (fs.existsSync(path.join(run, 'checkpoint.json')) ? JSON.parse(fs.readFileSync(path.join(run, 'checkpoint.json'), 'utf8')) : null);
fs.mkdirSync(run, { recursive: true });
const log = path.join(run, 'train-modalink.log'), heldout = path.join(run, 'heldout-modalink.csv');
const valSeqs = fs.readdirSync(path.join(val, 'sequences')).filter((s) => /^\d\d$/.test(s)).sort();
const COLUMNS = ['epoch', 'steps', 'train_s', ...valSeqs.map((s) => `r1_${s}`), 'r1_all', 'r5_all', 'r1pct_all'];
openHeldoutLog(heldout, COLUMNS, readCsv);
const score = (r) => [Number(r.r1_all), Number(r.r1pct_all)];
const better = (a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

for (let e = 1; e <= epochs; e++) {
  if (readCsv(heldout).some((r) => Number(r.epoch) === e)) continue;
  const s = state();
  let trainS = 0;
  if (!(s && s.epoch >= e)) {
    const args = ['modalink', 'train', '--data', data, '--out', run, '--protocol', 'towns', '--train-data', ...trainData, '--epochs', String(e), '--cache', cache, ...(keep ? ['--keep-checkpoint-every', keep] : []), ...(hard ? ['--hard-negatives', hard] : [])];
    trainS = i2p(s ? [...args, '--resume'] : [...args, '--config', config], log);
  }
  const st = state(), dir = path.join(run, 'heldout', `epoch-${String(e).padStart(3, '0')}`);
  i2p(['modalink', 'eval', '--run', run, '--data', val, '--protocol', 'towns', '--no-untrained', '--cache', cache, '--out', dir], log);
  const rows = readCsv(path.join(dir, 'recall.csv')).filter((r) => r.method === 'ModaLink (trained)');
  const of = (t) => rows.find((r) => r.test === t) ?? (() => { throw new Error(`${dir}/recall.csv: no row for test '${t}'`); })();
  const all = valSeqs.length > 1 ? of('all') : of(`${valSeqs[0]} within`);
  const row = [e, st.step, trainS.toFixed(0), ...valSeqs.map((q) => of(`${q} within`)['recall@1']), all['recall@1'], all['recall@5'], all['recall@1%']];
  fs.appendFileSync(heldout, row.join(',') + '\n');
  console.log(`epoch ${e}: ${COLUMNS.map((k, i) => `${k} ${row[i]}`).join(', ')}`);
  const done = readCsv(heldout), best = done.reduce((b, r) => (better(score(r), score(b)) ? r : b), done[0]);
  if (Number(best.epoch) === e) keepBestCheckpoint(run, st, 'best-modalink');
  if (patience > 0 && Number(done[done.length - 1].epoch) - Number(best.epoch) >= patience) { console.log(`no better validation Recall@1 for ${patience} epochs (best: epoch ${best.epoch}); stopping`); break; }
}
