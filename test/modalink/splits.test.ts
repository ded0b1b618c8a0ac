import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { generateSynthetic, loadPreset } from '../../src/data/synthetic/index.js';
import { MANIFEST_FILE } from '../../src/data/synthetic/generate.js';
import { InputError } from '../../src/core/errors.js';
import { PROTOCOLS, protocolSplits, type Protocol } from '../../src/modalink/splits.js';
import { makeTinyDataset } from '../helpers/tiny-dataset.js';

let tmp = '';
let root = '';
let other = ''; // another town: the tiny preset with seed 8
before(async () => {
  ({ tmp, root } = await makeTinyDataset('splits-test-')); // sequences 00 (database) and 01 (query)
  other = path.join(tmp, 'tiny-seed8');
  await generateSynthetic({ ...loadPreset('tiny'), seed: 8 }, other, { workers: 0 });
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('protocol splits', () => {
  it('synthetic: train on 00, held-out drives queried against 00, own scans never excluded; odd drives (the other way) grouped apart', () => {
    const s = protocolSplits('synthetic', root);
    assert.deepEqual(s.train, [{ seq: 0 }]);
    assert.deepEqual(s.tests, [{ name: '01 vs 00', database: { seq: 0 }, queries: { seq: 1 }, excludeOwnScan: false, group: 'other way' }]);
  });

  it('synthetic-within: same training set; each held-out drive against its own scans with the B rule', () => {
    const s = protocolSplits('synthetic-within', root);
    assert.deepEqual(s.train, [{ seq: 0 }]);
    assert.deepEqual(s.tests, [{ name: '01 within', database: { seq: 1 }, queries: { seq: 1 }, excludeOwnScan: true }]);
  });

  it('towns: trains on every drive of the other towns, tests within every drive of the test town with the B rule', () => {
    const s = protocolSplits('towns', root, [other]);
    assert.deepEqual(s.train, [{ seq: 0, root: other }, { seq: 1, root: other }]);
    assert.deepEqual(s.tests, ['00', '01'].map((q) => ({ name: `${q} within`, database: { seq: Number(q) }, queries: { seq: Number(q) }, excludeOwnScan: true })));
    assert.deepEqual(protocolSplits('towns', root).train, [], 'no training towns: tests only (evaluation)');
  });

  it('towns refuses the test town as a training town: the same folder, or a copy with the same settings hash', () => {
    const copy = path.join(tmp, 'copy');
    fs.mkdirSync(copy, { recursive: true });
    fs.copyFileSync(path.join(root, MANIFEST_FILE), path.join(copy, MANIFEST_FILE));
    for (const r of [root, copy]) {
      assert.throws(() => protocolSplits('towns', root, [other, r]), (e: unknown) => e instanceof InputError && e.message.includes(r) && /is the test town/.test(e.message));
    }
  });

  it('A and B name the first missing KITTI sequence; an unknown protocol lists the known ones', () => {
    assert.throws(() => protocolSplits('A', root), (e: unknown) => e instanceof InputError && /sequences[\\/]02/.test(e.message) && /protocol A needs sequence 2/.test(e.message));
    assert.throws(() => protocolSplits('B', root), (e: unknown) => e instanceof InputError && /protocol B needs sequence 11/.test(e.message));
    assert.throws(() => protocolSplits('C' as Protocol, root), (e: unknown) => e instanceof InputError && PROTOCOLS.every((p) => e.message.includes(p)));
  });
});
