import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { InputError } from '../../src/core/errors.js';
import { PROTOCOLS, protocolSplits, type Protocol } from '../../src/modalink/splits.js';
import { makeTinyDataset } from '../helpers/tiny-dataset.js';

let tmp = '';
let root = '';
before(async () => { ({ tmp, root } = await makeTinyDataset('splits-test-')); }); // sequences 00 (database) and 01 (query)
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('protocol splits', () => {
  it('synthetic: train on 00, held-out drives queried against 00, own scans never excluded', () => {
    const s = protocolSplits('synthetic', root);
    assert.deepEqual(s.train, [{ seq: 0 }]);
    assert.deepEqual(s.tests, [{ name: '01 vs 00', database: { seq: 0 }, queries: { seq: 1 }, excludeOwnScan: false }]);
  });

  it('synthetic-within: same training set; each held-out drive against its own scans with the B rule', () => {
    const s = protocolSplits('synthetic-within', root);
    assert.deepEqual(s.train, [{ seq: 0 }]);
    assert.deepEqual(s.tests, [{ name: '01 within', database: { seq: 1 }, queries: { seq: 1 }, excludeOwnScan: true }]);
  });

  it('A and B name the first missing KITTI sequence; an unknown protocol lists the known ones', () => {
    assert.throws(() => protocolSplits('A', root), (e: unknown) => e instanceof InputError && /sequences[\\/]02/.test(e.message) && /protocol A needs sequence 2/.test(e.message));
    assert.throws(() => protocolSplits('B', root), (e: unknown) => e instanceof InputError && /protocol B needs sequence 11/.test(e.message));
    assert.throws(() => protocolSplits('C' as Protocol, root), (e: unknown) => e instanceof InputError && PROTOCOLS.every((p) => e.message.includes(p)));
  });
});
