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

describe('shipped registration models reproduce their committed predictions', () => {
  for (const dir of MODELS) {
    it(`${path.relative(repo, dir)}: 16 tiny test pairs match check-tiny.csv`, async () => {
      assert.ok(fs.existsSync(path.join(dir, 'checkpoint.json')), `${dir}: the shipped model is missing`);
      // the weights are the ones MODEL.md lists
      const card = fs.readFileSync(path.join(dir, 'MODEL.md'), 'utf8');
      assert.ok(card.includes(sha256File(path.join(dir, 'weights.safetensors'))), 'MODEL.md lists the sha256 of weights.safetensors');
      const fitted = (JSON.parse(fs.readFileSync(path.join(dir, 'checkpoint.json'), 'utf8')) as { config: { frustumPose?: string } }).config.frustumPose === 'fit';
      const want = readCheck(path.join(dir, 'check-tiny.csv')), got = await modelCheckRows(dir, root);
      assert.equal(got.length, want.length);
      got.forEach((g, i) => {
        const w = want[i], at = `pair ${w.pair} (seed ${w.seed})`;
        assert.deepEqual([g.pair, g.seed], [w.pair, w.seed], at);
        // continuous outputs: float32 rounding differs between CPUs (oneDNN picks kernels by CPU)
        for (const k of ['meanLogit', 'headRteM', 'headRreDeg', ...(fitted ? [] : ['finalRteM', 'finalRreDeg'] as const)] as const) {
          assert.ok(Math.abs(g[k] - w[k]) <= 1e-3 * Math.max(1, Math.abs(w[k])), `${at}: ${k} ${g[k]} vs committed ${w[k]}`);
        }
        assert.ok(Math.abs(g.positivePct - w.positivePct) <= 0.1, `${at}: positivePct ${g.positivePct} vs ${w.positivePct}`);
        // the fit is a grid search: a rounding difference may pick a neighbouring cell of (nearly) the same score
        assert.ok(Math.abs(g.fitScore - w.fitScore) <= 0.005 * Math.max(1, Math.abs(w.fitScore)), `${at}: fit score ${g.fitScore} vs ${w.fitScore}`);
        assert.ok(Math.abs(g.fitRteM - w.fitRteM) <= 0.25 && Math.abs(g.fitRreDeg - w.fitRreDeg) <= 1, `${at}: fitted pose ${g.fitRteM} m / ${g.fitRreDeg} deg vs ${w.fitRteM} / ${w.fitRreDeg}`);
        // a model whose frustum pose is the fit builds its final pose on it: the same tolerance
        if (fitted) assert.ok(Math.abs(g.finalRteM - w.finalRteM) <= 0.25 && Math.abs(g.finalRreDeg - w.finalRreDeg) <= 1, `${at}: final pose ${g.finalRteM} m / ${g.finalRreDeg} deg vs ${w.finalRteM} / ${w.finalRreDeg}`);
      });
    });
  }
});
