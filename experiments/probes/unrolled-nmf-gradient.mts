// Probe for issue 12 (stop 32): why does the unrolled-NMF ablation row not learn (triplet loss at the margin for all
// 7200 steps, test Recall@1 8.6 %) when the detached row with the same seed and recipe reaches 87.8 %? The unrolled
// gradient of NMF alone passes a finite-difference test (test/nn/nmf.test.ts), so the question is what it does to the
// encoder's gradient in the full model. Same start for both modes (same seed: same encoder, same NetVLAD k-means
// init on the same frames; checked below), the same seeded batches of the mined recipe's config (negatives drawn at
// random, as before the first mining), and per batch:
//   - the gradient norm per variable group (encoder, NetVLAD main, NetVLAD NMF) in each mode;
//   - on the encoder, the NMF path's own part (unrolled minus detached: the detached gradient is exactly the
//     unrolled one without the path through the multiplicative updates) and its cosine with the detached gradient.
// Then a few Adam steps from the same start in each mode on the same batches: the triplet loss and the spread of
// descriptor distances (a collapse shows as all distances equal, the loss then sits at the margin).
// Last, a longer window on fresh batches (a new seeded batch every step, the same for both modes): the triplet loss,
// the spread and the whole gradient's norm (median and largest per window): a spike there inflates Adam's second
// moment, which then shrinks every later step of the variables it hit for thousands of steps (beta2 0.999).
// Usage: npx tsx experiments/probes/unrolled-nmf-gradient.mts [batches, default 4] [adam steps on them, default 40]
//   [town, default data/towns-seed11] [test town the protocol needs named, default data/synthetic-default] [fresh-batch steps, default 0]
//   [config fields over the recipe's for both modes, JSON, e.g. '{"nmfIterations": 5}']
import { createRng, permutation } from '../../src/core/rng.js';
import { tf, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D, type Variable } from '../../src/core/tf.js';
import { createAdam } from '../../src/train/adam.js';
import { adamStep } from '../../src/train/adam-step.js';
import { loadModaLinkConfig, type ModaLinkConfig } from '../../src/modalink/config.js';
import { createModaLinkModel, type ModaLinkModel } from '../../src/modalink/model.js';
import { gather as gatherViews, queryList, trainingViews } from '../../src/modalink/train.js';
import { sampleNegatives } from '../../src/modalink/ground-distance.js';
import { modaLinkLoss } from '../../src/modalink/losses.js';

const nBatches = Number(process.argv[2] ?? 4), adamSteps = Number(process.argv[3] ?? 40), town = process.argv[4] ?? 'data/towns-seed11', driftSteps = Number(process.argv[6] ?? 0);
const base = loadModaLinkConfig('experiments/configs/modalink-towns8-mined.json', JSON.parse(process.argv[7] ?? '{}') as Partial<ModaLinkConfig>);
const views = trainingViews(process.argv[5] ?? 'data/synthetic-default', 'towns', base, '.cache/modalink', undefined, [town]);
const queries = queryList(views);
const H = base.inputHeightPx, W = base.inputWidthPx, B = base.batchSize, M = base.negatives;
console.log(`town ${town}: ${queries.length} frames; batch ${B} queries + ${B} positives + ${B * M} negatives; ${base.nmfIterations} NMF updates, K ${base.nmfFactors}; Adam lr ${base.learningRate}`);

const gather = (items: [number, number][], kind: 'image' | 'depth'): Tensor4D => gatherViews(views, items, kind, H, W);

/** Seeded batches (images, depths of positives then negatives), the same for both modes. */
function makeBatches(n: number, seed: number): { imgs: Tensor4D; deps: Tensor4D }[] {
  const rng = createRng(seed), order = permutation(rng, queries.length, n * B);
  return Array.from({ length: n }, (_, b) => {
    const batch = Array.from(order.subarray(b * B, (b + 1) * B), (k) => queries[k]);
    const negs = batch.flatMap(([v, i]) => Array.from(sampleNegatives(i, views[v].positionsXZ as ArrayLike<number>, base.negativeThresholdM, M, rng), (j) => [v, j] as [number, number]));
    return { imgs: gather(batch, 'image'), deps: gather([...batch, ...negs], 'depth') };
  });
}

