/**
 * Benchmark of the geometry hot paths on real KITTI scans: the FoV transformation
 * (z-buffered depth image) at full resolution and at ModaLink's 800 x 128, depth
 * completion, and a vectorised NumPy z-buffer for comparison. Prints markdown tables.
 *
 * Run: npx tsx bench/geometry.bench.ts   (env I2P_BENCH_RUNS, default 20 timed runs)
 * Data: ../shared/data/kitti-odometry-sample/sequences/00/{velodyne/*.bin, calib.txt},
 * relative to the repository root (or env I2P_SHARED_DATA); skipped with a message when absent.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cameraFromProjection, decomposeProjection } from '../src/geometry/camera.js';
import { completeDepth } from '../src/geometry/depth-completion.js';
import { fovDepthImage, MODALINK_FOV_OPTIONS, type FovDepthImageOptions } from '../src/geometry/depth-image.js';
import { compose, mat4From3x4 } from '../src/geometry/se3.js';
import { median, medianMs } from './timing.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.I2P_SHARED_DATA ?? path.resolve(ROOT, '..', 'shared', 'data');
const SEQ = path.join(SHARED, 'kitti-odometry-sample', 'sequences', '00');
const RUNS = Number(process.env.I2P_BENCH_RUNS ?? 20);
const WARMUP = 5;
const WIDTH = 1241, HEIGHT = 376; // KITTI odometry sequence 00 image size

/** Median wall time (ms) of `runs` calls after `WARMUP` untimed ones. */
const time = (fn: () => void, runs: number): number => medianMs(fn, runs, WARMUP);

/** The P3 and Tr lines of calib.txt, 12 numbers each. */
function readCalib(file: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\w+):\s*(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2].trim().split(/\s+/).map(Number);
  }
  for (const k of ['P3', 'Tr']) if (out[k]?.length !== 12) throw new Error(`${file}: line '${k}:' with 12 numbers not found`);
  return out;
}

/** A velodyne .bin: float32 x, y, z, reflectance per point (16 bytes). */
function readScan(file: string): Float32Array {
  const buf = fs.readFileSync(file);
  if (buf.byteLength % 16 !== 0) throw new Error(`${file}: ${buf.byteLength} bytes is not a multiple of 16`);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

function numpyTimes(calib: string, scans: string[]): Map<string, { ms: number; filled: number }> | string {
  const probe = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'python3 with numpy not available';
  const r = spawnSync('python3', [path.join(ROOT, 'bench', 'numpy_zbuffer.py'), calib, String(RUNS), String(WIDTH), String(HEIGHT), ...scans], { encoding: 'utf8' });
  if (r.status !== 0) return `numpy_zbuffer.py failed: ${r.stderr.trim().split('\n').pop()}`;
  const out = new Map<string, { ms: number; filled: number }>();
  for (const line of r.stdout.trim().split('\n')) {
    const j = JSON.parse(line) as { scan: string; median_ms: number; filled: number };
    out.set(j.scan, { ms: j.median_ms, filled: j.filled });
  }
  return out;
}

function main(): void {
  if (!fs.existsSync(path.join(SEQ, 'velodyne'))) {
    console.log(`geometry bench skipped: ${SEQ} not found (needs ../shared/data or I2P_SHARED_DATA)`);
    return;
  }
  const calibFile = path.join(SEQ, 'calib.txt');
  const calib = readCalib(calibFile);
  const cam = cameraFromProjection(calib.P3, WIDTH, HEIGHT);
  const camFromLidar = compose(decomposeProjection(calib.P3).camFromRect, mat4From3x4(calib.Tr));
  const scans = fs.readdirSync(path.join(SEQ, 'velodyne')).filter((f) => f.endsWith('.bin')).sort().map((f) => path.join(SEQ, 'velodyne', f));
  const np = numpyTimes(calibFile, scans);
  const small: FovDepthImageOptions = { ...MODALINK_FOV_OPTIONS, normalize: false }; // metres, for completion
  console.log(`# geometry bench: ${scans.length} scans of KITTI 00, camera 3, median of ${RUNS} runs after ${WARMUP} warm-up`);
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, 1 thread; NumPy: ${typeof np === 'string' ? np : 'yes'}\n`);
  console.log('| scan | points | FoV 1241x376 ms | Mpts/s | FoV 800x128 (crop 165) ms | Mpts/s | completion 800x128 ms | completion 1241x376 ms | NumPy 1241x376 ms | NumPy / TS | filled TS / NumPy |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const agg: number[][] = [];
  { // JIT warm-up on the first scan, so the first table row is not slower than the rest
    const pts = readScan(scans[0]);
    for (let i = 0; i < 50; i++) { fovDepthImage(pts, 4, camFromLidar, cam); fovDepthImage(pts, 4, camFromLidar, cam, small); }
    const d = fovDepthImage(pts, 4, camFromLidar, cam, small);
    for (let i = 0; i < 3; i++) completeDepth(d.depth, d.width, d.height);
  }
  for (const scan of scans) {
    const pts = readScan(scan);
    const n = pts.length / 4;
    let full = fovDepthImage(pts, 4, camFromLidar, cam);
    const msFull = time(() => { full = fovDepthImage(pts, 4, camFromLidar, cam); }, RUNS);
    let ml = fovDepthImage(pts, 4, camFromLidar, cam, small);
    const msSmall = time(() => { ml = fovDepthImage(pts, 4, camFromLidar, cam, small); }, RUNS);
    const msComplete = time(() => completeDepth(ml.depth, ml.width, ml.height), Math.max(3, RUNS >> 2));
    const msCompleteFull = time(() => completeDepth(full.depth, full.width, full.height), Math.max(3, RUNS >> 3));
    const npr = typeof np === 'string' ? undefined : np.get(scan);
    agg.push([n, msFull, msSmall, msComplete, msCompleteFull, npr?.ms ?? NaN]);
    const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
    console.log(`| ${path.basename(scan)} | ${n} | ${f(msFull)} | ${f(n / msFull / 1e3, 1)} | ${f(msSmall)} | ${f(n / msSmall / 1e3, 1)} | ${f(msComplete, 1)} | ${f(msCompleteFull, 1)} | ${f(npr?.ms ?? NaN)} | ${f((npr?.ms ?? NaN) / msFull, 1)} | ${full.filledPixels} / ${npr?.filled ?? 'n/a'} |`);
  }
  const col = (i: number): number => median(agg.map((r) => r[i]));
  const pts = col(0);
  console.log(`\nmedian over scans: FoV 1241x376 ${col(1).toFixed(2)} ms (${(pts / col(1) / 1e3).toFixed(1)} M points/s), ` +
    `800x128 ${col(2).toFixed(2)} ms (${(pts / col(2) / 1e3).toFixed(1)} M points/s), completion ${col(3).toFixed(1)} ms (800x128) / ${col(4).toFixed(1)} ms (1241x376)` +
    (typeof np === 'string' ? '' : `, NumPy ${col(5).toFixed(2)} ms (${(col(5) / col(1)).toFixed(1)}x slower than TS)`));
}

main();
