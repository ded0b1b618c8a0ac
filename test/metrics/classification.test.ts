import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import { precisionRecall, rocAuc } from '../../src/metrics/classification.js';

/** The definition itself: over all (positive, negative) pairs, 1 if the positive scores higher, 1/2 on a tie. */
function bruteAuc(s: number[], y: number[]): number {
  let sum = 0, n = 0;
  for (let i = 0; i < s.length; i++) for (let j = 0; j < s.length; j++) {
    if (y[i] !== 1 || y[j] !== 0) continue;
    sum += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0; n++;
  }
  return sum / n;
}

describe('rocAuc', () => {
  it('hand values: 3 of 4 positive-negative pairs ordered; ties count one half; one class gives NaN', () => {
    // positives 0.35 and 0.8 against negatives 0.1 and 0.4: 0.35 > 0.1, 0.35 < 0.4, 0.8 > both
    assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 3 / 4);
    assert.equal(rocAuc([2, 2], [0, 1]), 1 / 2);
    assert.equal(rocAuc([1, 2, 3], [0, 0, 0]), NaN);
    assert.equal(rocAuc([5, 1], [1, 0]), 1);
  });
  it('equals the pairwise definition on 300 seeded scores with many ties', () => {
    const rng = createRng(4), s = Array.from({ length: 300 }, () => Math.round(rng.uniform(0, 20)) / 4), y = s.map((x) => +(rng.uniform(0, 6) < x));
    assert.ok(Math.abs(rocAuc(s, y) - bruteAuc(s, y)) < 1e-12);
  });
  it('names bad input', () => {
    assert.throws(() => rocAuc([1, 2], [1]), /rocAuc: expected as many labels as values, got 1 labels for 2 values/);
    assert.throws(() => rocAuc([1, 2], [1, 2]), /rocAuc: labels must be 0 or 1, got 2 at index 1/);
    assert.throws(() => rocAuc([1, NaN], [1, 0]), /rocAuc: score 1 is NaN/);
  });
});

describe('precisionRecall', () => {
  it('hand counts', () => {
    const r = precisionRecall([1, 1, 0, 0, 1], [1, 0, 1, 0, 1]);
    assert.deepEqual([r.truePositives, r.falsePositives, r.falseNegatives, r.trueNegatives], [2, 1, 1, 1]);
    assert.equal(r.precision, 2 / 3);
    assert.equal(r.recall, 2 / 3);
    assert.ok(Number.isNaN(precisionRecall([0, 0], [1, 0]).precision), 'nothing predicted: precision undefined');
  });
});
