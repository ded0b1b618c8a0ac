// `node scripts/train-registration.mjs --run <dir> --data <root> --stage <gpdm|rest|joint|bearing> --epochs <E>
//    [--config <name|file>] [--init-from <run> [--init-group gpdm|frustum|all]] [--eval-pairs 200] [--fit] [--patience 0]`
// Trains one stage of a registration run epoch by epoch and evaluates it on held-out pairs
// after every epoch, so the training log has held-out metrics per epoch:
// `<run>/heldout-<stage>.csv` (epoch, steps, wall seconds, classifier AUC and P / R, its heading and
// radial diagnostics (gpdm-metrics.ts: front_auc, near_auc), mask P / R,
// frustum pose and final pose RTE / RRE medians and Acc; the pose fitted to the classifier too when the
// run's config has frustumPose 'fit' or with --fit). Every call continues where the run folder stands (exact resume; an epoch already
// evaluated is not evaluated again), so it can be stopped and restarted at any time.
// --patience k stops after k epochs without a better held-out Acc (the final pose's; stage gpdm:
// the fitted frustum pose's when evaluated, else the head's; stage bearing: the frustum pose's), ties broken by the median RTE; 0 = run all E.
// --init-from <run>: a fresh run folder starts with the encoders and GPDM of <run>'s checkpoint (--init-group frustum: and the bearing network; all: every variable).
// The best epoch's checkpoint so far is kept in `<run>/best-<stage>/` (a run folder: eval and export read it).
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
const run = opt('run'), data = opt('data'), stage = opt('stage'), epochs = Number(opt('epochs')), config = opt('config', 'laptop');
const initFrom = opt('init-from'), initGroup = opt('init-group'), evalPairs = Number(opt('eval-pairs', '200')), fit = argv.includes('--fit'), patience = Number(opt('patience', '0'));
if (!run || !data || !['gpdm', 'rest', 'joint', 'bearing'].includes(stage) || !(epochs >= 1)) {
  console.error('usage: node scripts/train-registration.mjs --run <dir> --data <root> --stage <gpdm|rest|joint|bearing> --epochs <E> [--config laptop] [--init-from <run> [--init-group gpdm|frustum|all]] [--eval-pairs 200] [--fit] [--patience k]');
  process.exit(2);
}

const i2p = (args, log) => runI2p(root, args, log);
const state = () => (fs.existsSync(path.join(run, 'checkpoint.json')) ? JSON.parse(fs.readFileSync(path.join(run, 'checkpoint.json'), 'utf8')) : null);

fs.mkdirSync(run, { recursive: true });
const log = path.join(run, `train-${stage}.log`), heldout = path.join(run, `heldout-${stage}.csv`);
const COLUMNS = ['epoch', 'steps', 'train_s', 'cls_auc', 'cls_precision_pct', 'cls_recall_pct', 'front_auc', 'near_auc', 'mask_precision_pct', 'mask_recall_pct',
  'frustum_rte_median_m', 'frustum_rre_median_deg', 'frustum_acc_pct', 'final_rte_median_m', 'final_rre_median_deg', 'final_acc_pct',
  'fit_rte_median_m', 'fit_rre_median_deg', 'fit_acc_pct'];
openHeldoutLog(heldout, COLUMNS, readCsv);
const done = () => readCsv(heldout);
const score = (r) => {
  const src = stage === 'bearing' ? 'frustum' : stage !== 'gpdm' ? 'final' : r.fit_acc_pct !== '' ? 'fit' : 'frustum';
  return [Number(r[`${src}_acc_pct`]), -Number(r[`${src}_rte_median_m`])];
};
const better = (a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

for (let e = 1; e <= epochs; e++) {
  if (done().some((r) => Number(r.epoch) === e)) continue;
  const s = state();
  const sameStage = s && s.config.stage === stage;
  let trainS = 0;
  if (!(sameStage && s.epoch >= e)) {
    const args = ['register', 'train', '--data', data, '--out', run, '--stage', stage, '--epochs', String(e)];
    trainS = i2p(sameStage ? [...args, '--resume'] : s ? args : [...args, '--config', config, ...(initFrom ? ['--init-from', initFrom, ...(initGroup ? ['--init-group', initGroup] : [])] : [])], log);
  }
  const st = state(), dir = path.join(run, 'heldout', `${stage}-epoch-${String(e).padStart(3, '0')}`);
  i2p(['register', 'eval', '--run', run, '--data', data, '--max-pairs', String(evalPairs), '--out', dir], log);
  const rows = readCsv(path.join(dir, 'registration.csv')), g = readCsv(path.join(dir, 'gpdm.csv'))[0];
  const fr = rows.find((r) => r.method === 'frustum pose from the bearing network') ?? rows.find((r) => r.method === 'frustum pose alone (GPDM)' || r.method === 'frustum pose of the GPDM head'), fi = rows.find((r) => r.method.startsWith('ICL'));
  let f = rows.find((r) => r.method === 'frustum pose fitted to the classifier') ?? null; // present when the run's config fits the frustum pose
  if (fit && !f) {
    i2p(['register', 'eval', '--run', run, '--data', data, '--max-pairs', String(evalPairs), '--out', `${dir}-fit`, '--frustum-pose', 'fit'], log);
    f = readCsv(path.join(`${dir}-fit`, 'registration.csv')).find((r) => r.method === 'frustum pose fitted to the classifier');
  }
  const row = [e, st.step, trainS.toFixed(0), g.clsAuc, g.clsPrecisionPct, g.clsRecallPct, g.frontAuc, g.nearAuc, g.maskPrecisionPct, g.maskRecallPct,
    fr.rteMedian, fr.rreMedian, fr.accuracyPct, fi.rteMedian, fi.rreMedian, fi.accuracyPct, f?.rteMedian ?? '', f?.rreMedian ?? '', f?.accuracyPct ?? ''];
  fs.appendFileSync(heldout, row.join(',') + '\n');
  console.log(`${stage} epoch ${e}: ${COLUMNS.map((k, i) => `${k} ${row[i]}`).join(', ')}`);
  const all = done(), best = all.reduce((b, r) => (better(score(r), score(b)) ? r : b), all[0]);
  if (Number(best.epoch) === e) keepBestCheckpoint(run, st, `best-${stage}`); // the best epoch's checkpoint as a run folder of its own
  if (patience > 0) {
    if (Number(all[all.length - 1].epoch) - Number(best.epoch) >= patience) { console.log(`no better held-out result for ${patience} epochs (best: epoch ${best.epoch}); stopping`); break; }
  }
}
