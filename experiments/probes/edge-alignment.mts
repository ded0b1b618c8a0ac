// Probe for issue 13 (session note, stop 21): does the edge alignment between a query photo and a candidate scan's FoV depth
// image pick the map scan nearest the query? Drive 02 against 00 of data/synthetic-default, every 2nd query within 10 m.
// Prints the share of queries whose pick is within 2 m: retrieval top-1, edge NCC among the top-1's +-8 drive neighbours, and among
// every scan within 10 m. Usage: npx tsx experiments/probes/edge-alignment.mts [blur radius, default 1] [rot: use the true relative rotation]
// edge alignment between the query image and each candidate scan's FoV depth image (its own camera pose)
import { loadModaLinkRun, describeView } from '../../src/modalink/evaluate.js';
import { createSequenceView } from '../../src/modalink/data.js';
import { syntheticAlignment } from '../../src/modalink/splits.js';
import { cameraTwoPoses } from '../../src/localization/map.js';
import { rotateRangeImage } from '../../src/geometry/depth-image.js';
const root = 'data/synthetic-default';
const { model } = await loadModaLinkRun('models/modalink-laptop');
const align = syntheticAlignment(root)!;
const db = createSequenceView(root, 0, model.config, { cacheDir: '.cache/modalink', worldFromPoses: align.get(0) });
const qv = createSequenceView(root, 2, model.config, { cacheDir: '.cache/modalink', worldFromPoses: align.get(2) });
const D = model.descriptorSize, dd = describeView(model, db, 'depth'), qd = describeView(model, qv, 'image');
const W = model.config.inputWidthPx, H = model.config.inputHeightPx, N = db.frames.length;
const P = db.positionsXZ, Q = qv.positionsXZ;
function sobel(a: Float32Array): Float32Array {
  const o = new Float32Array(W * H);
  for (let y = 1; y < H - 1; y++) for (let x = 1; x < W - 1; x++) {
    const g = (dx: number, dy: number) => a[(y + dy) * W + x + dx];
    const gx = g(1, -1) + 2 * g(1, 0) + g(1, 1) - g(-1, -1) - 2 * g(-1, 0) - g(-1, 1);
    const gy = g(-1, 1) + 2 * g(0, 1) + g(1, 1) - g(-1, -1) - 2 * g(0, -1) - g(1, -1);
    o[y * W + x] = Math.hypot(gx, gy);
  }
  return o;
}
function blur(a: Float32Array, r: number): Float32Array {
  if (r === 0) return a;
  const t = new Float32Array(W * H), o = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) { let s = 0, c = 0; for (let k = -r; k <= r; k++) { const xx = x + k; if (xx >= 0 && xx < W) { s += a[y * W + xx]; c++; } } t[y * W + x] = s / c; }
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) { let s = 0, c = 0; for (let k = -r; k <= r; k++) { const yy = y + k; if (yy >= 0 && yy < H) { s += t[yy * W + x]; c++; } } o[y * W + x] = s / c; }
  return o;
}
function ncc(a: Float32Array, b: Float32Array, mask?: Uint8Array): number {
  let sa = 0, sb = 0, n = 0;
  for (let i = 0; i < a.length; i++) if (!mask || mask[i]) { sa += a[i]; sb += b[i]; n++; }
  const ma = sa / n, mb = sb / n; let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) if (!mask || mask[i]) { const x = a[i] - ma, y = b[i] - mb; ab += x * y; aa += x * x; bb += y * y; }
  return ab / Math.sqrt(aa * bb + 1e-12);
}
const R = Number(process.argv[2] ?? 1);
const PW = cameraTwoPoses(root, 0, db.frames, align.get(0)), QW = cameraTwoPoses(root, 2, qv.frames, align.get(2));
const rel = (q: number, i: number) => { const a = QW[q], b = PW[i]; const R = new Float64Array(9); for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) { let s = 0; for (let k = 0; k < 3; k++) s += a[k * 4 + r] * b[k * 4 + c]; R[r * 3 + c] = s; } return R; };
const edgeOf = (d: ArrayLike<number>) => blur(sobel(Float32Array.from(d, (v) => Math.log(v > 0 ? v : 1))), R);
const ORACLE = process.argv[3] === 'rot';
const depthEdges: Float32Array[] = [];
for (let i = 0; i < N; i++) { const d = db.depth(i); const l = Float32Array.from(d, (v) => Math.log(v > 0 ? v : 1)); depthEdges.push(blur(sobel(l), R)); }
const res: Record<string, number> = { top1: 0, nbrEdge: 0, allEdge: 0, nearest: 0 }; let n = 0;
const errs: number[] = [];
for (let f = 0; f < qv.frames.length; f += 2) {
  let near = Infinity; for (let i = 0; i < N; i++) near = Math.min(near, Math.hypot(P[2 * i] - Q[2 * f], P[2 * i + 1] - Q[2 * f + 1]));
  if (near > 10) continue;
  n++;
  const img = qv.image(f); const g = new Float32Array(W * H); for (let i = 0; i < W * H; i++) g[i] = (img[3 * i] + img[3 * i + 1] + img[3 * i + 2]) / 3;
  const ie = blur(sobel(g), R);
  let t = 0, tb = Infinity; for (let i = 0; i < N; i++) { let s = 0; for (let j = 0; j < D; j++) { const x = qd[f * D + j] - dd[i * D + j]; s += x * x; } if (s < tb) { tb = s; t = i; } }
  const err = (i: number) => Math.hypot(P[2 * i] - Q[2 * f], P[2 * i + 1] - Q[2 * f + 1]);
  res.nearest += near < 2 ? 1 : 0;
  res.top1 += err(t) < 2 ? 1 : 0;
  let best = t, bs = -Infinity;
  for (let i = Math.max(0, t - 8); i <= Math.min(N - 1, t + 8); i++) { const s = ncc(ie, ORACLE ? edgeOf(rotateRangeImage(db.depth(i), db.camera, rel(f, i))) : depthEdges[i]); if (s > bs) { bs = s; best = i; } }
  res.nbrEdge += err(best) < 2 ? 1 : 0; errs.push(err(best) - near);
  let b2 = -1, s2 = -Infinity;
  for (let i = 0; i < N; i++) if (err(i) < 10) { const s = ncc(ie, ORACLE ? edgeOf(rotateRangeImage(db.depth(i), db.camera, rel(f, i))) : depthEdges[i]); if (s > s2) { s2 = s; b2 = i; } }
  res.allEdge += err(b2) < 2 ? 1 : 0;
}
errs.sort((a, b) => a - b);
console.log('R', R, 'n', n, Object.fromEntries(Object.entries(res).map(([k, v]) => [k, (100 * v / n).toFixed(1)])), 'excess median', errs[errs.length >> 1].toFixed(2));
