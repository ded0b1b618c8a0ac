// `node scripts/train-baseline.mjs --run <dir> --data <root> --epochs <E> [--config laptop] [--eval-pairs 200] [--patience 0]`
// Trains the explicit-matching baseline (descriptors + EPnP-RANSAC) epoch by epoch and evaluates it on the
// first held-out test pairs after every epoch, so its training log has held-out metrics per epoch:
// `<run>/heldout-baseline.csv` (epoch, steps, wall seconds, RTE mean / median, RRE median, Acc, PnP
// failures, mean matches and inliers; the classifier's precision and recall, and the share of matches
// within one cell of their true projection, of all kept points and of those truly in view: what limits
// PnP). Every call continues where the run folder stands (exact resume; an epoch already evaluated is
// not evaluated again), so it can be stopped and restarted at any time.
// --patience k stops after k epochs without a better held-out Acc (ties broken by the median RTE); 0 = run all E.
// The best epoch's checkpoint so far is kept in `<run>/best-baseline/` (a run folder: baseline-eval reads it).
// The epoch count only sets where the loop stops: the learning rate decays per epoch, so E epochs
// in one call or in E calls are the same run.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsv } from './lib/csv.mjs';
import { runI2p } from './lib/i2p-run.mjs';
import { keepBestCheckpoint, openHeldoutLog } from './lib/best-run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2), opt = (k, d) => { const i = argv.indexOf(`--${k}`); return i < 0 ? d : argv[i + 1]; };
const run = opt('run'), data = opt('data'), epochs = Number(opt('epochs')), config = opt('config', 'laptop');
const evalPairs = Number(opt('eval-pairs', '200')), patience = Number(opt('patience', '0'));
if (!run || !data || !(epochs >= 1) || !(evalPairs >= 1) || !(patience >= 0)) {
  console.error('usage: node scripts/train-baseline.mjs --run <dir> --data <root> --epochs <E> [--config laptop] [--eval-pairs 200] [--patience k]');
  process.exit(2);
}

const state = () => (fs.existsSync(path.join(run, 'checkpoint.json')) ? JSON.parse(fs.readFileSync(path.join(run, 'checkpoint.json'), 'utf8')) : null);
fs.mkdirSync(run, { recursive: true });
const log = path.join(run, 'train-baseline.log'), heldout = path.join(run, 'heldout-baseline.csv');
const COLUMNS = ['epoch', 'steps', 'train_s', 'rte_mean_m', 'rte_median_m', 'rre_median_deg', 'acc_pct', 'pnp_failures', 'mean_matches', 'mean_inliers',
  'cls_precision', 'cls_recall', 'correct_share', 'correct_share_in_view'];
openHeldoutLog(heldout, COLUMNS, readCsv);
const done = () => readCsv(heldout);
const score = (r) => [Number(r.acc_pct), -Number(r.rte_median_m)];
const better = (a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

for (let e = 1; e <= epochs; e++) {
  if (done().some((r) => Number(r.epoch) === e)) continue;
  const s = state();
  let trainS = 0;
  if (!(s && s.epoch >= e)) {
    const args = ['register', 'baseline-train', '--data', data, '--out', run, '--epochs', String(e)];
    trainS = runI2p(root, s ? [...args, '--resume'] : [...args, '--config', config], log);
  }
  const st = state(), dir = path.join(run, 'heldout', `baseline-epoch-${String(e).padStart(3, '0')}`);
  runI2p(root, ['register', 'baseline-eval', '--run', run, '--data', data, '--max-pairs', String(evalPairs), '--out', dir], log);
  const b = readCsv(path.join(dir, 'baseline.csv'))[0];
  const row = [e, st.step, trainS.toFixed(0), b.rteMean, b.rteMedian, b.rreMedian, b.accuracyPct, b.pnpFailures, b.meanMatches, b.meanInliers,
    b.clsPrecision, b.clsRecall, b.correctShare, b.correctShareInView];
  fs.appendFileSync(heldout, row.join(',') + '\n');
  console.log(`baseline epoch ${e}: ${COLUMNS.map((k, i) => `${k} ${row[i]}`).join(', ')}`);
  const all = done(), best = all.reduce((x, r) => (better(score(r), score(x)) ? r : x), all[0]);
  if (Number(best.epoch) === e) keepBestCheckpoint(run, st, 'best-baseline');
  if (patience > 0 && Number(all[all.length - 1].epoch) - Number(best.epoch) >= patience) {
    console.log(`no better held-out result for ${patience} epochs (best: epoch ${best.epoch}); stopping`);
    break;
  }
}
