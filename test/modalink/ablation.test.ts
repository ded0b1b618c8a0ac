import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overallRows, type RecallRow } from '../../src/modalink/evaluate.js';

test('overallRows: query-weighted mean per method over tests', () => {
  const r = (method: string, test: string, queries: number, r1: number): RecallRow => ({ method, test, queries, database: 10, 'recall@1': r1, 'recall@5': r1, 'recall@1%': r1 });
  const all = overallRows([r('m', 'a', 10, 1), r('m', 'b', 30, 0), r('n', 'a', 10, 0.5), r('n', 'b', 30, 0.5)]);
  assert.deepEqual(all.map((x) => [x.method, x.test, x.queries, x['recall@1']]), [['m', 'all', 40, 0.25], ['n', 'all', 40, 0.5]]);
  assert.deepEqual(overallRows([r('m', 'a', 10, 1)]), []);
});

test('ablationRows: measured rows from recall.csv, missing runs marked and left empty', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { ablationRows } = await import('../../src/modalink/ablation.js');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ablation-'));
  const run = path.join(tmp, 'a');
  fs.mkdirSync(path.join(run, 'eval-synthetic'), { recursive: true });
  fs.writeFileSync(path.join(run, 'checkpoint.json'), JSON.stringify({ epoch: 2, step: 10, stepInEpoch: 0, lastLoss: 0.3, config: {}, weights: 'w', optimizer: 'o' }));
  fs.writeFileSync(path.join(run, 'eval-synthetic', 'recall.csv'), 'method,test,database,queries,recall@1,recall@5,recall@1%\nModaLink (trained),01 vs 00,5,4,0.25,0.5,0.5\nchance,01 vs 00,5,4,0.1,0.2,0.2\nModaLink (trained),02 vs 00,5,4,0.75,1,1\nModaLink (trained),all,5,8,0.5,0.75,0.75\n');
  const rows = ablationRows([{ variant: 'base', change: '-', runDir: run }, { variant: 'x', change: 'k: 1', runDir: path.join(tmp, 'none') }]);
  assert.equal(rows[0].status, 'measured');
  assert.deepEqual([rows[0]['recall@1'], rows[0]['recall@5'], rows[0]['recall@1 per test']], [0.5, 0.75, '01=0.250; 02=0.750']);
  assert.equal(rows[1].status, 'not run');
  assert.equal(rows[1]['recall@1'], null);
  fs.rmSync(tmp, { recursive: true, force: true });
});
