/**
 * `i2p modalink train` and `i2p modalink eval`: ModaLink place recognition from the command
 * line. The heavy modules load lazily inside the actions (no TensorFlow for `--help`).
 */
import type { Command } from 'commander';
import { intOption } from './kitti-frame.js';
import { printTrainSummary } from './train-summary.js';

/** Adds `modalink train` and `modalink eval` to the program. */
export function registerModalinkCommands(program: Command): Command {
  const ml = program.command('modalink').description('ModaLink place recognition: image queries against a LiDAR (depth image) database');
  ml.command('train')
    .description('train with the lazy triplet loss; checkpoints in the run folder')
    .requiredOption('--data <dir>', 'KITTI-layout root (real KITTI or the embedded data)')
    .option('--config <name|file>', "'laptop', 'paper', or a JSON file {\"extends\": \"laptop\", ...fields} (ignored with --resume: the checkpoint's)", 'laptop')
    .requiredOption('--out <run>', 'run folder (checkpoint.json, checkpoints/, cache/)')
    .option('--protocol <p>', 'training split: synthetic (= synthetic-within: drive 00), towns (every drive of the --train-data towns), A or B', 'synthetic')
    .option('--train-data <dirs...>', "protocol towns: the training towns' roots (i2p generate --preset towns --seed N); on --resume, default: the run's config.json trainData")
    .option('--resume', 'continue exactly from <run>/checkpoint.json')
    .option('--epochs <n>', 'override the number of epochs')
    .option('--keep-checkpoint-every <n>', 'also keep the checkpoints of the steps divisible by n (snapshots for export-model --average; also on --resume)')
    .option('--hard-negatives <n>', 'mine n of the negatives per query at every epoch start (config hardNegatives; also on --resume: mining starts with the resumed epoch)')
    .option('--cache <dir>', 'packed frame cache, shared by runs on the same data (default <run>/cache)')
    .option('--pretrained <file.safetensors>', 'start the encoder(s) from a torchvision ResNet state dict (ImageNet; see the README)')
    .option('--init-from <run>', 'a fresh run starts from the model variables of <run> (a run or shipped model folder): fine-tuning with this --config, a fresh optimizer')
    .action(async (o: { data: string; config: string; out: string; protocol: string; trainData?: string[]; resume?: boolean; epochs?: string; keepCheckpointEvery?: string; hardNegatives?: string; cache?: string; pretrained?: string; initFrom?: string }) => {
      const { loadModaLinkConfig } = await import('../modalink/config.js');
      const { trainModaLink } = await import('../modalink/train.js');
      if (o.resume && o.pretrained) throw new Error('--pretrained: only when a run starts (a resumed run continues from its checkpoint)');
      if (o.initFrom && (o.resume || o.pretrained)) throw new Error('--init-from: only when a run starts, and not with --pretrained');
      const config = o.resume ? undefined : loadModaLinkConfig(o.config, o.pretrained ? { pretrainedEncoder: o.pretrained } : {});
      const { storedTrainRoots } = await import('../modalink/train.js');
      const trainRoots = o.trainData ?? (o.resume ? storedTrainRoots(o.out) : undefined);
      const t0 = Date.now();
      const r = await trainModaLink({
        dataRoot: o.data, runDir: o.out, config, cacheDir: o.cache, protocol: o.protocol as 'synthetic', trainRoots, resume: o.resume === true, initFrom: o.initFrom,
        epochs: intOption('epochs', o.epochs, 1), keepCheckpointEverySteps: intOption('keep-checkpoint-every', o.keepCheckpointEvery, 0), hardNegatives: intOption('hard-negatives', o.hardNegatives, 0),
        onMined: (m) => console.error(`epoch ${m.epoch}: hard negatives ${m.reloaded ? 'reloaded (mined' : 'mined'} in ${m.seconds.toFixed(0)} s${m.reloaded ? ')' : ''}`), progress: process.stderr.isTTY ? 'bar' : (s) => {
          if (s.step % 10 === 0) console.error(`epoch ${s.epoch} step ${s.step} loss ${s.loss.toFixed(4)} (triplet ${s.triplet.toFixed(4)}, mid ${s.mid.toFixed(4)}) ${s.imagesPerSec.toFixed(1)} img/s`);
        },
      });
      r.model.dispose();
      printTrainSummary(o.out, r, t0);
    });
  ml.command('eval')
    .description('Recall@1/@5/@1% within 10 m, with chance and untrained baselines; writes recall.md and recall.csv')
    .requiredOption('--run <run>', 'trained run folder')
    .requiredOption('--data <dir>', 'KITTI-layout root')
    .requiredOption('--protocol <p>', 'synthetic (held-out drives vs the database drive 00), synthetic-within (each held-out drive against its own scans, protocol B rule), towns (each drive of an unseen town against its own scans, B rule), A or B')
    .option('--out <dir>', 'output folder (default <run>/eval-<protocol>)')
    .option('--compare <runs...>', 'other runs in the same table (e.g. a sharedEncoder=false run)')
    .option('--no-untrained', 'skip the untrained-network baseline')
    .option('--cache <dir>', 'packed frame cache (default <run>/cache)')
    .option('--note <lines...>', 'notes listed under the markdown table (how it was made)')
    .action(async (o: { run: string; data: string; protocol: string; out?: string; compare?: string[]; untrained: boolean; cache?: string; note?: string[] }) => {
      const { evaluateRun } = await import('../modalink/evaluate.js');
      const { PROTOCOLS } = await import('../modalink/splits.js');
      if (!(PROTOCOLS as readonly string[]).includes(o.protocol)) throw new Error(`--protocol: expected ${PROTOCOLS.join(', ')}, got '${o.protocol}'`);
      const r = await evaluateRun({ runDir: o.run, dataRoot: o.data, protocol: o.protocol as 'A', outDir: o.out, compareRuns: o.compare, noUntrained: !o.untrained, cacheDir: o.cache, notes: o.note, log: (l) => console.error(l) });
      process.stdout.write(r.markdown);
      console.error(`wrote ${r.outDir}/recall.md and recall.csv`);
    });
  ml.command('calibration')
    .description('Recall@1 within one drive with the depth images projected through a wrong calibration (1-10 cm, 0.1-1 deg, seeded directions); writes calibration.md and .csv')
    .requiredOption('--run <run>', 'trained run folder')
    .requiredOption('--data <dir>', 'KITTI-layout root')
    .requiredOption('--out <dir>', 'output folder')
    .option('--seq <n>', 'the drive tested within', '0')
    .option('--directions <n>', 'seeded directions per magnitude', '3')
    .option('--seed <n>', 'seed of the directions', '0')
    .option('--cache <dir>', 'packed frame cache of the unperturbed view')
    .action(async (o: { run: string; data: string; out: string; seq: string; directions: string; seed: string; cache?: string }) => {
      const { writeCalibrationTables } = await import('../modalink/calibration-robustness.js');
      const md = await writeCalibrationTables({ runDir: o.run, dataRoot: o.data, seq: intOption('seq', o.seq, 0), directions: intOption('directions', o.directions, 1), seed: intOption('seed', o.seed, 0), cacheDir: o.cache, log: (l) => console.error(l) }, o.out);
      process.stdout.write(md);
    });
  ml.command('ablation')
    .description('collect an ablation table from evaluated runs; writes ablation.md (with notes) and ablation.csv')
    .requiredOption('--spec <file>', 'JSON {"rows": [{"variant", "change", "runDir", "seed"?}], "notes": ["..."]}; with seeds also ablation-seeds.md (mean and std per variant)')
    .requiredOption('--out <dir>', 'output folder')
    .option('--protocol <p>', 'which eval-<protocol> folder to read', 'synthetic')
    .action(async (o: { spec: string; out: string; protocol: string }) => {
      const { ablationRows } = await import('../modalink/ablation.js');
      const { readAblationSpec, writeAblationTable } = await import('./ablation-table.js');
      const spec = readAblationSpec(o.spec);
      const rows = ablationRows(spec.rows, o.protocol) as unknown as Record<string, unknown>[];
      process.stdout.write(writeAblationTable(o.out, rows, spec.notes, spec.rows, ['recall@1', 'recall@1%']));
    });
  return ml;
}
