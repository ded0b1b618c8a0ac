// Probe for issue 13 (stop 22): a second ModaLink model, fine-tuned with negatives beyond 2 m (experiments/configs/modalink-localization.json),
// as a re-ranker of the shipped model's top k: does it pick a scan within 2 m of the query more often? Prints, per task, the share of
// queries (within 10 m of the database) whose pick lies within 2 m: the shipped model's top 1, the fine-tuned model alone, and the
// fine-tuned model re-ranking the shipped top k. Tasks: each drive of the validation town (seed 20) and of the test town against its
// own scans (own scan left out: the nearest others are the neighbouring frames, 0.7-1.1 m away), and the test town's drive 02 against 00.
// Usage: npx tsx experiments/probes/rerank-model.mts <fine-tuned run> [k, default 5] [main run, default models/modalink-laptop]
import { loadModaLinkRun, describeView } from '../../src/modalink/evaluate.js';
import { createSequenceView } from '../../src/modalink/data.js';
import { syntheticAlignment } from '../../src/modalink/splits.js';
import type { ModaLinkModel } from '../../src/modalink/model.js';
const fine = (await loadModaLinkRun(process.argv[2])).model, K = Number(process.argv[3] ?? 5);
const main = (await loadModaLinkRun(process.argv[4] ?? 'models/modalink-laptop')).model;
const tasks: [string, number, number][] = [['data/towns-seed20', 0, 0], ['data/towns-seed20', 1, 1], ['data/synthetic-default', 1, 1], ['data/synthetic-default', 2, 2], ['data/synthetic-default', 3, 3], ['data/synthetic-default', 2, 0]];
const dist = (a: Float32Array, i: number, b: Float32Array, j: number, D: number) => { let s = 0; for (let k = 0; k < D; k++) { const x = a[i * D + k] - b[j * D + k]; s += x * x; } return s; };
for (const [root, qs, ds] of tasks) {
  const align = syntheticAlignment(root)!;
  const qv = createSequenceView(root, qs, main.config, { cacheDir: '.cache/modalink', worldFromPoses: align.get(qs) });
  const dv = qs === ds ? qv : createSequenceView(root, ds, main.config, { cacheDir: '.cache/modalink', worldFromPoses: align.get(ds) });
  const desc = (m: ModaLinkModel) => [describeView(m, qv, 'image'), describeView(m, dv, 'depth')];
  const [mq, md] = desc(main), [fq, fd] = desc(fine), D = main.descriptorSize;
  const P = dv.positionsXZ, Q = qv.positionsXZ, N = dv.frames.length;
  const res = { main: 0, fine: 0, rerank: 0 }; let n = 0;
  for (let f = 0; f < qv.frames.length; f++) {
    const err = (i: number) => Math.hypot(P[2 * i] - Q[2 * f], P[2 * i + 1] - Q[2 * f + 1]);
    const ids = Array.from({ length: N }, (_, i) => i).filter((i) => !(qs === ds && i === f));
    if (Math.min(...ids.map(err)) > 10) continue;
    n++;
    const byMain = ids.map((i) => [dist(mq, f, md, i, D), i]).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
    const byFine = ids.map((i) => [dist(fq, f, fd, i, D), i]).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
    const top = byMain.slice(0, K), re = top.reduce((b, i) => (dist(fq, f, fd, i, D) < dist(fq, f, fd, b, D) ? i : b), top[0]);
    res.main += err(byMain[0]) < 2 ? 1 : 0; res.fine += err(byFine[0]) < 2 ? 1 : 0; res.rerank += err(re) < 2 ? 1 : 0;
  }
  console.log(`${root} ${qs} vs ${ds} (${n} queries), within 2 m %:`, Object.entries(res).map(([k, v]) => `${k} ${(100 * v / n).toFixed(1)}`).join(', '));
}
