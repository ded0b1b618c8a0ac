import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRng } from '../../src/core/rng.js';
import { InputError } from '../../src/core/errors.js';
import { sampleNegatives } from '../../src/modalink/ground-distance.js';
import { drawNegatives, hardestNegatives, loadMinedPools, saveMinedPools, HARD_NEGATIVES_FILE } from '../../src/modalink/hard-negatives.js';

// five frames on a line, 10 m apart; database descriptor of frame j = (j, 0), query descriptors on the same axis
const XZ = Float64Array.from([0, 0, 10, 0, 20, 0, 30, 0, 40, 0]);
const DB = Float32Array.from([0, 0, 1, 0, 2, 0, 3, 0, 4, 0]);
const Q = Float32Array.from([3.9, 0, 0, 0, 0, 0, 0, 0, 1.2, 0]);

let tmp = '';
before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hardneg-')); });
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('hard negatives: mining', () => {
  it('keeps, per query, the frames beyond the threshold nearest in descriptor space (worked by hand)', () => {
    // threshold 15 m: frame 0 may take 2, 3, 4 (squared distances to 3.9: 3.61, 0.81, 0.01); frame 1 takes 3, 4;
    // frame 2 takes 0, 4 (0 and 16 from q = 0); frame 3 takes 0, 1; frame 4 takes 0, 1, 2 (1.44, 0.04, 0.64 from 1.2)
    assert.deepEqual(Array.from(hardestNegatives(Q, DB, 2, XZ, 15, 2)), [4, 3, 3, 4, 0, 4, 0, 1, 1, 2]);
    // a pool larger than the candidates pads with -1
    assert.deepEqual(Array.from(hardestNegatives(Q, DB, 2, XZ, 15, 3)), [4, 3, 2, 3, 4, -1, 0, 4, -1, 0, 1, -1, 1, 2, 0]);
  });

  it('breaks ties by the lower index and names bad shapes', () => {
    const same = new Float32Array(10); // every distance 0
    assert.deepEqual(Array.from(hardestNegatives(same, same, 2, XZ, 15, 2)).slice(0, 2), [2, 3]);
    assert.throws(() => hardestNegatives(Q, DB.subarray(0, 8), 2, XZ, 15, 2), (e: unknown) => e instanceof InputError && /hardestNegatives/.test(e.message));
    assert.throws(() => hardestNegatives(Q, DB, 2, XZ, 15, 0), (e: unknown) => e instanceof InputError && /pool/.test(e.message));
  });
});

describe('hard negatives: drawing', () => {
  it('hard = 0 is the paper sampler; hard = h replaces the last h picks by distinct pool frames', () => {
    const far = Float64Array.from(Array.from({ length: 40 }, (_, i) => [i * 10, 0]).flat());
    const plain = sampleNegatives(0, far, 15, 4, createRng(5));
    assert.deepEqual(Array.from(drawNegatives(0, far, 15, 4, 0, [30, 31], createRng(5))), Array.from(plain));
    const pool = [30, 31, 32, -1];
    const got = drawNegatives(0, far, 15, 4, 2, pool, createRng(5));
    assert.deepEqual(Array.from(got.subarray(0, 2)), Array.from(plain.subarray(0, 2))); // the nearest + one random, as drawn before
    assert.equal(new Set(got).size, 4);
    for (const j of got.subarray(2)) assert.ok([30, 31, 32].includes(j), `pool pick ${j}`);
    // pool entries already drawn are skipped; with nothing usable the paper's picks stay
    const first = plain[0];
    assert.deepEqual(Array.from(drawNegatives(0, far, 15, 4, 2, [first, -1], createRng(5))), Array.from(plain));
    // the same generator state gives the same picks
    assert.deepEqual(Array.from(drawNegatives(0, far, 15, 4, 2, pool, createRng(5))), Array.from(got));
  });
});

describe('hard negatives: the saved pools', () => {
  it('round-trip, give null for another epoch and name a file of another shape', () => {
    const views = [Int32Array.from([1, 2, 0, -1]), Int32Array.from([3, 4])];
    saveMinedPools(tmp, { epoch: 4, pool: 2, seconds: 1.5, views });
    const back = loadMinedPools(tmp, 4, 2, [2, 1])!;
    assert.deepEqual(back.views.map((v) => Array.from(v)), views.map((v) => Array.from(v)));
    assert.equal(back.seconds, 1.5);
    assert.equal(loadMinedPools(tmp, 5, 2, [2, 1]), null);
    assert.equal(loadMinedPools(path.join(tmp, 'none'), 4, 2, [2, 1]), null);
    assert.throws(() => loadMinedPools(tmp, 4, 2, [2, 2]), (e: unknown) => e instanceof InputError && e.message.includes(HARD_NEGATIVES_FILE));
  });
});