function lossOf(model: ModaLinkModel, imgs: Tensor4D, deps: Tensor4D): { total: Tensor; triplet: Tensor; spread: Tensor } {
  const c = model.config;
  const q = model.forward(imgs, 'image', true), d = model.forward(deps, 'depth', true);
  const [, h, w, C] = d.map.shape, D = d.descriptor.shape[1];
  const positive = tf.slice(d.descriptor, [0, 0], [B, D]) as Tensor2D, negatives = tf.reshape(tf.slice(d.descriptor, [B, 0], [B * M, D]), [B, M, D]) as Tensor3D;
  const l = modaLinkLoss({
    query: q.descriptor, positive, negatives,
    queryMap: q.map, positiveMap: tf.slice(d.map, [0, 0, 0, 0], [B, h, w, C]),
    negativeMaps: tf.reshape(tf.slice(d.map, [B, 0, 0, 0], [B * M, h, w, C]), [B, M, h, w, C]),
  }, { marginL2: c.marginL2, midMarginL1: c.midMarginL1, tripletWeight: c.tripletWeight, midWeight: c.midWeight });
  // spread of query-to-candidate distances (positive and negatives): 0 when the descriptors have collapsed
  const dist = tf.sqrt(tf.sum(tf.square(tf.sub(tf.expandDims(q.descriptor, 1), tf.concat([tf.expandDims(positive, 1), negatives], 1))), 2)); // [B, 1 + M]
  const spread = tf.mean(tf.sqrt(tf.moments(dist, 1).variance));
  return { total: l.total, triplet: l.triplet, spread };
}

function build(mode: 'detached' | 'unrolled'): ModaLinkModel {
  const c: Partial<ModaLinkConfig> = { ...base, nmfMode: mode };
  const model = createModaLinkModel(c);
  const krng = createRng(3), pick = Array.from(permutation(krng, queries.length, Math.min(base.kmeansFrames, queries.length)), (k) => queries[k]);
  const imgs = gather(pick, 'image'), deps = gather(pick, 'depth');
  model.initNetVlad(imgs, deps);
  tf.dispose([imgs, deps]);
  return model;
}

const group = (name: string): string => (name.startsWith('netvlad.nmf') ? 'netvlad.nmf' : name.startsWith('netvlad.main') ? 'netvlad.main' : name.split('.')[0]);
const names = (m: ModaLinkModel): Map<Variable, string> => new Map([...m.variables].map(([n, v]) => [v, n]));

/** Gradients of the total loss, flattened per variable name. */
function grads(model: ModaLinkModel, imgs: Tensor4D, deps: Tensor4D): Map<string, Float32Array> {
  const byVar = names(model);
  const { grads: g, value } = tf.variableGrads(() => lossOf(model, imgs, deps).total as ReturnType<typeof tf.scalar>, model.trainableVariables);
  const out = new Map<string, Float32Array>();
  for (const v of model.trainableVariables) out.set(byVar.get(v)!, g[v.name].dataSync() as Float32Array);
  tf.dispose([value, ...Object.values(g)]);
  return out;
}

const dot = (a: Float32Array, b: Float32Array): number => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };
const fmt = (x: number): string => (Math.abs(x) >= 1e3 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toFixed(4));

