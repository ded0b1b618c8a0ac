// Probe for issue 13 (stop 27): can the bearing network's match score say WHERE along the street the photo was taken,
// given the retrieved scan? The chain's position is the chosen scan's (the registration finds the LiDAR centre from the
// scan's rings and only turns the pose), so a near miss two or three scans off stays a miss. Here the photo is scored
// against the candidate's cloud seen from hypothetical LiDAR centres moved (e, d) metres in the candidate camera's frame
// (e across, d along its optical axis), and the best-scoring hypothesis moves the estimate. Two clouds: the candidate scan
// alone (its empty disk and rings betray its own centre), and a submap: the scans of the +-S map frames around it moved
// into its camera frame with the map's poses, subsampled to the model's point count (the map holds them; no query truth).
// Prints, over drive 02's queries within 10 m of drive 00's map (data/synthetic-default, the shipped models), the share
// whose camera centre is within 2 m: the chain's top-1 as it is (d = e = 0), each cloud's best hypothesis, and the best
// hypothesis of the grid chosen with the truth (what the grid can reach at most).
// Usage: npx tsx experiments/probes/centre-search.mts [max |d| m, default 6] [d step m, default 0.5] [max |e| m, default 0] [S, default 4] [queries, default all]
import { loadModaLinkRun } from '../../src/modalink/evaluate.js';
import { loadRegistrationRun } from '../../src/registration/evaluate.js';
import { registrationPairConfig } from '../../src/registration/config.js';
import { syntheticAlignment } from '../../src/modalink/splits.js';
import { buildLocalizationMap } from '../../src/localization/map.js';
import { describeQuery } from '../../src/localization/localize.js';
import { loadQuery } from '../../src/localization/query.js';
import { bearingFrustumPoses } from '../../src/registration/model.js';
import { compose, invert, transformPoints } from '../../src/geometry/se3.js';
import { randomSubsample } from '../../src/geometry/point-cloud.js';
import { createRng } from '../../src/core/rng.js';
import { KittiOdometry } from '../../src/data/kitti/odometry.js';
import { tf } from '../../src/core/tf.js';

const root = 'data/synthetic-default';
const maxD = Number(process.argv[2] ?? 6), stepD = Number(process.argv[3] ?? 0.5), maxE = Number(process.argv[4] ?? 0), S = Number(process.argv[5] ?? 4);
const limit = Number(process.argv[6] ?? Infinity);
const modalink = (await loadModaLinkRun('models/modalink-laptop')).model, registration = await loadRegistrationRun('models/registration-laptop');
const pairs = registrationPairConfig(registration.config), bear = registration.bearing!;
const align = syntheticAlignment(root)!;
const map = buildLocalizationMap({ root, sequence: 0, modalink, pairs, cacheDir: '.cache/modalink', worldFromPoses: align.get(0) });
const n = map.clouds[0].length / 3, o = map.lidarOriginCam;
const hyps: [number, number][] = [];
for (let e = -maxE; e <= maxE + 1e-9; e += 1) for (let d = -maxD; d <= maxD + 1e-9; d += stepD) hyps.push([Math.round(e * 1e3) / 1e3, Math.round(d * 1e3) / 1e3]);
const H = hyps.length;

/** The +-S scans around map index m, in m's camera frame, subsampled to n points (seeded by m). */
function submap(m: number): Float32Array {
  const parts: Float32Array[] = [];
  for (let j = Math.max(0, m - S); j <= Math.min(map.frames.length - 1, m + S); j++) {
    parts.push(j === m ? map.clouds[j] : transformPoints(compose(invert(map.worldFromCam[m]), map.worldFromCam[j]), map.clouds[j]));
  }
  const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0; for (const p of parts) { all.set(p, off); off += p.length; }
  return randomSubsample(all, 3, n, createRng(1000 + m));
}

