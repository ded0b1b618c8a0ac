import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { learningRateAt } from '../../src/train/lr-schedule.js';

const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) <= 1e-15 * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe('learning-rate schedule', () => {
  it('without warm-up is exactly the step decay the trainers used', () => {
    const s = { learningRate: 1e-4, lrDecay: 0.9, lrDecayEveryEpochs: 10, warmupSteps: 0 };
    for (const epoch of [0, 9, 10, 19, 20, 199]) {
      assert.equal(learningRateAt(s, epoch, 12345), 1e-4 * 0.9 ** Math.floor(epoch / 10), `epoch ${epoch}`); // ModaLink's expression
    }
    const r = { learningRate: 5e-4, lrDecay: 0.95, lrDecayEveryEpochs: 1, warmupSteps: 0 };
    for (const epoch of [0, 1, 2, 7]) assert.equal(learningRateAt(r, epoch, 0), 5e-4 * 0.95 ** epoch, `epoch ${epoch}`); // registration's
  });

  it('warms up linearly over warmupSteps steps, then follows the decay', () => {
    const s = { learningRate: 1e-3, lrDecay: 0.5, lrDecayEveryEpochs: 2, warmupSteps: 4 };
    // steps 0..3: 1e-3 * 1/4, 2/4, 3/4, 4/4
    close(learningRateAt(s, 0, 0), 0.25e-3);
    close(learningRateAt(s, 0, 1), 0.5e-3);
    close(learningRateAt(s, 0, 2), 0.75e-3);
    assert.equal(learningRateAt(s, 0, 3), 1e-3);
    assert.equal(learningRateAt(s, 1, 4), 1e-3);
    // epochs 2-3: x 0.5; 4-5: x 0.25
    assert.equal(learningRateAt(s, 2, 50), 0.5e-3);
    assert.equal(learningRateAt(s, 5, 99), 0.25e-3);
    // warm-up and decay together: a long warm-up still running in epoch 2 -> 1e-3 * 0.5 * (9 + 1) / 20
    close(learningRateAt({ ...s, warmupSteps: 20 }, 2, 9), 1e-3 * 0.5 * 0.5);
  });
});
