/**
 * The `i2p` command line: one sub-command per file, loaded lazily so that `--help`
 * answers without starting TensorFlow.
 */
import { Command } from 'commander';
import { packageVersion } from '../core/package-info.js';
import { registerModalinkCommands } from './modalink.js';
import { registerRegistrationCommands } from './register.js';
import { registerBaselineCommands } from './register-baseline.js';
import { registerLocalizeCalibrationCommand, registerLocalizeCommand } from './localize.js';

/** Builds the command tree (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('i2p')
    .description('i2p-lab: locate a camera image in a LiDAR map (ModaLink place recognition, implicit-correspondence registration)')
    .version(packageVersion())
    .showHelpAfterError();

  program.command('info')
    .description('print one JSON object: package and tfjs versions, backend, GPU, Jupyter and the tslab kernel')
    .action(async () => (await import('./info.js')).runInfo());

  const frameOptions = (cmd: Command): Command => cmd
    .requiredOption('--root <dir>', 'KITTI odometry root (holding sequences/ and poses/)')
    .option('--seq <id>', 'sequence', '00')
    .option('--frame <n>', 'frame number', '0')
    .option('--camera <2|3>', 'colour camera: 2 (left) or 3 (right)', '2')
    .requiredOption('--out <file>', 'output file');

  frameOptions(program.command('depth-image'))
    .description("ModaLink's FoV transformation: the scan as a depth image aligned with the camera image, written as a float32 .npy [H, W] in metres (0 = empty)")
    .option('--png <file>', 'also write a colour-mapped PNG')
    .option('--width <W>', 'output width (resize after the crop; default: the image width)')
    .option('--height <H>', 'output height (default: the image height)')
    .option('--crop-top <rows>', 'drop this many rows at the top first (ModaLink: 165)')
    .option('--max-range <m>', 'clip values at this range, metres')
    .option('--mode <depth|range>', 'pixel value: camera depth z or Euclidean range', 'depth')
    .option('--complete', 'fill the sparse image (IP-Basic-style morphological completion)')
    .action(async (o) => { (await import('./depth-image.js')).runDepthImage(o); });

  frameOptions(program.command('project'))
    .description('draw the projected scan on the camera image, coloured by depth (PNG)')
    .option('--max-depth <m>', 'depth at the end of the colour map, metres', '60')
    .option('--radius <px>', 'dot radius, pixels', '1')
    .action(async (o) => { (await import('./project.js')).runProject(o); });

  program.command('generate')
    .description('write the synthetic KITTI-like dataset (town, LiDAR, cameras 2 and 3, poses) in the KITTI odometry layout')
    .requiredOption('--preset <name|file>', 'tiny, default, large, towns, localization, or a JSON config file')
    .requiredOption('--out <dir>', 'output root (sequences/, poses/)')
    .option('--seed <n>', "another town and other drives with the preset's settings (the dataset is named <preset>-seed<n>)")
    .option('--workers <n>', 'worker threads (0 = render in the main thread; default: the core count)')
    .option('--verify', 'after generating, recompute the per-sequence sha256 and compare with datasets/checksums/<preset>.json')
    .option('--write-checksums <file>', 'after generating, write the per-sequence sha256 manifest (JSON) to this file')
    .action(async (o) => { await (await import('./generate.js')).runGenerate(o); });

  program.command('export-model')
    .description('a shipped model folder from a run: weights only (no optimizer state) + checkpoint.json + config and loss logs; prints the sha256 of each file')
    .requiredOption('--run <run>', 'trained run folder (checkpoint.json)')
    .requiredOption('--out <dir>', 'model folder, e.g. models/registration-laptop')
    .option('--dtype <F32|F16>', 'weight precision: F32 (exact) or F16 (half the bytes)', 'F32')
    .option('--average <checkpoints...>', "export the mean of these checkpoint files' model variables (snapshots kept along the run: ModaLink's keepCheckpointEverySteps)")
    .action(async (o: { run: string; out: string; dtype: string; average?: string[] }) => {
      if (o.dtype !== 'F32' && o.dtype !== 'F16') throw new Error(`--dtype: expected F32 or F16, got '${o.dtype}'`);
      const r = (await import('../train/export-model.js')).exportModelFolder(o.run, o.out, o.dtype, o.average ?? []);
      if (o.average) console.log(`the mean of ${o.average.length} checkpoints`);
      console.log(`${r.tensors} tensors, ${r.parameters} parameters (${o.dtype})`);
      for (const f of r.files) console.log(`${f.sha256}  ${f.file}  (${f.bytes} bytes)`);
    });

  registerModalinkCommands(program);
  registerBaselineCommands(registerRegistrationCommands(program));
  registerLocalizeCalibrationCommand(registerLocalizeCommand(program));
  return program;
}

/** Entry point used by bin/i2p.js. */
export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
