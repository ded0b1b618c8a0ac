import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/core/errors.js';
import { summarizeSeeds } from '../../src/metrics/seed-summary.js';

const close = (a: unknown, b: number, what: string): void => assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-12, `${what}: ${String(a)} vs ${b}`);

describe('summarizeSeeds', () => {
  const rows = [
    { variant: 'full', acc: 90, rte: 0.5 }, { variant: 'full', acc: 94, rte: 0.3 },
    { variant: 'N_q 16', acc: 80, rte: 1.5 }, { variant: 'N_q 16', acc: 82, rte: 1.1 }, { variant: 'N_q 16', acc: null, rte: null },
    { variant: 'L 1', acc: 91, rte: 0.4 }, { variant: 'L 1', acc: 95, rte: 0.6 },
    { variant: 'no ICLM', acc: 10, rte: 7 },
  ];
  const s = summarizeSeeds(rows, { group: 'variant', metrics: ['acc', 'rte'] });

  it('mean and sample std by hand; unmeasured runs count as planned only', () => {
    assert.deepEqual(s.map((r) => [r.variant, r.runs, r.planned]), [['full', 2, 2], ['N_q 16', 2, 3], ['L 1', 2, 2], ['no ICLM', 1, 1]]);
    close(s[0]['acc mean'], 92, 'full acc mean');
    close(s[0]['acc std'], Math.SQRT2 * 2, 'full acc std'); // (90, 94): deviations +-2, sum of squares 8 over n - 1 = 1
    close(s[1]['rte mean'], 1.3, 'N_q 16 rte mean');
    close(s[1]['rte std'], Math.sqrt(0.08), 'N_q 16 rte std'); // (1.5, 1.1): deviations +-0.2, 0.08 / 1
    assert.equal(s[3]['acc std'], null);
  });

  it('the difference from the reference, and whether it exceeds both ranges', () => {
    close(s[1]['Δ acc'], -11, 'N_q 16 vs full');
    assert.equal(s[1]['beyond spread'], 'yes'); // |81 - 92| = 11 > max(2, 4)
    close(s[2]['Δ acc'], 1, 'L 1 vs full');
    assert.equal(s[2]['beyond spread'], 'no'); // 1 < 4
    assert.equal(s[0]['beyond spread'], null); // the reference itself
    assert.equal(s[3]['beyond spread'], null); // one seed: not judged
    close(s[3]['Δ acc'], -82, 'no ICLM vs full');
    const r = summarizeSeeds(rows, { group: 'variant', metrics: ['acc'], reference: 'L 1' });
    close(r[0]['Δ acc'], -1, 'full vs L 1');
  });

  it('errors name the column or the reference', () => {
    assert.throws(() => summarizeSeeds([{ variant: 'a', acc: '90' }], { group: 'variant', metrics: ['acc'] }), (e: unknown) => e instanceof InputError && /rows\[0\]\.acc/.test(e.message));
    assert.throws(() => summarizeSeeds(rows, { group: 'variant', metrics: ['acc'], reference: 'none' }), (e: unknown) => e instanceof InputError && /reference/.test(e.message));
    assert.throws(() => summarizeSeeds(rows, { group: 'variant', metrics: [] }), InputError);
  });
});
