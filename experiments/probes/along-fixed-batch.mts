// Probe for issue 13 (stop 27): can the bearing network's along-track softmax (bearing.alongHalfM) be fitted at all? The
// first debugging step of any new loss: train on ONE fixed batch of training pairs (clouds from scans up to
// pairs.neighbourFrames away, drawn once with a seeded generator) and watch the loss and where the best (d, heading)
// lands. A network that cannot put d = 0 first on pairs it sees again and again has a bug or a representation that
// cannot tell the centres apart; one that can, but does not generalise (near-misses.md, levers 7 and 8), needs data and time.
// Usage: npx tsx experiments/probes/along-fixed-batch.mts [config, default experiments/configs/icl-along-rows.json] [steps, default 150] [pairs, default 4]
import fs from 'node:fs';
import { createRng } from '../../src/core/rng.js';
import { tf } from '../../src/core/tf.js';
import { createAdam } from '../../src/train/adam.js';
import { loadRegistrationConfig, registrationPairConfig } from '../../src/registration/config.js';
import { createPairSourceCache, disposeBatch, stackPairs } from '../../src/registration/pair-batches.js';
import { bearingStep } from '../../src/registration/train.js';
import { createRegistrationModel } from '../../src/registration/model.js';
import { alongOffsets, alongPolarImages, cameraOffsetInCloud, poseCentre, poseHeading, POLAR_CHANNELS } from '../../src/registration/bearing-polar.js';

const file = process.argv[2] ?? 'experiments/configs/icl-along-rows.json', steps = Number(process.argv[3] ?? 150), P = Number(process.argv[4] ?? 4);
if (!fs.existsSync(file)) throw new Error(`${file}: no such config`);
const cfg = loadRegistrationConfig(file, { stage: 'bearing' });
const model = createRegistrationModel(cfg, 0), net = model.bearing!, bc = net.config, along = alongOffsets(bc), A = along.length;
const data = createPairSourceCache('data/synthetic-default', registrationPairConfig(cfg), 'train'), rng = createRng(7);
const picks = Array.from({ length: P }, (_, i) => Math.floor((i + 0.5) * (data.dataset.length / P)));
const pairs = picks.map((i) => data.pair(i, rng)), batch = stackPairs(pairs);
console.log(`pairs ${picks.join(' ')}: cloud frames ${pairs.map((p) => `${p.meta.seq}/${p.meta.frame}<-${p.meta.cloudFrame ?? p.meta.frame}`).join(' ')}; ${A} centres, ${bc.bins} headings`);

/** Where the best (d, heading) of each pair lands, with the true centre (no noise). */
function bestD(): number[] {
  const T = batch.camFromPoints.dataSync(), o = batch.lidarOrigin!.dataSync(), pts = batch.points.dataSync() as Float32Array;
  const centres: number[] = [], forward: number[] = [];
  for (let b = 0; b < P; b++) {
    const pose = T.subarray(16 * b, 16 * b + 16), psi = poseHeading(pose), c = poseCentre(pose), off = cameraOffsetInCloud(psi, o.subarray(3 * b, 3 * b + 3));
    centres.push(c.x + off.x, c.z + off.z); forward.push(Math.sin(psi), Math.cos(psi));
  }
  const s = tf.tidy(() => net.scores(tf.tensor4d(alongPolarImages(pts, centres, forward, along, bc), [P * A, bc.rangeBins, bc.bins, POLAR_CHANNELS]), batch.image, tf.reshape(batch.K, [P, 9]) as never, A).arraySync()) as number[][];
  return Array.from({ length: P }, (_, b) => { let best = 0; for (let a = 1; a < A; a++) if (Math.max(...s[b * A + a]) > Math.max(...s[b * A + best])) best = a; return along[best]; });
}

const opt = createAdam(model.trainableVariables('bearing'), { learningRate: cfg.learningRate }), trainRng = createRng(8);
const t0 = Date.now();
for (let i = 1; i <= steps; i++) {
  const r = bearingStep(model, opt, batch, cfg, trainRng);
  if (i === 1 || i % 25 === 0) console.log(`step ${i}: loss ${r.loss.toFixed(3)}, best d per pair ${bestD().join(' ')} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
opt.dispose(); disposeBatch(batch); model.dispose();
