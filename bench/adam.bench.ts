/**
 * The cost of one Adam update: tf.train.adam (about 13 tfjs ops per variable; with the L2
 * weight decay the old registration step added, 2 more) against the flat Adam of
 * src/train/adam.ts (gradients and values concatenated into one vector), on a few hundred small
 * variables and on the laptop models' trainable variables. Gradients are fixed seeded random
 * tensors, so only the update is timed (flattening the gradients included). The last column is
 * the largest |difference| of any weight after the timed steps: the two must agree.
 * Usage: npx tsx bench/adam.bench.ts [steps, default 20]
 */
import { tf, type Tensor, type Tensor1D, type Variable } from '../src/core/tf.js';
import { createRng } from '../src/core/rng.js';
import { createAdam } from '../src/train/adam.js';
import { flattenTensors } from '../src/train/flat-layout.js';
import { MODALINK_PRESETS } from '../src/modalink/config.js';
import { createModaLinkModel } from '../src/modalink/model.js';
import { REGISTRATION_PRESETS } from '../src/registration/config.js';
import { createRegistrationModel } from '../src/registration/model.js';
import { tableToMarkdown } from '../src/viz/table.js';
import { median } from './timing.js';
import * as aq from 'arquero';

const steps = Number(process.argv[2] ?? 20);
const rows: Record<string, string | number>[] = [];

/** Times `steps` updates of both optimizers on copies of `shapes`, with weight decay `wd`. */
function compare(name: string, shapes: number[][], wd: number): void {
  const rng = createRng(1);
  const init = shapes.map((s) => tf.tensor(Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal() * 0.1), s));
  const a = init.map((t, i) => tf.variable(t, true, `bench.a.${name}.${wd}.${i}`)), b = init.map((t, i) => tf.variable(t, true, `bench.b.${name}.${wd}.${i}`));
  const grads = Array.from({ length: 3 }, (_, k) => init.map((t, i) => tf.randomNormal(t.shape, 0, 1, 'float32', 1000 * k + i)));
  tf.dispose(init);
  const tfAdam = tf.train.adam(1e-3), flat = createAdam(b, { learningRate: 1e-3 });
  const tA: number[] = [], tB: number[] = [];
  for (let s = 0; s <= steps; s++) {
    const g = grads[s % grads.length];
    let t0 = performance.now();
    tf.tidy(() => tfAdam.applyGradients(Object.fromEntries(a.map((v, i) => [v.name, wd > 0 ? tf.add(g[i], tf.mul(v, wd)) : g[i]])) as Parameters<typeof tfAdam.applyGradients>[0]));
    if (s > 0) tA.push(performance.now() - t0); // step 0 creates tf.train.adam's moments
    t0 = performance.now();
    const fg: Tensor1D = flattenTensors(g);
    flat.update(fg, { weightDecay: wd });
    fg.dispose();
    if (s > 0) tB.push(performance.now() - t0);
  }
  const diff = Math.max(...a.map((v, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(v, b[i]))).dataSync()[0])));
  const params = shapes.reduce((n, s) => n + s.reduce((x, y) => x * y, 1), 0);
  const [msA, msB] = [median(tA), median(tB)];
  rows.push({ variables: `${name}: ${shapes.length} tensors, ${(params / 1e6).toFixed(2)} M values`, weightDecay: String(wd), 'tf.train.adam ms': msA.toFixed(2), 'flat Adam ms': msB.toFixed(2), speedup: (msA / msB).toFixed(1), 'max |w_tf - w_flat|': diff });
  tfAdam.dispose(); flat.dispose(); tf.dispose([...a, ...b, ...grads.flat()] as Tensor[]);
}

const rng = createRng(7);
const small = Array.from({ length: 300 }, () => [[rng.int(64) + 1], [rng.int(16) + 1, rng.int(16) + 1], [3, 3, rng.int(8) + 1, rng.int(8) + 1]][rng.int(3)]);
const shapesOf = (vs: readonly Variable[]): number[][] => vs.map((v) => [...v.shape]);
const ml = createModaLinkModel(MODALINK_PRESETS.laptop), mlShapes = shapesOf(ml.trainableVariables);
ml.dispose();
const reg = createRegistrationModel(REGISTRATION_PRESETS.laptop), regShapes = shapesOf(reg.trainableVariables('joint'));
reg.dispose();
for (const wd of [0, 1e-6]) {
  compare('300 small', small, wd);
  compare('ModaLink laptop', mlShapes, wd);
  compare('registration laptop (joint)', regShapes, wd);
}
console.log(`Adam update, median of ${steps} steps, backend ${tf.getBackend()}\n`);
console.log(tableToMarkdown(aq.from(rows)));
