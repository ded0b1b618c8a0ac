import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tf } from '../../src/core/tf.js';
import { createRng } from '../../src/core/rng.js';
import { createAdam, type AdamState } from '../../src/train/adam.js';
import { adamStep } from '../../src/train/adam-step.js';
import { createLossLog } from '../../src/train/loss-log.js';
import { loopStart, runTrainingLoop, stepsPerEpoch, type LoopState, type TrainingLoopOptions } from '../../src/train/loop.js';
import { NonFiniteLossError } from '../../src/train/non-finite.js';
import { stepSeed } from '../../src/train/seed.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'train-loop-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** 7 items x_i = i, batches of 2 (3 steps per epoch), lr 0.1 halved every epoch, 2 warm-up steps, a checkpoint every 2 steps. */
const SCHEDULE = { epochs: 3, batchSize: 2, seed: 3, checkpointEverySteps: 2, learningRate: 0.1, lrDecay: 0.5, lrDecayEveryEpochs: 1, warmupSteps: 2 };

interface Saved { state: LoopState; w: number; adam: AdamState | null }

/** Fits w to the items: loss = mean over the batch of (w - x_i)^2; records the batches, rates and checkpoints. */
function toy(start: Saved | null, extra: Partial<TrainingLoopOptions<{ loss: number; parts: Record<string, number> }>> = {}) {
  const w = tf.variable(tf.scalar(start?.w ?? 0), true);
  const opt = createAdam([w], { learningRate: SCHEDULE.learningRate });
  if (start?.adam) opt.setState(start.adam);
  const saves: Saved[] = [], batches: number[][] = [], rates: number[] = [], rngFirst: number[] = [];
  const run = runTrainingLoop({
    items: 7, schedule: SCHEDULE, optimizer: opt, start: loopStart(start?.state), checkpointFile: 'run/checkpoint.json',
    save: async (state) => { saves.push({ state, w: w.dataSync()[0], adam: opt.state() }); },
    step: (batch, rng, at) => {
      batches.push(batch); rates.push(at.learningRate); rngFirst.push(rng.next());
      const x = tf.tensor1d(batch);
      try {
        return adamStep(opt, () => { const total = tf.mean(tf.square(tf.sub(w, x))); return { total, term: tf.mul(total, 2) }; });
      } finally { x.dispose(); }
    },
    ...extra,
  });
  const done = async () => { const r = await run; const wEnd = w.dataSync()[0]; w.dispose(); opt.dispose(); return { ...r, w: wEnd }; };
  return { done, saves, batches, rates, rngFirst };
}

describe('training loop', () => {
  it('visits whole batches of a fresh order each epoch, sets the scheduled rate, seeds each step, checkpoints every N steps and at epoch ends', async () => {
    assert.equal(stepsPerEpoch(7, 2), 3);
    assert.equal(stepsPerEpoch(1, 2), 1, 'at least one step');
    const t = toy(null);
    const r = await t.done();
    assert.deepEqual([r.steps, r.epochs, r.losses.length], [9, 3, 9]);
    for (let e = 0; e < 3; e++) {
      const seen = t.batches.slice(3 * e, 3 * e + 3).flat();
      assert.equal(new Set(seen).size, 6, `epoch ${e}: 6 distinct items of 7`);
    }
    assert.notDeepEqual(t.batches.slice(0, 3), t.batches.slice(3, 6), 'each epoch its own order');
    // warm-up: 0.1 x 1/2, then 0.1; epoch 1: x 0.5; epoch 2: x 0.25
    assert.deepEqual(t.rates, [0.05, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025]);
    t.rngFirst.forEach((x, s) => assert.equal(x, createRng(stepSeed(3, s)).next(), `step ${s}`));
    assert.deepEqual(t.saves.map((s) => [s.state.epoch, s.state.stepInEpoch, s.state.step]),
      [[0, 2, 2], [1, 0, 3], [1, 1, 4], [1, 3, 6], [2, 0, 6], [2, 2, 8], [3, 0, 9]]);
    assert.ok(r.w > 0.3 && r.w < 3, `w moves from 0 towards the items' mean 3: ${r.w}`);
  });

  it('maxSteps saves the stopping point; resuming from it gives the uninterrupted run exactly', async () => {
    const full = await toy(null).done();
    const part = toy(null, { maxSteps: 5 });
    const p = await part.done();
    assert.deepEqual([p.steps, p.epochs], [5, 1]);
    const stop = part.saves[part.saves.length - 1];
    assert.deepEqual(stop.state, { epoch: 1, stepInEpoch: 2, step: 5, lastLoss: p.losses[4] });
    const again = toy(stop, { maxSteps: 5 });
    assert.deepEqual((await again.done()).losses, [], 'nothing left to do');
    assert.equal(again.saves.length, 0, 'no second save of the same point');
    const rest = await toy(stop).done();
    assert.deepEqual([...p.losses, ...rest.losses], full.losses);
    assert.equal(rest.w, full.w);
  });

  it('a non-finite loss throws NonFiniteLossError naming the step and the kept checkpoint', async () => {
    const guarded = toy(null, { step: (_batch, _rng, at) => ({ loss: at.step === 2 ? NaN : 1, parts: {} }) });
    await assert.rejects(guarded.done(), (e: unknown) => e instanceof NonFiniteLossError && e.step === 2 && e.checkpoint === 'run/checkpoint.json');
    assert.deepEqual(guarded.saves.map((s) => s.state.step), [2], 'checkpoints stay as they were');
  });

  it('writes one loss-log line per step; a resumed run appends after its checkpoint, dropping what a killed run wrote past it', async () => {
    const file = path.join(tmp, 'losses.csv');
    await toy(null, { maxSteps: 2, log: createLossLog(file, 'pairs', true), itemsPerStep: 4 }).done();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'step,epoch,loss,term,pairs_per_s,learning_rate');
    assert.equal(lines.length, 3);
    const [step, epoch, loss, term, , lr] = lines[1].split(',').map(Number);
    assert.deepEqual([step, epoch, lr], [1, 0, 0.05]);
    assert.ok(Math.abs(term - 2 * loss) < 1e-6 * loss);
    const first = fs.readFileSync(file, 'utf8');
    // resume from the checkpoint at step 1 (the run went on to step 2, then was killed): step 2 is written once, again
    const at1 = toy(null, { maxSteps: 1 });
    await at1.done();
    await toy(at1.saves[at1.saves.length - 1], { maxSteps: 2, log: createLossLog(file, 'pairs', false) }).done();
    const again = fs.readFileSync(file, 'utf8').trim().split('\n');
    assert.deepEqual(again.map((l) => l.split(',')[0]), ['step', '1', '2']);
    assert.equal(again[1], first.trim().split('\n')[1], 'the kept line is the original');
    await toy(at1.saves[at1.saves.length - 1], { maxSteps: 3, log: createLossLog(file, 'pairs', false) }).done();
    assert.deepEqual(fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(',')[0]), ['step', '1', '2', '3']);
    await toy(null, { maxSteps: 1, log: createLossLog(file, 'pairs', true) }).done();
    assert.equal(fs.readFileSync(file, 'utf8').trim().split('\n').length, 2, 'a fresh run starts a new log');
  });
});
