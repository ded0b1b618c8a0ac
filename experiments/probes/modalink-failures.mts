// Probe for issue 12: where does the shipped ModaLink fail on the test town (protocol `towns`: each drive against its own
// depth images, own scan left out, a hit within 10 m)? For every Recall@1 failure: how far the top-1 lies, how far the
// query's heading turns from the top-1's, and whether any scan within 10 m looks the query's way at all (heading within
// 45 deg: what a forward-looking depth image can match). Prints one table per drive and over all drives.
// Usage: npx tsx experiments/probes/modalink-failures.mts [run, default models/modalink-laptop] [data, default data/synthetic-default]
import { loadModaLinkRun, describeView } from '../../src/modalink/evaluate.js';
import { createSequenceView } from '../../src/modalink/data.js';
import { syntheticAlignment } from '../../src/modalink/splits.js';
import { cameraTwoPoses } from '../../src/localization/map.js';
import fs from 'node:fs';
const run = process.argv[2] ?? 'models/modalink-laptop', root = process.argv[3] ?? 'data/synthetic-default';
const { model } = await loadModaLinkRun(run);
const align = syntheticAlignment(root);
const D = model.descriptorSize;
const seqs = fs.readdirSync(`${root}/sequences`).filter((s) => /^\d\d$/.test(s)).map(Number);
const heading = (P: number[]) => Math.atan2(P[2], P[10]); // camera z axis (third column) on the ground plane x/z
const angle = (a: number, b: number) => { let d = Math.abs(a - b) % (2 * Math.PI); if (d > Math.PI) d = 2 * Math.PI - d; return (d * 180) / Math.PI; };
const rows: string[] = [];
const total = { q: 0, hit: 0, fail: 0, unreachable: 0, near20: 0, turn: 0 };
for (const s of seqs) {
  const v = createSequenceView(root, s, model.config, { cacheDir: '.cache/modalink', worldFromPoses: align?.get(s) });
  const qd = describeView(model, v, 'image'), dd = describeView(model, v, 'depth');
  const P = cameraTwoPoses(root, s, v.frames, align?.get(s));
  const N = v.frames.length;
  const c = { q: 0, hit: 0, fail: 0, unreachable: 0, near20: 0, turn: 0 };
  const failDist: number[] = [], failTurn: number[] = [];
  for (let f = 0; f < N; f++) {
    const dist = (i: number) => Math.hypot(P[i][3] - P[f][3], P[i][11] - P[f][11]);
    let best = -1, bd = Infinity, anyPos = false, reach = false;
    for (let i = 0; i < N; i++) {
      if (i === f) continue;
      if (dist(i) <= 10) { anyPos = true; if (angle(heading(P[i]), heading(P[f])) < 45) reach = true; }
      let e = 0; for (let k = 0; k < D; k++) { const x = qd[f * D + k] - dd[i * D + k]; e += x * x; }
      if (e < bd) { bd = e; best = i; }
    }
    if (!anyPos) continue;
    c.q++;
    if (dist(best) <= 10) { c.hit++; continue; }
    c.fail++; failDist.push(dist(best)); failTurn.push(angle(heading(P[best]), heading(P[f])));
    if (!reach) c.unreachable++;
    if (dist(best) <= 20) c.near20++;
    // a turn: the heading changes by more than 30 deg within +-10 frames
    const lo = Math.max(0, f - 10), hi = Math.min(N - 1, f + 10);
    if (angle(heading(P[lo]), heading(P[hi])) > 30) c.turn++;
  }
  const med = (a: number[]) => { const b = [...a].sort((x, y) => x - y); return b.length ? b[b.length >> 1] : NaN; };
  rows.push(`| ${String(s).padStart(2, '0')} | ${c.q} | ${(100 * c.hit / c.q).toFixed(1)} % | ${c.fail} | ${c.unreachable} | ${c.near20} | ${c.turn} | ${med(failDist).toFixed(1)} | ${med(failTurn).toFixed(0)} |`);
  for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += c[k];
}
console.log(`run ${run}, data ${root}`);
console.log('| drive | queries | Recall@1 | failures | no scan within 10 m looks the query\'s way | top-1 within 10-20 m | at a turn (>30 deg over +-10 frames) | failures\' median top-1 distance (m) | median heading difference (deg) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
console.log(`| all | ${total.q} | ${(100 * total.hit / total.q).toFixed(1)} % | ${total.fail} | ${total.unreachable} | ${total.near20} | ${total.turn} | | |`);
