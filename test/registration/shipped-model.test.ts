import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTinyDataset } from '../helpers/tiny-dataset.js';
import { modelCheckRows, type ModelCheckRow } from '../helpers/registration-model-check.js';
import { sha256File } from '../../src/train/export-model.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODELS = ['registration-laptop'].map((m) => path.join(repo, 'models', m));

let tmp = '', root = '';
before(async () => { ({ tmp, root } = await makeTinyDataset('shipped-model-test-')); });
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function readCheck(file: string): ModelCheckRow[] {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n'), keys = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], Number(v)])) as unknown as ModelCheckRow);
}

const close = (g: number, w: number, rel: number): boolean => Math.abs(g - w) <= rel * Math.max(1, Math.abs(w));

describe('shipped registration models reproduce their committed predictions', () => {
  for (const dir of MODELS) {
    it(`${path.relative(repo, dir)}: 16 tiny test pairs match check-tiny.csv`, async () => {
      assert.ok(fs.existsSync(path.join(dir, 'checkpoint.json')), `${dir}: the shipped model is missing`);
      // the weights are the ones MODEL.md lists
      const card = fs.readFileSync(path.join(dir, 'MODEL.md'), 'utf8');
      assert.ok(card.includes(sha256File(path.join(dir, 'weights.safetensors'))), 'MODEL.md lists the sha256 of weights.safetensors');
      const want = readCheck(path.join(dir, 'check-tiny.csv')), got = await modelCheckRows(dir, root);
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
