/**
 * Benchmark of the synthetic dataset generator on this machine: LiDAR sweeps per second, one
 * camera image per second at full size (1241 x 376) and at scale 0.5, frames per second with
 * 2 worker threads (whole frames: sweep, two images, PNG and .bin writing), and the projected
 * time of the `default` preset; then the realism table (synthetic vs real KITTI, same
 * `scanStats` code, full image size). Timings are medians; on a shared machine they are noisy,
 * so the CPU time per single-thread operation is printed next to the wall time.
 *
 * Run: npx tsx bench/synthetic.bench.ts   (env I2P_BENCH_RUNS, default 5 timed runs;
 * I2P_BENCH_FRAMES, default 24 frames for the 2-worker run; I2P_SHARED_DATA for the real samples)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildWorld, generateSynthetic, loadPreset, realismTable, realKittiRealism, renderCamera, renderScan, syntheticRealism,
  validateSyntheticConfig, type RealismRow,
} from '../src/data/synthetic/index.js';
import { median } from './timing.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.I2P_SHARED_DATA ?? path.resolve(ROOT, '..', 'shared', 'data');
const RUNS = Number(process.env.I2P_BENCH_RUNS ?? 5);
const FRAMES = Number(process.env.I2P_BENCH_FRAMES ?? 24);

/** Median wall and CPU milliseconds of `runs` calls of f(i) after one warm-up call. */
function time(f: (i: number) => void, runs = RUNS): { wallMs: number; cpuMs: number } {
  f(0);
  const wall: number[] = [], cpu: number[] = [];
  for (let i = 1; i <= runs; i++) {
    const c0 = process.cpuUsage(), t0 = performance.now();
    f(i);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

const preset = loadPreset('default');
const world = buildWorld(preset);
const full = buildWorld(validateSyntheticConfig({ ...preset, camera: { ...preset.camera, scale: 1 } }));
const seqs = world.plans.length, at = (i: number): [number, number] => [i % seqs, (i * 37) % world.plans[i % seqs].x.length];
const lidarRays = preset.lidar.beams * preset.lidar.columns;
const halfPx = world.cams[0].width * world.cams[0].height, fullPx = full.cams[0].width * full.cams[0].height;

const sweep = time((i) => { renderScan(world, ...at(i)); });
const imgFull = time((i) => { renderCamera(full, ...at(i), 0); }, Math.max(3, Math.ceil(RUNS / 2)));
const imgHalf = time((i) => { renderCamera(world, ...at(i), 0); });

// Whole frames with 2 workers: a short drive of the default town, steady rate from the progress callback.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'i2p-synbench-'));
const stamps: number[] = [];
const short = validateSyntheticConfig({ ...preset, drives: { ...preset.drives, frames: [FRAMES] } });
const t0 = performance.now();
await generateSynthetic(short, tmp, { workers: 2, onProgress: (done) => { if (done > 0) stamps.push(performance.now()); } });
const totalS = (performance.now() - t0) / 1000;
fs.rmSync(tmp, { recursive: true, force: true });
const steadyFps = (stamps.length - 2) / ((stamps[stamps.length - 1] - stamps[1]) / 1000); // after the first frame of each worker
const startupS = (stamps[1] - t0) / 1000;
const defaultFrames = preset.drives.frames.reduce((a, b) => a + b, 0);
const projectedS = startupS + defaultFrames / steadyFps;

const per = (n: number, ms: number): string => (n / ms / 1000).toFixed(2);
console.log(`## Synthetic generator speed (${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; medians of ${RUNS} runs)\n`);
console.log('| operation | wall ms | per second (wall) | CPU ms | Mrays/s (CPU) |');
console.log('| --- | --- | --- | --- | --- |');
console.log(`| LiDAR sweep (${preset.lidar.beams} x ${preset.lidar.columns} rays) | ${sweep.wallMs.toFixed(0)} | ${(1000 / sweep.wallMs).toFixed(2)} sweeps/s | ${sweep.cpuMs.toFixed(0)} | ${per(lidarRays, sweep.cpuMs)} |`);
console.log(`| camera image ${full.cams[0].width} x ${full.cams[0].height} (full size) | ${imgFull.wallMs.toFixed(0)} | ${(1000 / imgFull.wallMs).toFixed(2)} images/s | ${imgFull.cpuMs.toFixed(0)} | ${per(fullPx, imgFull.cpuMs)} |`);
console.log(`| camera image ${world.cams[0].width} x ${world.cams[0].height} (scale 0.5) | ${imgHalf.wallMs.toFixed(0)} | ${(1000 / imgHalf.wallMs).toFixed(2)} images/s | ${imgHalf.cpuMs.toFixed(0)} | ${per(halfPx, imgHalf.cpuMs)} |`);
console.log(`| whole frames, 2 workers (${FRAMES} frames incl. PNG/.bin writing) | ${(totalS * 1000).toFixed(0)} total | ${steadyFps.toFixed(2)} frames/s (steady) | - | - |`);
console.log(`| projected default preset (${defaultFrames} frames, 2 workers) | ${(projectedS * 1000).toFixed(0)} | ${(projectedS / 60).toFixed(1)} min | - | - |`);
console.log(`\nSingle-thread CPU time per frame (sweep + 2 images at scale 0.5): ${(sweep.cpuMs + 2 * imgHalf.cpuMs).toFixed(0)} ms, i.e. ${((defaultFrames * (sweep.cpuMs + 2 * imgHalf.cpuMs)) / 2 / 60000).toFixed(1)} min for the default preset on 2 idle cores (before file writing).`);

const rows: RealismRow[] = [];
const real = realKittiRealism(path.join(SHARED, 'kitti-odometry-sample'));
if (real) rows.push(real); else console.log(`\n(real KITTI samples absent under ${SHARED}: synthetic rows only)`);
rows.push(syntheticRealism(world, 5, 'synthetic default'));
rows.push(syntheticRealism(buildWorld(loadPreset('tiny')), 3, 'synthetic tiny'));
console.log('\n## Realism (mean per scan; same scanStats code)\n');
console.log(realismTable(rows));
