/**
 * Benchmark of the explicit-matching baseline's solver: ms per EPnP + RANSAC call
 * (OpenCV.js solvePnPRansac, WebAssembly, single thread) for 1000 and 5000
 * correspondences, 500 iterations, 1 px threshold, confidence 0.99.
 *
 * Two outlier shares: at 30 % the adaptive stopping rule (confidence 0.99) ends RANSAC
 * after a few dozen iterations; at 70 % (nearest-feature matches are often worse) the rule
 * asks for ~1900 iterations of 5-point samples, so all 500 run: the cost of the full budget.
 * (At 90 % an outlier-free 5-point sample has probability 1e-5: RANSAC cannot succeed.)
 * Synthetic seeded scenes: points 4-40 m in front of a 512 x 160 camera (the CorrI2P crop),
 * pose about the vertical axis in [-pi, pi] and +-10 m in x and z, 0.5 px pixel noise.
 *
 * Run: npx tsx bench/pnp.bench.ts   (env I2P_BENCH_RUNS, default 10 timed runs per row)
 */
import os from 'node:os';
import { createRng, type Rng } from '../src/core/rng.js';
import { cameraMatrix, type PinholeCamera } from '../src/geometry/camera.js';
import { projectPoints } from '../src/geometry/projection.js';
import { fromRt, identity4, invert, transformPoints } from '../src/geometry/se3.js';
import { rotationAboutAxis } from '../src/geometry/so3.js';
import { poseError } from '../src/metrics/pose.js';
import { loadOpenCv } from '../src/registration/opencv.js';
import { solvePnpRansacSync } from '../src/registration/pnp-ransac.js';
import { median } from './timing.js';

const RUNS = Number(process.env.I2P_BENCH_RUNS ?? 10);
const WARMUP = 2;
const ITERATIONS = 500;
const cam: PinholeCamera = { fx: 240, fy: 240, cx: 255.5, cy: 79.5, width: 512, height: 160 };

function scene(rng: Rng, n: number, outlierShare: number) {
  const camFromPoints = fromRt(rotationAboutAxis('y', rng.uniform(-Math.PI, Math.PI)), [rng.uniform(-10, 10), 0, rng.uniform(-10, 10)]);
  const pointsCam = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const z = rng.uniform(4, 40);
    pointsCam.set([rng.uniform(-1, 1) * z * 255 / 240, rng.uniform(-1, 1) * z * 79 / 240, z], 3 * i);
  }
  const proj = projectPoints(pointsCam, 3, identity4(), cam);
  const pixels = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const outlier = rng.next() < outlierShare;
    pixels[2 * i] = outlier ? rng.uniform(0, 511) : proj.u[i] + 0.5 * rng.normal();
    pixels[2 * i + 1] = outlier ? rng.uniform(0, 159) : proj.v[i] + 0.5 * rng.normal();
  }
  return { points: transformPoints(invert(camFromPoints), pointsCam), pixels, camFromPoints };
}

const t0 = performance.now();
const cv = await loadOpenCv();
const loadMs = performance.now() - t0;
const K = cameraMatrix(cam);
const rows: string[] = [];
for (const n of [1000, 5000]) {
  for (const outlierShare of [0.3, 0.7]) {
    const s = scene(createRng(n + Math.round(outlierShare * 100)), n, outlierShare);
    const opts = { iterations: ITERATIONS, reprojectionErrorPx: 1 };
    let r = solvePnpRansacSync(cv, s.points, s.pixels, K, opts);
    for (let i = 1; i < WARMUP; i++) r = solvePnpRansacSync(cv, s.points, s.pixels, K, opts);
    const ts: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const a = performance.now();
      r = solvePnpRansacSync(cv, s.points, s.pixels, K, opts);
      ts.push(performance.now() - a);
    }
    const e = r.camFromPoints ? poseError(r.camFromPoints, s.camFromPoints) : undefined;
    rows.push(`| ${n} | ${Math.round(outlierShare * 100)} % | ${median(ts).toFixed(1)} | ${Math.min(...ts).toFixed(1)} | ${r.inliers.length} | ${r.ok ? 'yes' : 'no'} | ${e ? e.rteM.toFixed(3) : '-'} | ${e ? e.rreDeg.toFixed(3) : '-'} |`);
  }
}
console.log(`OpenCV.js ${cv.getBuildInformation().match(/General configuration for OpenCV ([^\s=]+)/)?.[1] ?? ''} (WASM), first load ${loadMs.toFixed(0)} ms; ${os.cpus()[0]?.model ?? 'cpu'}; Node ${process.version}; ${RUNS} timed runs after ${WARMUP} warm-up\n`);
console.log(`| correspondences | outliers | median ms / call | min ms | inliers | ok | RTE m | RRE deg |`);
console.log(`|---:|---:|---:|---:|---:|:--:|---:|---:|`);
for (const r of rows) console.log(r);
