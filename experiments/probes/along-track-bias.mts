// Probe for issue 13 (stop 22): is the retrieval's top-1 scan systematically behind the query along the drive, and does moving the
// estimate forward along the scan camera's optical axis by a constant b recover the near misses? For each (town, query drive, map drive)
// it prints the signed offset of the top-1 scan's camera centre from the query's along the scan camera's forward axis (median, mean,
// the share behind) and the share of queries within 2 m after moving the estimate by b. Same-drive tasks leave the query's own scan out.
// Queries: those within 10 m of the map and whose heading differs from the nearest scan's by under 90 deg.
// Usage: npx tsx experiments/probes/along-track-bias.mts [root:query:map ...] (default: the validation town's and the test town's drives)
import { loadModaLinkRun, describeView } from '../../src/modalink/evaluate.js';
import { createSequenceView } from '../../src/modalink/data.js';
import { syntheticAlignment } from '../../src/modalink/splits.js';
import { cameraTwoPoses } from '../../src/localization/map.js';
const { model } = await loadModaLinkRun('models/modalink-laptop');
const args = process.argv.slice(2);
const tasks = (args.length ? args : ['data/towns-seed20:1:0', 'data/towns-seed20:0:1', 'data/towns-seed20:0:0', 'data/towns-seed20:1:1', 'data/synthetic-default:2:0', 'data/synthetic-default:1:0'])
  .map((t) => { const [r, q, m] = t.split(':'); return [r, Number(q), Number(m)] as const; });
const B = [0, 0.4, 0.8, 1.2, 1.6, 2.0], D = model.descriptorSize;
for (const [root, qs, ms] of tasks) {
  const align = syntheticAlignment(root)!;
  const qv = createSequenceView(root, qs, model.config, { cacheDir: '.cache/modalink', worldFromPoses: align.get(qs) });
  const mv = qs === ms ? qv : createSequenceView(root, ms, model.config, { cacheDir: '.cache/modalink', worldFromPoses: align.get(ms) });
  const qd = describeView(model, qv, 'image'), md = describeView(model, mv, 'depth');
  const QW = cameraTwoPoses(root, qs, qv.frames, align.get(qs)), MW = cameraTwoPoses(root, ms, mv.frames, align.get(ms));
  const N = mv.frames.length, offs: number[] = [], hits = B.map(() => 0);
  for (let f = 0; f < qv.frames.length; f++) {
    const qx = QW[f][3], qz = QW[f][11], d = (i: number) => Math.hypot(MW[i][3] - qx, MW[i][11] - qz);
    let near = -1; for (let i = 0; i < N; i++) if (!(qs === ms && i === f) && (near < 0 || d(i) < d(near))) near = i;
    if (d(near) > 10 || QW[f][2] * MW[near][2] + QW[f][10] * MW[near][10] < 0) continue; // out of the map, or driving the other way
    let top = -1, best = Infinity;
    for (let i = 0; i < N; i++) { if (qs === ms && i === f) continue; let s = 0; for (let k = 0; k < D; k++) { const x = qd[f * D + k] - md[i * D + k]; s += x * x; } if (s < best) { best = s; top = i; } }
    const T = MW[top], fx = T[2], fz = T[10]; // the scan camera's optical axis on the ground
    offs.push((T[3] - qx) * fx + (T[11] - qz) * fz);
    B.forEach((b, j) => { hits[j] += Math.hypot(T[3] + b * fx - qx, T[11] + b * fz - qz) < 2 ? 1 : 0; });
  }
  const s = [...offs].sort((a, b) => a - b), n = offs.length;
  if (n === 0) { console.log(`${root} ${qs} vs ${ms}: no query within 10 m of the map driving its way`); continue; }
  console.log(`${root} ${qs} vs ${ms} (${n} queries): top-1 along-track offset median ${s[n >> 1].toFixed(2)} m, mean ${(offs.reduce((a, b) => a + b, 0) / n).toFixed(2)} m, behind ${(100 * offs.filter((o) => o < 0).length / n).toFixed(1)} %; within 2 m after moving b m forward: ${B.map((b, j) => `${b}: ${(100 * hits[j] / n).toFixed(1)}`).join(', ')}`);
}
