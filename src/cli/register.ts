/**
 * `i2p register train`, `i2p register eval` and `i2p register ablation`: implicit-correspondence registration (ICL)
 * from the command line. Heavy modules load lazily inside the actions (no TensorFlow for `--help`).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { intOption } from './kitti-frame.js';
import { printTrainSummary } from './train-summary.js';
import { isRegistrationStage, REGISTRATION_STAGES, registrationStagesText } from '../registration/stages.js';

/** Adds `register train`, `register eval` and `register ablation` to the program. */
export function registerRegistrationCommands(program: Command): Command {
  const reg = program.command('register').description('Image-to-point-cloud registration with implicit correspondences (GPDM + ICLM + PRM)');
  reg.command('train')
    .description('train one stage (gpdm, then rest; or joint); checkpoints in the run folder')
    .requiredOption('--data <dir>', 'KITTI-layout root (real KITTI or the embedded data)')
    .option('--config <name|file>', "'laptop', 'paper', or a JSON file {\"extends\": \"laptop\", ...fields}", 'laptop')
    .requiredOption('--out <run>', 'run folder (checkpoint.json, checkpoints/)')
    .option('--stage <stage>', `${REGISTRATION_STAGES.join(' | ')} (a stage other than the checkpoint's starts from its weights)`)
    .option('--resume', 'continue exactly from <run>/checkpoint.json')
    .option('--epochs <n>', 'override the number of epochs')
    .option('--max-steps <n>', 'stop after n steps of this stage (a short run; the checkpoint then resumes it)')
    .option('--init-from <run>', "a fresh run starts with the encoders and GPDM of <run>'s checkpoint (stage rest of ablation variants)")
    .option('--init-group <group>', "what --init-from copies: gpdm (the encoders and GPDM), frustum (those and the bearing network) or all (every variable: fine-tune a trained model)")
    .action(async (o: { data: string; config: string; out: string; stage?: string; resume?: boolean; epochs?: string; maxSteps?: string; initFrom?: string; initGroup?: string }) => {
      const { loadRegistrationConfig } = await import('../registration/config.js');
      const { trainRegistration } = await import('../registration/train.js');
      if (o.stage !== undefined && !isRegistrationStage(o.stage)) throw new Error(`--stage: expected ${registrationStagesText()}, got '${o.stage}'`);
      const path = await import('node:path');
      const hasCheckpoint = fs.existsSync(path.join(o.out, 'checkpoint.json'));
      // the stage goes in before validation: a config with gpdm: false rejects the presets' stage 'gpdm'
      const config = o.resume || (hasCheckpoint && o.stage) ? undefined : loadRegistrationConfig(o.config, o.stage ? { stage: o.stage } : {});
      const t0 = Date.now();
      const r = await trainRegistration({
        dataRoot: o.data, runDir: o.out, config, stage: o.stage, resume: o.resume === true, initFrom: o.initFrom, initGroup: o.initGroup as 'gpdm' | 'frustum' | 'all' | undefined,
        epochs: intOption('epochs', o.epochs, 1), maxSteps: intOption('max-steps', o.maxSteps, 1),
        progress: (s) => {
          if (s.step % 10 === 0) console.error(`${s.stage} epoch ${s.epoch} step ${s.step} loss ${s.loss.toFixed(4)} ${Object.entries(s.parts).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' ')} ${s.pairsPerSec.toFixed(2)} pairs/s`);
        },
      });
      r.model.dispose();
      printTrainSummary(o.out, r, t0);
    });
  reg.command('eval')
    .description('RTE / RRE / Acc on the seeded test pairs (model; frustum pose alone when the run has GPDM); writes registration.md and .csv')
    .requiredOption('--run <run>', 'trained run folder')
    .requiredOption('--data <dir>', 'KITTI-layout root')
    .option('--out <dir>', 'output folder (default <run>/eval)')
    .option('--max-pairs <n>', 'only the first n test pairs')
    .option('--note <lines...>', 'notes listed under the markdown table (how it was made)')
    .option('--frustum-pose <head|fit>', "override the run's frustumPose: 'fit' searches the pose whose frustum agrees with the classifier")
    .option('--frustum-fit <json>', 'override fields of the run\'s frustumFit settings, e.g. \'{"logitOffset": 1.6}\'')
    .option('--sequences <ids...>', "test on these sequences instead of the config's test split (real KITTI 09 10; the embedded data's last drive)")
    .option('--pair-seed <n>', "seed of the test pairs' perturbations (default: the run's pair config's)")
    .action(async (o: { run: string; data: string; out?: string; maxPairs?: string; note?: string[]; frustumPose?: string; frustumFit?: string; sequences?: string[]; pairSeed?: string }) => {
      const { evaluateRegistration } = await import('../registration/evaluate.js');
      if (o.frustumPose !== undefined && o.frustumPose !== 'head' && o.frustumPose !== 'fit') throw new Error(`--frustum-pose: expected head or fit, got '${o.frustumPose}'`);
      let frustumFit: Record<string, unknown> | undefined;
      if (o.frustumFit !== undefined) {
        try { frustumFit = JSON.parse(o.frustumFit) as Record<string, unknown>; } catch (e) { throw new Error(`--frustum-fit: not JSON (${(e as Error).message}): ${o.frustumFit}`); }
      }
      const overrides = { ...(o.frustumPose ? { frustumPose: o.frustumPose as 'head' | 'fit' } : {}), ...(frustumFit ? { frustumFit } : {}) }; // frustumFit: only the named fields change
      const sequences = o.sequences?.map((v) => intOption('sequences', v, 0)!);
      const r = await evaluateRegistration({ runDir: o.run, dataRoot: o.data, outDir: o.out, maxPairs: intOption('max-pairs', o.maxPairs, 1), notes: o.note, overrides, sequences, pairSeed: intOption('pair-seed', o.pairSeed, 0) });
      process.stdout.write(r.markdown);
      console.error(`wrote ${r.outDir}/: registration.md/.csv, ${r.gpdm ? 'gpdm.md/.csv, ' : ''}pairs.md/.csv and poses-{final,frustum,gt}.txt (one row-major 3 x 4 camFromPoints a line, pair i on line i)`);
    });
  reg.command('ablation')
    .description('collect the registration ablation table from evaluated runs; writes ablation.md (with notes) and ablation.csv')
    .requiredOption('--spec <file>', 'JSON {"rows": [{"variant", "change", "runDir", "seed"?}], "notes": ["..."]}; with seeds also ablation-seeds.md (mean and std per variant)')
    .requiredOption('--out <dir>', 'output folder')
    .option('--eval-dir <name>', 'the folder under each run holding registration.csv', 'eval')
    .action(async (o: { spec: string; out: string; evalDir: string }) => {
      const { registrationAblationRows } = await import('../registration/ablation.js');
      const { readAblationSpec, writeAblationTable } = await import('./ablation-table.js');
      const spec = readAblationSpec(o.spec);
      const rows = registrationAblationRows(spec.rows, o.evalDir) as unknown as Record<string, unknown>[];
      process.stdout.write(writeAblationTable(o.out, rows, spec.notes, spec.rows, ['Acc (%)', 'RTE median (m)', 'RRE median (deg)', 'RTE mean (m)']));
    });
  return reg;
}
