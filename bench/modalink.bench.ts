/**
 * ModaLink training cost on this machine: where a step's time goes before and after the
 * packed frame cache, and the step time of the old (64 x 400, 10 negatives) and the new
 * (48 x 320, 5 negatives) laptop settings. Prints a markdown table.
 * Usage: npx tsx bench/modalink.bench.ts [data root, default data/synthetic-default]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as aq from 'arquero';
import { tf, type Tensor4D } from '../src/core/tf.js';
import { MODALINK_PRESETS, validateModaLinkConfig, type ModaLinkConfig } from '../src/modalink/config.js';
import { createModaLinkModel } from '../src/modalink/model.js';
import { createSequenceView } from '../src/modalink/data.js';
import { modaLinkLoss } from '../src/modalink/losses.js';
import { tableToMarkdown } from '../src/viz/table.js';

const root = process.argv[2] ?? 'data/synthetic-default';
const rows: { what: string; setting: string; ms: number; note: string }[] = [];

/** ms per frame to decode + resize the image and build the completed depth image, and to read them packed. */
function dataCost(c: Readonly<ModaLinkConfig>): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-bench-'));
  const frames = Array.from({ length: 20 }, (_, i) => i);
  const v = createSequenceView(root, 0, c, { frames, cacheDir: tmp });
  let t = performance.now();
  for (const i of frames) { v.image(i); v.depth(i); }
  rows.push({ what: 'image + depth of one frame, computed', setting: `${c.inputWidthPx} x ${c.inputHeightPx}`, ms: (performance.now() - t) / frames.length, note: 'PNG decode, crop, resize; FoV projection + completion' });
  v.precompute();
  const w = createSequenceView(root, 0, c, { frames, cacheDir: tmp });
  t = performance.now();
  for (let r = 0; r < 10; r++) tf.dispose([w.images([0, 1, 2, 3]), w.depths(frames.slice(0, 24))]);
  rows.push({ what: 'tensors of one step (4 images, 24 depths), packed cache', setting: `${c.inputWidthPx} x ${c.inputHeightPx}`, ms: (performance.now() - t) / 10, note: 'loaded once per run' });
  fs.rmSync(tmp, { recursive: true, force: true });
}

/** ms of one optimisation step (forward, loss, backward, Adam) on random inputs. */
function stepCost(name: string, c: Readonly<ModaLinkConfig>): void {
  const m = createModaLinkModel(c), B = c.batchSize, M = c.negatives, H = c.inputHeightPx, W = c.inputWidthPx;
  const imgs = tf.randomUniform([B, H, W, 3], 0, 1, 'float32', 1) as Tensor4D, deps = tf.randomUniform([B * (1 + M), H, W, 1], 0, 1, 'float32', 2) as Tensor4D;
  m.initNetVlad(imgs, deps);
  const opt = tf.train.adam(1e-4), ts: number[] = [];
  for (let r = 0; r < 4; r++) {
    const t = performance.now();
    const { value, grads } = opt.computeGradients(() => {
      const q = m.forward(imgs, 'image', true), d = m.forward(deps, 'depth', true);
      const [, h, w, C] = d.map.shape, D = d.descriptor.shape[1];
      return modaLinkLoss({ query: q.descriptor, positive: d.descriptor.slice([0, 0], [B, D]), negatives: d.descriptor.slice([B, 0], [B * M, D]).reshape([B, M, D]),
        queryMap: q.map, positiveMap: d.map.slice([0, 0, 0, 0], [B, h, w, C]), negativeMaps: d.map.slice([B, 0, 0, 0], [B * M, h, w, C]).reshape([B, M, h, w, C]) },
      { marginL2: c.marginL2, midMarginL1: c.midMarginL1, tripletWeight: c.tripletWeight, midWeight: c.midWeight }).total as ReturnType<typeof tf.scalar>;
    }, m.trainableVariables);
    value.dataSync();
    opt.applyGradients(grads as Parameters<typeof opt.applyGradients>[0]);
    tf.dispose([value, ...Object.values(grads)]);
    if (r > 0) ts.push(performance.now() - t);
  }
  const ms = ts.reduce((a, b) => a + b, 0) / ts.length;
  rows.push({ what: `training step, ${name}`, setting: `${W} x ${H}, ${B} queries, ${M} negatives`, ms, note: `${((B * (2 + M)) / ms * 1000).toFixed(0)} img/s; ${((650 / B) * ms / 1000).toFixed(0)} s per 650-frame epoch` });
  tf.dispose([imgs, deps]); m.dispose(); opt.dispose();
}

const laptop = MODALINK_PRESETS.laptop;
const old = validateModaLinkConfig({ inputHeightPx: 64, inputWidthPx: 400, negatives: 10 }, laptop);
dataCost(old);
dataCost(laptop);
stepCost('old laptop', old);
stepCost('laptop', laptop);
console.log(tableToMarkdown(aq.from(rows.map((r) => ({ ...r, ms: Math.round(r.ms * 10) / 10 })))));