const det = build('detached'), unr = build('unrolled');
{ // same start
  let maxDiff = 0;
  for (const [n, v] of det.variables) { const a = v.dataSync(), b = unr.variables.get(n)!.dataSync(); for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i])); }
  console.log(`same start: largest difference over every variable ${maxDiff}`);
}
const batches = makeBatches(nBatches, 11);
console.log('\n| batch | group | detached norm | unrolled norm | NMF path norm (unrolled - detached) | cos(detached, NMF path) | cos(detached, unrolled) |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const encDet: Float32Array[] = [], encPath: Float32Array[] = [];
for (const [b, { imgs, deps }] of batches.entries()) {
  const gd = grads(det, imgs, deps), gu = grads(unr, imgs, deps);
  const groups = [...new Set([...gd.keys()].map(group))];
  for (const g of groups) {
    const keys = [...gd.keys()].filter((k) => group(k) === g);
    const a = Float32Array.from(keys.flatMap((k) => Array.from(gd.get(k)!))), u = Float32Array.from(keys.flatMap((k) => Array.from(gu.get(k)!)));
    const p = u.map((x, i) => x - a[i]);
    if (g === 'encoder') { encDet.push(a); encPath.push(p); }
    const na = Math.sqrt(dot(a, a)), nu = Math.sqrt(dot(u, u)), np = Math.sqrt(dot(p, p));
    const finite = u.every(Number.isFinite) ? '' : ' (non-finite values!)';
    console.log(`| ${b} | ${g} | ${fmt(na)} | ${fmt(nu)}${finite} | ${fmt(np)} | ${np > 0 && na > 0 ? fmt(dot(a, p) / (na * np)) : '-'} | ${na > 0 && nu > 0 ? fmt(dot(a, u) / (na * nu)) : '-'} |`);
  }
}

/** Agreement across batches: mean pairwise cosine, and |mean gradient| / mean |gradient| (1: every batch agrees; 1/sqrt(n): unrelated directions). */
function agreement(gs: Float32Array[]): string {
  const n = gs.length, norms = gs.map((g) => Math.sqrt(dot(g, g)));
  let cs = 0, pairs = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) { cs += dot(gs[i], gs[j]) / (norms[i] * norms[j]); pairs++; }
  const mean = gs[0].map((_, k) => gs.reduce((s, g) => s + g[k], 0) / n);
  return `mean pairwise cosine ${fmt(cs / pairs)}, |mean| / mean |g| ${fmt(Math.sqrt(dot(mean, mean)) / (norms.reduce((s, x) => s + x, 0) / n))}`;
}
if (nBatches > 1) {
  console.log(`\nEncoder gradients across the ${nBatches} batches (unrelated directions give cosine ~0 and a ratio ~${fmt(1 / Math.sqrt(nBatches))}):`);
  console.log(`- detached (the path through the main NetVLAD and the mid-level loss): ${agreement(encDet)}`);
  console.log(`- the NMF path (unrolled - detached): ${agreement(encPath)}`);
}

if (adamSteps > 0) {
  console.log(`\nAdam from the same start, lr ${base.learningRate}, on the ${nBatches} batches in turn (loss before each step; spread = mean over queries of the std of their ${1 + M} distances):`);
  console.log('| step | detached triplet | detached spread | unrolled triplet | unrolled spread |');
  console.log('| --- | --- | --- | --- | --- |');
  const opts = [det, unr].map((m) => createAdam(m.trainableVariables, { learningRate: base.learningRate }));
  const t0 = Date.now();
  for (let s = 0; s < adamSteps; s++) {
    const { imgs, deps } = batches[s % nBatches];
    const row: string[] = [];
    [det, unr].forEach((m, k) => {
      const r = adamStep(opts[k], () => lossOf(m, imgs, deps));
      row.push(fmt(r.parts.triplet), fmt(r.parts.spread));
    });
    if (s % 5 === 0 || s === adamSteps - 1) console.log(`| ${s} | ${row.join(' | ')} |`);
  }
  console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

if (driftSteps > 0) {
  const fresh = [build('detached'), build('unrolled')], opts = fresh.map((m) => createAdam(m.trainableVariables, { learningRate: base.learningRate }));
  const win = 25, acc = fresh.map(() => ({ triplet: [] as number[], spread: [] as number[], norm: [] as number[] }));
  console.log(`\nAdam from the same start on ${driftSteps} fresh batches (lr ${base.learningRate}; per window of ${win} steps: mean triplet loss, mean spread, median and largest gradient norm of the whole model):`);
  console.log('| steps | detached triplet | detached spread | detached grad norm (median / max) | unrolled triplet | unrolled spread | unrolled grad norm (median / max) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const t0 = Date.now();
  for (let s = 0; s < driftSteps; s++) {
    const [{ imgs, deps }] = makeBatches(1, 1000 + s);
    fresh.forEach((m, k) => {
      const r = adamStep(opts[k], () => lossOf(m, imgs, deps), { clipGradNorm: 1e30 }); // no clipping: only to read the norm
      acc[k].triplet.push(r.parts.triplet); acc[k].spread.push(r.parts.spread); acc[k].norm.push(r.gradNorm ?? NaN);
    });
    tf.dispose([imgs, deps]);
    if ((s + 1) % win === 0) {
      const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
      const med = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
      console.log(`| ${s + 2 - win}-${s + 1} | ${acc.map((a) => `${fmt(mean(a.triplet))} | ${fmt(mean(a.spread))} | ${fmt(med(a.norm))} / ${fmt(Math.max(...a.norm))}`).join(' | ')} |`);
      for (const a of acc) { a.triplet.length = 0; a.spread.length = 0; a.norm.length = 0; }
    }
  }
  console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