/** Bearing best score of the photo against `cloud` seen from every hypothesis. */
function scores(q: ReturnType<typeof loadQuery>, cloud: Float32Array): Float64Array {
  const { cropHeight: Hc, cropWidth: Wc } = pairs;
  const pts = new Float32Array(H * n * 3), centres: number[] = [];
  hyps.forEach(([e, d], b) => { pts.set(cloud, b * n * 3); centres.push(o[0] + e, o[2] + d); });
  const batch = {
    image: tf.tidy(() => tf.tile(tf.tensor4d(q.registrationImage, [1, Hc, Wc, 3]), [H, 1, 1, 1])) as ReturnType<typeof tf.tensor4d>,
    points: tf.tensor3d(pts, [H, n, 3]), K: tf.tensor3d(Array.from({ length: H }, () => Array.from(q.K)).flat(), [H, 3, 3]),
    lidarCentre: centres,
  };
  const r = bearingFrustumPoses(bear, batch);
  tf.dispose([batch.image, batch.points, batch.K, r.camFromPoints]);
  return r.bestScore;
}

const seq2 = new KittiOdometry(root).sequence(2);
const frames = seq2.frameIds('image_2');
const res = { top1: 0, single: 0, submap: 0, reach: 0, nearest: 0 };
const chosen: Record<'single' | 'submap', number[]> = { single: [], submap: [] };
let count = 0; const t0 = Date.now();
for (const f of frames) {
  if (count >= limit) break;
  const q = loadQuery({ kind: 'sequence', root, sequence: 2, frame: f, worldFromPoses: align.get(2) }, modalink.config, pairs);
  const T = q.worldFromCam!, qx = T[3], qz = T[11];
  let near = Infinity; for (let i = 0; i < map.frames.length; i++) near = Math.min(near, Math.hypot(map.centresXZ[2 * i] - qx, map.centresXZ[2 * i + 1] - qz));
  if (near > 10) continue;
  count++;
  const m = map.index.query(describeQuery(modalink, q), 1, -1).indices[0], W = map.worldFromCam[m];
  const err = ([e, d]: [number, number]) => Math.hypot(W[3] + e * W[0] + d * W[2] - qx, W[11] + e * W[8] + d * W[10] - qz); // camera moved (e, 0, d) in m's frame
  const argmax = (s: Float64Array) => s.reduce((b, v, i) => (v > s[b] ? i : b), 0);
  const hit = (h: [number, number]) => (err(h) < 2 ? 1 : 0);
  res.nearest += near < 2 ? 1 : 0;
  res.top1 += hit([0, 0]);
  const s1 = argmax(scores(q, map.clouds[m])), s2 = argmax(scores(q, submap(m)));
  res.single += hit(hyps[s1]); res.submap += hit(hyps[s2]);
  chosen.single.push(hyps[s1][1]); chosen.submap.push(hyps[s2][1]);
  res.reach += hyps.some((h) => err(h) < 2) ? 1 : 0;
  if (count % 25 === 0) console.error(`${count} queries, ${((Date.now() - t0) / 1000).toFixed(0)} s`, JSON.stringify(res));
}
const pct = (v: number) => `${((100 * v) / count).toFixed(1)} %`;
console.log(`hypotheses: d in [-${maxD}, ${maxD}] step ${stepD}, e in [-${maxE}, ${maxE}] step 1 (${H}); submap +-${S} scans; ${count} queries`);
console.log(`within 2 m: top-1 as is ${pct(res.top1)}, best on the scan alone ${pct(res.single)}, best on the submap ${pct(res.submap)}, grid's reach (truth-chosen) ${pct(res.reach)}, nearest scan ${pct(res.nearest)}`);
const hist = (v: number[]) => { const h = new Map<number, number>(); v.forEach((x) => h.set(x, (h.get(x) ?? 0) + 1)); return [...h.entries()].sort((a, b) => a[0] - b[0]).map(([d, c]) => `${d}:${c}`).join(' '); };
console.log(`chosen d, scan alone: ${hist(chosen.single)}`);
console.log(`chosen d, submap: ${hist(chosen.submap)}`);
map.dispose();
