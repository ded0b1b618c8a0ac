// Probe for issue 13 (session note, stop 21): the GPDM frustum fit searched locally around the bearing pose (+-halfM m, +-8 deg)
// against the retrieval top-1 scan: does it move the camera toward the query? Drive 02 against 00 of data/synthetic-default.
// Usage: npx tsx experiments/probes/local-frustum-fit.mts [every, default 6] [halfM, default 6] [inViewShare, default 0.17]
// local frustum fit (GPDM classifier) around the bearing pose: does it move the camera toward the query?
import { tf } from '../../src/core/tf.js';
import { loadModaLinkRun } from '../../src/modalink/evaluate.js';
import { loadRegistrationRun } from '../../src/registration/evaluate.js';
import { registrationPairConfig } from '../../src/registration/config.js';
import { syntheticAlignment } from '../../src/modalink/splits.js';
import { buildLocalizationMap } from '../../src/localization/map.js';
import { loadQuery } from '../../src/localization/query.js';
import { localize, worldPoseDifference } from '../../src/localization/localize.js';
import { fitFrustumPose } from '../../src/registration/frustum-fit.js';
import { compose, invert } from '../../src/geometry/se3.js';
const root = 'data/synthetic-default';
const modalink = (await loadModaLinkRun('models/modalink-laptop')).model, registration = await loadRegistrationRun('models/registration-laptop');
const pairs = registrationPairConfig(registration.config);
const align = syntheticAlignment(root)!;
const map = buildLocalizationMap({ root, sequence: 0, modalink, pairs, cacheDir: '.cache/modalink', worldFromPoses: align.get(0) });
const every = Number(process.argv[2] ?? 6), halfM = Number(process.argv[3] ?? 6), share = Number(process.argv[4] ?? 0.17);
const W = pairs.cropWidth, H = pairs.cropHeight;
const st: Record<string, number> = { bearing: 0, fit: 0, nearest: 0 }; let n = 0; const moved: number[] = [];
for (let f = 0; f < 450; f += every) {
  const q = loadQuery({ kind: 'sequence', root, sequence: 2, frame: f, worldFromPoses: align.get(2) }, modalink.config, pairs);
  const T = q.worldFromCam!;
  let near = Infinity; for (let i = 0; i < map.frames.length; i++) near = Math.min(near, Math.hypot(map.centresXZ[2 * i] - T[3], map.centresXZ[2 * i + 1] - T[11]));
  if (near > 10) continue;
  n++;
  const r = localize({ modalink, registration }, map, q, { topK: 1 });
  const c = r.candidates[0], m = c.mapIndex;
  const pts = map.clouds[m];
  // points in the bearing camera frame
  const B = c.camFromScan, N = pts.length / 3, pb = new Float32Array(pts.length);
  for (let i = 0; i < N; i++) for (let k = 0; k < 3; k++) pb[3 * i + k] = B[4 * k] * pts[3 * i] + B[4 * k + 1] * pts[3 * i + 1] + B[4 * k + 2] * pts[3 * i + 2] + B[4 * k + 3];
  const o = map.lidarOriginCam;
  const out = registration.forward({ image: tf.tensor4d(q.registrationImage, [1, H, W, 3]), points: tf.tensor3d(pts, [1, N, 3]), K: tf.tensor3d(Array.from(q.K), [1, 3, 3]), lidarOrigin: tf.tensor2d([Array.from(o)], [1, 3]) } as any, false, 'gpdm');
  const logits = out.inFrustumLogits.dataSync(); tf.dispose(out as any);
  const fit = fitFrustumPose(pb, logits, q.K, W, H, { inViewShare: share, levels: [
    { yawStepDeg: 1, yawHalfDeg: 8, stepM: 0.5, halfM },
    { yawStepDeg: 0.25, yawHalfDeg: 1, stepM: 0.125, halfM: 0.5 } ] });
  const camFromScan = compose(fit.camFromPoints, B);
  const wFit = compose(map.worldFromCam[m], invert(camFromScan));
  const eB = worldPoseDifference(c.worldFromCam, T), eF = worldPoseDifference(wFit, T);
  st.bearing += eB.distanceM < 2 && eB.angleDeg < 5 ? 1 : 0; st.fit += eF.distanceM < 2 && eF.angleDeg < 5 ? 1 : 0; st.nearest += near < 2 ? 1 : 0;
  moved.push(eF.distanceM - eB.distanceM);
  if (n <= 12) console.log(f, 'scan', map.frames[m], 'bearing', eB.distanceM.toFixed(2), eB.angleDeg.toFixed(1), 'fit', eF.distanceM.toFixed(2), eF.angleDeg.toFixed(1), 'centre', fit.centre.map((v) => v.toFixed(2)).join(','));
}
moved.sort((a, b) => a - b);
console.log('n', n, Object.fromEntries(Object.entries(st).map(([k, v]) => [k, (100 * v / n).toFixed(1)])), 'fit-bearing median', moved[moved.length >> 1].toFixed(2));
