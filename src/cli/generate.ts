/**
 * `i2p generate --preset tiny|default|large|FILE --out DIR [--seed N] [--workers N] [--verify] [--write-checksums FILE]`:
 * writes the synthetic dataset (`--seed` draws another town and other drives with the preset's settings) in the KITTI odometry layout with a progress bar; re-running
 * with the same settings reuses the frames already written. `--verify` then recomputes the
 * per-sequence sha256 and compares them with `datasets/checksums/<preset>.json`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { compareChecksums, datasetChecksums, expectedChecksums } from '../data/synthetic/checksums.js';
import { generateSynthetic } from '../data/synthetic/generate.js';
import { loadPreset } from '../data/synthetic/presets.js';

/** Options as commander parses them. */
export interface GenerateCliOptions { preset: string; out: string; seed?: string; workers?: string; verify?: boolean; writeChecksums?: string }

/** Runs the command; with `--verify`, exits with code 1 when a checksum differs. */
export async function runGenerate(o: GenerateCliOptions): Promise<void> {
  const preset = loadPreset(o.preset);
  const seed = o.seed === undefined ? preset.seed : Number(o.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new RangeError(`--seed: expected an integer in [0, 2^32 - 1], got '${o.seed}'`);
  if (o.seed !== undefined && o.verify) throw new Error(`--verify: the recorded checksums are the preset's own seed's (${preset.seed}); drop --seed to verify`);
  const config = seed === preset.seed ? preset : { ...preset, seed, name: `${preset.name}-seed${seed}` };
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
  if (!o.verify && o.writeChecksums === undefined) return;
  const actual = datasetChecksums(o.out, config, summary.hash);
  if (o.writeChecksums !== undefined) {
    fs.mkdirSync(path.dirname(path.resolve(o.writeChecksums)), { recursive: true });
    fs.writeFileSync(o.writeChecksums, JSON.stringify(actual, null, 2) + '\n');
    console.log(`checksums written to ${o.writeChecksums}`);
  }
  if (o.verify) {
    const expected = expectedChecksums(o.preset);
    if (!expected) throw new Error(`--verify: no recorded checksums for preset '${o.preset}' (datasets/checksums/${o.preset}.json)`);
    const diff = compareChecksums(actual, expected);
    for (const s of actual.sequences) console.log(`sequence ${s.seq}: ${s.frames} frames, ${s.bytes} bytes, sha256 ${s.sha256} ${diff.some((d) => d.startsWith(`sequence ${s.seq}`)) ? 'MISMATCH' : 'ok'}`);
    if (diff.length) { console.error(`verify failed:\n  ${diff.join('\n  ')}`); process.exitCode = 1; } else console.log('verify: all sequences match');
  }
}
