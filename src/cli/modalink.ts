/**
 * `i2p modalink train` and `i2p modalink eval`: ModaLink place recognition from the command
 * line. The heavy modules load lazily inside the actions (no TensorFlow for `--help`).
 */
import type { Command } from 'commander';
import { intOption } from './kitti-frame.js';

/** Adds `modalink train` and `modalink eval` to the program. */
export function registerModalinkCommands(program: Command): Command {
  const ml = program.command('modalink').description('ModaLink place recognition: image queries against a LiDAR (depth image) database');
  ml.command('train')
    .description('train with the lazy triplet loss; checkpoints in the run folder')
    .requiredOption('--data <dir>', 'KITTI-layout root (real KITTI or the embedded data)')
    .requiredOption('--config <name|file>', "'laptop', 'paper', or a JSON file {\"extends\": \"laptop\", ...fields}")
    .requiredOption('--out <run>', 'run folder (checkpoint.json, checkpoints/, cache/)')
    .option('--protocol <p>', 'training split: synthetic, A or B', 'synthetic')
    .option('--resume', 'continue exactly from <run>/checkpoint.json')
    .option('--epochs <n>', 'override the number of epochs')
    .action(async (o: { data: string; config: string; out: string; protocol: string; resume?: boolean; epochs?: string }) => {
      const { loadModaLinkConfig } = await import('../modalink/config.js');
      const { trainModaLink } = await import('../modalink/train.js');
      const config = o.resume ? undefined : loadModaLinkConfig(o.config);
      const t0 = Date.now();
      const r = await trainModaLink({
        dataRoot: o.data, runDir: o.out, config, protocol: o.protocol as 'synthetic', resume: o.resume === true,
        epochs: intOption('epochs', o.epochs, 1), progress: process.stderr.isTTY ? 'bar' : (s) => {
          if (s.step % 10 === 0) console.error(`epoch ${s.epoch} step ${s.step} loss ${s.loss.toFixed(4)} (triplet ${s.triplet.toFixed(4)}, mid ${s.mid.toFixed(4)}) ${s.imagesPerSec.toFixed(1)} img/s`);
        },
      });
      r.model.dispose();
      const last = r.losses.slice(-10);
      console.log(JSON.stringify({ run: o.out, steps: r.steps, epochs: r.epochs, seconds: (Date.now() - t0) / 1000, meanLossLast10: last.length ? last.reduce((a, b) => a + b, 0) / last.length : null }));
    });
  ml.command('eval')
    .description('Recall@1/@5/@1% within 10 m, with chance and untrained baselines; writes recall.md and recall.csv')
    .requiredOption('--run <run>', 'trained run folder')
    .requiredOption('--data <dir>', 'KITTI-layout root')
    .requiredOption('--protocol <p>', 'synthetic, A or B')
    .option('--out <dir>', 'output folder (default <run>/eval-<protocol>)')
    .option('--compare <runs...>', 'other runs in the same table (e.g. a sharedEncoder=false run)')
    .option('--no-untrained', 'skip the untrained-network baseline')
    .action(async (o: { run: string; data: string; protocol: string; out?: string; compare?: string[]; untrained: boolean }) => {
      const { evaluateRun } = await import('../modalink/evaluate.js');
      if (!['synthetic', 'A', 'B'].includes(o.protocol)) throw new Error(`--protocol: expected synthetic, A or B, got '${o.protocol}'`);
      const r = await evaluateRun({ runDir: o.run, dataRoot: o.data, protocol: o.protocol as 'A', outDir: o.out, compareRuns: o.compare, noUntrained: !o.untrained });
      process.stdout.write(r.markdown);
      console.error(`wrote ${r.outDir}/recall.md and recall.csv`);
    });
  return ml;
}
