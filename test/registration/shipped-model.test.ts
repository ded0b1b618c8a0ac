import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTinyDataset } from '../helpers/tiny-dataset.js';
import { modelCheckRows, type ModelCheckRow } from '../helpers/registration-model-check.js';
import { assertModelCard, readCheckCsv, shippedModelDir } from '../helpers/shipped-model.js';

const MODELS = ['registration-laptop'].map(shippedModelDir);

let tmp = '', root = '';
before(async () => { ({ tmp, root } = await makeTinyDataset('shipped-model-test-')); });
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const close = (g: number, w: number, rel: number): boolean => Math.abs(g - w) <= rel * Math.max(1, Math.abs(w));

describe('shipped registration models reproduce their committed predictions', () => {
  for (const dir of MODELS) {
    it(`models/${path.basename(dir)}: 16 tiny test pairs match check-tiny.csv`, async () => {
      assertModelCard(dir); // the weights are the ones MODEL.md lists
      const want = readCheckCsv<ModelCheckRow>(path.join(dir, 'check-tiny.csv')), got = await modelCheckRows(dir, root);
      assert.equal(got.length, want.length);
      got.forEach((g, i) => {
        const w = want[i], at = `pair ${w.pair} (seed ${w.seed})`;
        assert.deepEqual([g.pair, g.seed], [w.pair, w.seed], at);
        // continuous network outputs: float32 rounding differs between CPUs (oneDNN picks kernels by CPU); the frustum
        // centre is the LiDAR's (a plain-JS grid search) moved by the calibration along the network's heading
        for (const k of ['meanLogit', 'headRteM', 'headRreDeg', 'frustumX', 'frustumZ', 'frustumHeadingDeg', 'frustumRteM', 'frustumRreDeg', 'finalRteM', 'finalRreDeg'] as const) {
          assert.ok(close(g[k], w[k], 1e-3), `${at}: ${k} ${g[k]} vs committed ${w[k]}`);
        }
        assert.ok(Math.abs(g.positivePct - w.positivePct) <= 0.1, `${at}: positivePct ${g.positivePct} vs ${w.positivePct}`);
      });
    });
  }
});
