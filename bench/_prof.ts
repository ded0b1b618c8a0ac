import { tf } from '../src/core/tf.js';
import { MODALINK_PRESETS, validateModaLinkConfig } from '../src/modalink/config.js';
import { createModaLinkModel } from '../src/modalink/model.js';
import { trainingViews } from '../src/modalink/train.js';
import { modaLinkLoss } from '../src/modalink/losses.js';
const over = JSON.parse(process.argv[2] ?? '{}');
const c = validateModaLinkConfig(over, MODALINK_PRESETS.laptop);
const views = trainingViews('data/synthetic-default', 'synthetic', c);
const v = views[0];
let t = performance.now();
const T = (l: string) => { const n = performance.now(); console.log(l, (n - t).toFixed(0), 'ms'); t = n; };
for (let i = 0; i < 5; i++) v.image(i); T('5 images');
for (let i = 0; i < 5; i++) v.depth(i); T('5 depths');
const m = createModaLinkModel(c);
const B = c.batchSize, M = c.negatives;
const imgs = v.images([0,1,2,3].slice(0,B)); const deps = v.depths(Array.from({length: B*(1+M)}, (_, k) => k % 5));
const im2 = v.images([0,1,2,3]); const de2 = v.depths([0,1,2,3]); m.initNetVlad(im2, de2); T('init');
for (let r = 0; r < 3; r++) {
  tf.tidy(() => { const o = m.forward(deps, 'depth', false); o.descriptor.dataSync(); }); T(`fwd depth x${deps.shape[0]} nograd`);
  tf.tidy(() => { const e = (m as any); }); 
  const opt = tf.train.adam(1e-4);
  const { value, grads } = opt.computeGradients(() => {
    const q = m.forward(imgs, 'image', true); const d = m.forward(deps, 'depth', true);
    return tf.add(tf.sum(q.descriptor), tf.sum(d.descriptor)) as any;
  }, m.trainableVariables); value.dataSync(); T('fwd+bwd step');
  tf.dispose([value, ...Object.values(grads)]);
}
