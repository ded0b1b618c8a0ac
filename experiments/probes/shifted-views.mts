// Probe for issue 13 (stop 22): can ModaLink's own descriptor say how far along its optical axis the query camera is from a
// retrieved scan? Each map scan of drive 00 (data/synthetic-default) is rendered as a FoV depth image from its camera moved d metres
// along its optical axis (the calibration-error path of createSequenceView: a translation in the camera frame); the query photo's
// descriptor is compared with every (candidate, d). Prints, over drive 02's queries within 10 m of the map, the share whose estimated
// camera centre is within 2 m: retrieval top-1 (d = 0), the best d on the top-1 scan, the best (scan, d) over the top k.
// Usage: npx tsx experiments/probes/shifted-views.mts [max |d| m, default 4] [step m, default 1] [k, default 5]
import { loadModaLinkRun, describeView } from '../../src/modalink/evaluate.js';
import { createSequenceView } from '../../src/modalink/data.js';
import { syntheticAlignment } from '../../src/modalink/splits.js';
import { cameraTwoPoses } from '../../src/localization/map.js';
const root = 'data/synthetic-default';
const maxD = Number(process.argv[2] ?? 4), step = Number(process.argv[3] ?? 1), K = Number(process.argv[4] ?? 5);
const { model } = await loadModaLinkRun('models/modalink-laptop');
const align = syntheticAlignment(root)!;
const D = model.descriptorSize;
const qv = createSequenceView(root, 2, model.config, { cacheDir: '.cache/modalink', worldFromPoses: align.get(2) });
const qd = describeView(model, qv, 'image');
const offsets: number[] = []; for (let d = -maxD; d <= maxD + 1e-9; d += step) offsets.push(Math.round(d * 1000) / 1000);
const views = new Map<number, Float32Array>();
let frames: number[] = [];
for (const d of offsets) {
  const t0 = Date.now();
  const shift = d === 0 ? undefined : [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, -d, 0, 0, 0, 1];
  const v = createSequenceView(root, 0, model.config, { cacheDir: '.cache/modalink', worldFromPoses: align.get(0), calibrationError: shift });
  v.precompute(); frames = v.frames;
  views.set(d, describeView(model, v, 'depth'));
  console.error(`d ${d}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
const PW = cameraTwoPoses(root, 0, frames, align.get(0)), QW = cameraTwoPoses(root, 2, qv.frames, align.get(2));
const N = frames.length;
const centre = (T: ArrayLike<number>) => [T[3], T[11]];
const dist2 = (a: Float32Array, i: number, b: Float32Array, j: number) => { let s = 0; for (let k = 0; k < D; k++) { const x = a[i * D + k] - b[j * D + k]; s += x * x; } return s; };
const at = (i: number, d: number) => { const T = PW[i]; return [T[3] + d * T[2], T[11] + d * T[10]]; }; // camera moved d along its z axis
const res = { top1: 0, top1Shift: 0, topkShift: 0, nearest: 0 }; let n = 0;
const hist = new Map<number, number>(), excess: number[] = [];
for (let f = 0; f < qv.frames.length; f++) {
  const [qx, qz] = centre(QW[f]);
  let near = Infinity; for (let i = 0; i < N; i++) { const [x, z] = centre(PW[i]); near = Math.min(near, Math.hypot(x - qx, z - qz)); }
  if (near > 10) continue;
  n++;
  const base = views.get(0)!;
  const order = Array.from({ length: N }, (_, i) => i).map((i) => [dist2(qd, f, base, i), i]).sort((a, b) => a[0] - b[0]).slice(0, K).map((x) => x[1]);
  const err = (p: number[]) => Math.hypot(p[0] - qx, p[1] - qz);
  res.nearest += near < 2 ? 1 : 0;
  res.top1 += err(at(order[0], 0)) < 2 ? 1 : 0;
  let b1 = 0, s1 = Infinity; for (const d of offsets) { const s = dist2(qd, f, views.get(d)!, order[0]); if (s < s1) { s1 = s; b1 = d; } }
  res.top1Shift += err(at(order[0], b1)) < 2 ? 1 : 0;
  hist.set(b1, (hist.get(b1) ?? 0) + 1);
  let bk = [order[0], 0], sk = Infinity; for (const i of order) for (const d of offsets) { const s = dist2(qd, f, views.get(d)!, i); if (s < sk) { sk = s; bk = [i, d]; } }
  res.topkShift += err(at(bk[0], bk[1])) < 2 ? 1 : 0;
  excess.push(err(at(order[0], b1)) - err(at(order[0], 0)));
}
excess.sort((a, b) => a - b);
console.log(`offsets ${offsets.join(' ')}, k ${K}, queries ${n}:`, Object.fromEntries(Object.entries(res).map(([k, v]) => [k, (100 * v / n).toFixed(1)])));
console.log('chosen d on the top-1 scan:', [...hist.entries()].sort((a, b) => a[0] - b[0]).map(([d, c]) => `${d}:${c}`).join(' '), 'median change of error (m)', excess[excess.length >> 1].toFixed(2));
