import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { epochSeed, mixSeed, stepSeed } from '../../src/train/seed.js';
import { NonFiniteLossError } from '../../src/train/non-finite.js';

/** The low 32 bits of a * b, as unsigned: the arithmetic of Math.imul written out. */
const mul32 = (a: number, b: number): number => Number((BigInt(a >>> 0) * BigInt(b >>> 0)) % 2n ** 32n);

describe('training seeds', () => {
  it('mixSeed(0, 0, -1) is the hash arithmetic written out', () => {
    // (0 ^ 0x85ebca6b) * 2654435761, XOR (0 + 1) * 73856093, XOR (-1 + 1) * 19349663 = 0
    const want = (mul32(0x85ebca6b, 2654435761) ^ mul32(1, 73856093) ^ 0) >>> 0;
    assert.equal(mul32(0x85ebca6b, 2654435761), 2444265211);
    assert.equal(mixSeed(0, 0, -1), want);
    assert.equal(want, 2513859238);
  });

  it('keeps the values every trained run used (the old `mix` of modalink/train.ts and pair-training-loop.ts)', () => {
    // committed numbers: a change here changes every shuffle and draw of every run
    const cases: [number, number, number, number][] = [
      [0, 0, -1, 2513859238], [0, -2, 0, 1796132295], [0, 7, 7, 3149734123],
      [42, 3, -1, 2366463621], [42, -2, 1000, 3849595365], [4294967295, -2, 5, 761624397],
    ];
    for (const [s, a, b, want] of cases) assert.equal(mixSeed(s, a, b), want, `mixSeed(${s}, ${a}, ${b})`);
    for (const [s, a, b] of cases) {
      const h = (mul32(s ^ 0x85ebca6b, 2654435761) ^ mul32(a + 1, 73856093) ^ mul32(b + 1, 19349663)) >>> 0;
      assert.equal(mixSeed(s, a, b), h);
    }
  });

  it('epochSeed and stepSeed are mixSeed with the fixed markers -1 and -2', () => {
    assert.equal(epochSeed(5, 3), mixSeed(5, 3, -1));
    assert.equal(stepSeed(5, 3), mixSeed(5, -2, 3));
    assert.notEqual(epochSeed(5, 3), stepSeed(5, 3));
  });

  it('NonFiniteLossError names the step, the loss and the kept checkpoint', () => {
    const e = new NonFiniteLossError(7, NaN, 'run/checkpoint.json');
    assert.equal(e.name, 'NonFiniteLossError');
    assert.equal(e.step, 7);
    assert.match(e.message, /loss is NaN at step 7; the last good checkpoint run\/checkpoint\.json is kept/);
  });
});
