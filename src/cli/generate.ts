/**
 * `i2p generate --preset tiny|default|large|FILE --out DIR [--workers N]`: writes the
 * synthetic dataset in the KITTI odometry layout with a progress bar; re-running with the
 * same settings reuses the frames already written.
 */
import os from 'node:os';
import cliProgress from 'cli-progress';
import { generateSynthetic } from '../data/synthetic/generate.js';
import { loadPreset } from '../data/synthetic/presets.js';

/** Options as commander parses them. */
export interface GenerateCliOptions { preset: string; out: string; workers?: string }

/** Runs the command. */
export async function runGenerate(o: GenerateCliOptions): Promise<void> {
  const config = loadPreset(o.preset);
  const workers = o.workers === undefined ? Math.max(1, os.availableParallelism()) : Number(o.workers);
  if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`--workers: expected an integer >= 0, got '${o.workers}'`);
  const bar = new cliProgress.SingleBar({ format: `${config.name} [{bar}] {value}/{total} frames | {eta}s left`, etaBuffer: 50 }, cliProgress.Presets.shades_classic);
  let started = false;
  const summary = await generateSynthetic(config, o.out, {
    workers,
    onProgress: (done, total) => { if (!started) { bar.start(total, done); started = true; } else bar.update(done); },
  });
  bar.stop();
  console.log(JSON.stringify({ out: o.out, preset: config.name, ...summary }));
}
