/**
 * Training steps to measure, shared by the profiler (profile.bench.ts) and the loss-parity
 * bench (loss-parity.bench.ts): a loss closure over trainable variables on fixed seeded inputs.
 * - `modalink-laptop`, `modalink-paper`: the shared ModaLink encoder (src/nn/resnet.ts) at
 *   batch 4 with a dummy loss (mean squared difference to a fixed seeded map), as
 *   bench/modalink-encoder.bench.ts times it.
 * - `registration-laptop` (batch 4), `registration-paper` (batch 1, ~9 GiB): the ICL model,
 *   stage 'joint', registrationLoss on the seeded synthetic pairs of registration-inputs.ts.
 */
import { tf, type Tensor4D, type Variable } from '../../src/core/tf.js';
import { createEncoder } from '../../src/nn/resnet.js';
import { ENCODER_PRESETS } from '../../src/nn/encoder-config.js';
import { registrationPairConfig, validateRegistrationConfig } from '../../src/registration/config.js';
import { BENCH_REGISTRATION_PRESETS } from './registration-torch.js';
import { createRegistrationModel } from '../../src/registration/model.js';
import { registrationLoss } from '../../src/registration/losses.js';
import { disposeBatch } from '../../src/registration/pair-batches.js';
import { syntheticBatch } from './registration-inputs.js';

type Scalar = ReturnType<typeof tf.scalar>;

/** A training step to profile: the loss closure over `vars`, and what to free afterwards. */
export interface Target { name: string; batch: number; vars: Variable[]; loss: () => Scalar; dispose: () => void; /** What training uses: the config's rate (registration), 1e-3 (encoder). */ learningRate: number }

export const TARGETS: Record<string, () => Target> = {
  'modalink-laptop': () => encoderTarget('laptop'),
  'modalink-paper': () => encoderTarget('paper'),
  'registration-laptop': () => registrationTarget('laptop', 4),
  'registration-paper': () => registrationTarget('paper', 1),
};

export function encoderTarget(preset: 'laptop' | 'paper'): Target {
  const c = ENCODER_PRESETS[preset], enc = createEncoder(c, 0), B = 4;
  const x = tf.randomNormal([B, c.inputHeightPx, c.inputWidthPx, c.inputChannels], 0, 1, 'float32', 3) as Tensor4D;
  const [h, w, ch] = enc.outputShape(c.inputHeightPx, c.inputWidthPx);
  const target = tf.randomUniform([B, h, w, ch], 0, 2, 'float32', 4); // a fixed regression target: the loss moves with the weights
  return { name: `ModaLink encoder, ${preset} (${c.inputHeightPx} x ${c.inputWidthPx})`, batch: B, vars: enc.trainableVariables, learningRate: 1e-3,
    loss: () => tf.mean(tf.squaredDifference(enc.apply(x, true), target)) as Scalar, dispose: () => { tf.dispose([x, target]); enc.dispose(); } };
}

export function registrationTarget(preset: 'laptop' | 'paper', B: number, seed = 0): Target {
  const c = validateRegistrationConfig({ ...BENCH_REGISTRATION_PRESETS[preset], stage: 'joint' });
  const pc = registrationPairConfig(c), model = createRegistrationModel(c), batch = syntheticBatch(c, B);
  return { name: `ICL registration, ${preset} (${pc.cropHeight} x ${pc.cropWidth}, ${pc.numPoints} points), joint`, batch: B, vars: model.trainableVariables('joint'), learningRate: c.learningRate,
    loss: () => registrationLoss(model.forward(batch, true, 'joint'), batch, c, 'joint', pc.cropWidth, pc.cropHeight).total,
    dispose: () => { disposeBatch(batch); model.dispose(); } };
}
