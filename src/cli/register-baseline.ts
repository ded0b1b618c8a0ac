/**
 * `i2p register baseline-train` and `i2p register baseline-eval`: the explicit-matching
 * baseline (per-pixel / per-point descriptors, in-frustum classifier, nearest-feature
 * matches, EPnP inside RANSAC). Heavy modules load lazily inside the actions.
 */
import type { Command } from 'commander';
import { intOption, probabilityOption } from './kitti-frame.js';
import { printTrainSummary } from './train-summary.js';

/** Adds `baseline-train` and `baseline-eval` under the `register` command. */
export function registerBaselineCommands(register: Command): Command {
  register.command('baseline-train')
    .description('train the explicit-matching baseline (in-frustum BCE + InfoNCE); checkpoints in the run folder')
    .requiredOption('--data <dir>', 'KITTI-layout root (real KITTI or the embedded data)')
    .option('--config <name|file>', "'laptop', 'paper', or a JSON file {\"extends\": \"laptop\", \"registration\": {...}, ...fields}", 'laptop')
    .requiredOption('--out <run>', 'run folder (checkpoint.json, checkpoints/)')
    .option('--resume', 'continue exactly from <run>/checkpoint.json')
    .option('--epochs <n>', 'override the number of epochs')
    .option('--max-steps <n>', 'stop after n steps (a short run; the checkpoint then resumes it)')
    .action(async (o: { data: string; config: string; out: string; resume?: boolean; epochs?: string; maxSteps?: string }) => {
      const { loadExplicitBaselineConfig, trainExplicitBaseline } = await import('../registration/baseline/index.js');
      const t0 = Date.now();
      const r = await trainExplicitBaseline({
        dataRoot: o.data, runDir: o.out, config: o.resume ? undefined : loadExplicitBaselineConfig(o.config), resume: o.resume === true,
        epochs: intOption('epochs', o.epochs, 1), maxSteps: intOption('max-steps', o.maxSteps, 1),
        progress: (s) => {
          if (s.step % 10 === 0) console.error(`epoch ${s.epoch} step ${s.step} loss ${s.loss.toFixed(4)} cls ${s.cls.toFixed(3)} contrastive ${s.contrastive.toFixed(3)} ${s.pairsPerSec.toFixed(2)} pairs/s`);
        },
      });
      r.model.dispose();
      printTrainSummary(o.out, r, t0);
    });
  register.command('baseline-eval')
    .description('RTE / RRE / Acc of the baseline on the seeded test pairs (PnP failures scored at the identity pose); with --icl-run, one table with the ICL model')
    .requiredOption('--run <run>', 'trained baseline run folder')
    .requiredOption('--data <dir>', 'KITTI-layout root')
    .option('--icl-run <run>', 'an ICL run to score on the same pairs (writes registration.md / .csv with both)')
    .option('--out <dir>', 'output folder (default <run>/eval)')
    .option('--max-pairs <n>', 'only the first n test pairs')
    .option('--ransac-iterations <n>', 'RANSAC iterations (default: the run\'s config, 500 as CorrI2P)')
    .option('--in-frustum-threshold <p>', 'keep the points whose in-frustum probability exceeds p, in (0, 1) (default: the run\'s config, 0.5)')
    .option('--note <lines...>', 'notes listed under the combined markdown table (how it was made)')
    .action(async (o: { run: string; data: string; iclRun?: string; out?: string; maxPairs?: string; ransacIterations?: string; inFrustumThreshold?: string; note?: string[] }) => {
      const path = await import('node:path');
      const { evaluateExplicitBaseline } = await import('../registration/baseline/index.js');
      const outDir = o.out ?? path.join(o.run, 'eval');
      const maxPairs = intOption('max-pairs', o.maxPairs, 1);
      const ransacIterations = intOption('ransac-iterations', o.ransacIterations, 1, 1_000_000);
      const inFrustumThreshold = probabilityOption('in-frustum-threshold', o.inFrustumThreshold);
      const predict = { ...(ransacIterations !== undefined ? { ransacIterations } : {}), ...(inFrustumThreshold !== undefined ? { inFrustumThreshold } : {}) };
      const b = await evaluateExplicitBaseline({ runDir: o.run, dataRoot: o.data, maxPairs, outDir, predict });
      process.stdout.write(b.markdown);
      console.error(`PnP failures (scored at the identity pose): ${b.failures} of ${b.row.pairs}; wrote ${outDir}/baseline.md and baseline.csv`);
      if (o.iclRun) {
        const { evaluateRegistration } = await import('../registration/evaluate.js');
        const r = await evaluateRegistration({ runDir: o.iclRun, dataRoot: o.data, outDir, maxPairs, extra: [b.extra], notes: o.note });
        process.stdout.write('\n' + r.markdown);
        console.error(`wrote ${r.outDir}/registration.md and registration.csv`);
      }
    });
  return register;
}
