// Probe for issue 13 (stop 33): do the ICLM keypoint pairs know where along the street the photo was taken? The chain's
// position is the chosen scan's because PRM only turns the pose (figures/06-global-localization/prm-neighbours.md). The 32
// 2D-3D keypoint pairs that ICLM gives (pixels of the registration crop, metres in the scan's camera frame) could fix the
// position through EPnP-RANSAC, if they follow the true camera rather than the scan's. For drive 02's queries within 10 m of
// drive 00's map (data/synthetic-default, the shipped models), against the chain's top-1 scan and against the nearest scan
// (the oracle), prints: the pairs' median reprojection error under the true pose and under PRM's pose (for the shipped
// model: the camera at the scan's position; which of the two they follow), the share of queries whose camera centre is
// within 2 m for the scan's own position, PRM's pose and EPnP-RANSAC on the pairs (thresholds in crop pixels; a PnP
// failure keeps PRM's pose), how far apart the pairs lie (RMS distance from their mean, crop pixels and metres) and how
// far ahead (median depth of the 3D keypoints in the scan's camera frame).
// A control asks what the pairs' layout allows: EPnP-RANSAC (threshold 2 sigma) on the 3D keypoints and their TRUE projections
// plus seeded Gaussian noise of sigma px, i.e. correspondences as accurate as sigma, as spread as the model's.
// Usage: npx tsx experiments/probes/iclm-pnp.mts [queries, default all] [thresholds px, default 2,4,8] [registration run, default models/registration-laptop] [sigma px, default 2]
import { loadModaLinkRun } from '../../src/modalink/evaluate.js';
import { loadRegistrationRun } from '../../src/registration/evaluate.js';
import { registrationPairConfig } from '../../src/registration/config.js';
import { syntheticAlignment } from '../../src/modalink/splits.js';
import { buildLocalizationMap, scanDistanceM } from '../../src/localization/map.js';
import { nearestScan } from '../../src/localization/evaluate.js';
import { candidateBatch, describeQuery } from '../../src/localization/localize.js';
import { loadQuery } from '../../src/localization/query.js';
import { solvePnpRansac } from '../../src/registration/pnp-ransac.js';
import { compose, invert, transformPoint } from '../../src/geometry/se3.js';
import { createRng } from '../../src/core/rng.js';
import { KittiOdometry } from '../../src/data/kitti/odometry.js';
import { tf } from '../../src/core/tf.js';

const root = 'data/synthetic-default';
const limit = Number(process.argv[2] ?? Infinity);
const thresholds = (process.argv[3] ?? '2,4,8').split(',').map(Number);
const sigma = Number(process.argv[5] ?? 2);
const modalink = (await loadModaLinkRun('models/modalink-laptop')).model, registration = await loadRegistrationRun(process.argv[4] ?? 'models/registration-laptop');
const pairs = registrationPairConfig(registration.config);
const align = syntheticAlignment(root)!;
const map = buildLocalizationMap({ root, sequence: 0, modalink, pairs, cacheDir: '.cache/modalink', worldFromPoses: align.get(0) });

/** ICLM + PRM of the full model against map scan m: PRM's camFromScan and the keypoint pairs. */
function register(q: ReturnType<typeof loadQuery>, m: number): { pose: Float64Array; kp2: Float32Array; kp3: Float32Array } {
  const batch = candidateBatch(registration, map, q, [m]);
  const out = registration.forward(batch, false, 'joint');
  const r = { pose: Float64Array.from(out.camFromPoints.dataSync()), kp2: Float32Array.from(out.keypoints2d.dataSync()), kp3: Float32Array.from(out.keypoints3d.dataSync()) };
  tf.dispose(out); tf.dispose([batch.image, batch.points, batch.K, batch.lidarOrigin]);
  return r;
}

/** Median reprojection error (px) of the pairs under camFromScan T (points behind the camera count as infinite). */
function reprojection(T: ArrayLike<number>, K: ArrayLike<number>, kp2: Float32Array, kp3: Float32Array): number {
  const e: number[] = [];
  for (let i = 0; i < kp2.length / 2; i++) {
    const [x, y, z] = transformPoint(T, kp3.subarray(3 * i, 3 * i + 3));
    e.push(z <= 1e-6 ? Infinity : Math.hypot(K[0] * x / z + K[2] - kp2[2 * i], K[4] * y / z + K[5] - kp2[2 * i + 1]));
  }
  return e.sort((a, b) => a - b)[e.length >> 1];
}

