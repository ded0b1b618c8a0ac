import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTinyDataset } from '../helpers/tiny-dataset.js';
import { modalinkCheckRows, type ModaLinkCheckRow } from '../helpers/modalink-model-check.js';
import { assertModelCard, readCheckCsv, shippedModelDir } from '../helpers/shipped-model.js';

const MODELS = ['modalink-laptop'].map(shippedModelDir);

let tmp = '', root = '';
before(async () => { ({ tmp, root } = await makeTinyDataset('shipped-modalink-test-')); });
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('shipped ModaLink models reproduce their committed descriptors', () => {
  for (const dir of MODELS) {
    it(`models/${path.basename(dir)}: the 6 tiny frames' descriptors match check-tiny.csv`, async () => {
      assertModelCard(dir);
      const want = readCheckCsv<ModaLinkCheckRow>(path.join(dir, 'check-tiny.csv')), got = await modalinkCheckRows(dir, root);
      assert.equal(got.length, want.length);
      got.forEach((g, i) => {
        const w = want[i], at = `sequence ${w.seq} frame ${w.frame}`;
        assert.deepEqual([g.seq, g.frame], [w.seq, w.frame], at);
        // unit-norm descriptor parts: components are O(0.01-0.1); float32 rounding differs between CPUs (oneDNN picks kernels by CPU)
        for (const k of Object.keys(w) as (keyof ModaLinkCheckRow)[]) {
          if (k === 'seq' || k === 'frame') continue;
          assert.ok(Math.abs(g[k] - w[k]) <= 2e-5, `${at}: ${k} ${g[k]} vs committed ${w[k]}`);
        }
      });
    });
  }
});