const med = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s.length ? s[s.length >> 1] : NaN; };
const seq2 = new KittiOdometry(root).sequence(2);
const names = ['scan', 'prm', ...thresholds.map((t) => `pnp${t}`), `true+${sigma}px`];
const rng = createRng(7);
const hits: Record<string, Record<string, number>> = { top1: {}, oracle: {} };
const pnpFail: Record<string, Record<string, number>> = { top1: {}, oracle: {} };
const reproTrue: Record<string, number[]> = { top1: [], oracle: [] }, reproScan: Record<string, number[]> = { top1: [], oracle: [] };
const moved: Record<string, number[]> = { top1: [], oracle: [] };
const spread2: Record<string, number[]> = { top1: [], oracle: [] }, spread3: Record<string, number[]> = { top1: [], oracle: [] };
const depth: Record<string, number[]> = { top1: [], oracle: [] }; // per query: the median depth of the 3D keypoints in the scan's camera frame
/** RMS distance of the keypoints from their mean (pixels for dim 2, metres for dim 3): how far apart the pairs lie. */
function spread(kp: Float32Array, dim: number): number {
  const k = kp.length / dim, mean = new Array(dim).fill(0);
  for (let i = 0; i < k; i++) for (let j = 0; j < dim; j++) mean[j] += kp[dim * i + j] / k;
  let s = 0; for (let i = 0; i < k; i++) for (let j = 0; j < dim; j++) s += (kp[dim * i + j] - mean[j]) ** 2;
  return Math.sqrt(s / k);
}
let count = 0; const t0 = Date.now();
for (const f of seq2.frameIds('image_2')) {
  if (count >= limit) break;
  const q = loadQuery({ kind: 'sequence', root, sequence: 2, frame: f, worldFromPoses: align.get(2) }, modalink.config, pairs);
  const Q = q.worldFromCam!, qx = Q[3], qz = Q[11];
  const { index: nearest, distanceM: near } = nearestScan(map, qx, qz);
  if (near > 10) continue;
  count++;
  const top1 = map.index.query(describeQuery(modalink, q), 1, -1).indices[0];
  for (const [which, m] of [['top1', top1], ['oracle', nearest]] as const) {
    const Wm = map.worldFromCam[m];
    const err = (camFromScan: ArrayLike<number>) => { const W = compose(Wm, invert(camFromScan)); return Math.hypot(W[3] - qx, W[11] - qz); };
    const r = register(q, m);
    const truth = compose(invert(Q), Wm); // camFromScan of the true camera
    reproTrue[which].push(reprojection(truth, q.K, r.kp2, r.kp3));
    reproScan[which].push(reprojection(r.pose, q.K, r.kp2, r.kp3));
    spread2[which].push(spread(r.kp2, 2)); spread3[which].push(spread(r.kp3, 3));
    depth[which].push(med(Array.from({ length: r.kp3.length / 3 }, (_, i) => r.kp3[3 * i + 2])));
    const add = (k: string, e: number) => { hits[which][k] = (hits[which][k] ?? 0) + (e < 2 ? 1 : 0); };
    add('scan', scanDistanceM(map, m, qx, qz));
    add('prm', err(r.pose));
    for (const t of thresholds) {
      const p = await solvePnpRansac(r.kp3, r.kp2, q.K, { reprojectionErrorPx: t, iterations: 1000, minInliers: 8, seed: f });
      if (!p.ok) pnpFail[which][`pnp${t}`] = (pnpFail[which][`pnp${t}`] ?? 0) + 1;
      const pose = p.ok ? p.camFromPoints! : r.pose;
      add(`pnp${t}`, err(pose));
      if (t === thresholds[thresholds.length - 1] && p.ok) { const W = compose(Wm, invert(pose)); moved[which].push(Math.hypot(W[3] - Wm[3], W[11] - Wm[11])); }
    }
    const noisy = new Float32Array(r.kp2.length);
    for (let i = 0; i < noisy.length / 2; i++) {
      const [x, y, z] = transformPoint(truth, r.kp3.subarray(3 * i, 3 * i + 3));
      const zz = Math.max(z, 1e-3); // a keypoint behind the camera gets a far-off pixel, an outlier to RANSAC
      noisy[2 * i] = q.K[0] * x / zz + q.K[2] + sigma * rng.normal(); noisy[2 * i + 1] = q.K[4] * y / zz + q.K[5] + sigma * rng.normal();
    }
    const c = await solvePnpRansac(r.kp3, noisy, q.K, { reprojectionErrorPx: 2 * sigma, iterations: 1000, minInliers: 8, seed: f });
    add(`true+${sigma}px`, c.ok ? err(c.camFromPoints!) : Infinity);
  }
  if (count % 25 === 0) console.error(`${count} queries, ${((Date.now() - t0) / 1000).toFixed(0)} s`, JSON.stringify(hits));
}
const pct = (v: number | undefined) => `${((100 * (v ?? 0)) / count).toFixed(1)} %`;
console.log(`${process.argv[4] ?? 'models/registration-laptop'}: ${count} queries (drive 02 against drive 00 of ${root}, within 10 m of the map); pairs per query: ${registration.config.numQueries}`);
console.log(`| candidate | median reprojection of the pairs: true pose / PRM pose (px) | ${names.map((k) => `within 2 m: ${k}`).join(' | ')} | PnP failures (${thresholds.join(', ')} px) | median PnP move from the scan (m) | median spread of the pairs: pixels / metres | median depth of the 3D keypoints (m) |`);
console.log(`| --- | --- | ${names.map(() => '---').join(' | ')} | --- | --- | --- | --- |`);
for (const which of ['top1', 'oracle']) {
  console.log(`| ${which} | ${med(reproTrue[which]).toFixed(1)} / ${med(reproScan[which]).toFixed(1)} | ${names.map((k) => pct(hits[which][k])).join(' | ')} | ${thresholds.map((t) => pnpFail[which][`pnp${t}`] ?? 0).join(', ')} | ${med(moved[which]).toFixed(2)} | ${med(spread2[which]).toFixed(1)} / ${med(spread3[which]).toFixed(2)} | ${med(depth[which]).toFixed(1)} |`);
}
map.dispose();
