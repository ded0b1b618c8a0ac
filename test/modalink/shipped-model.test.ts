import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTinyDataset } from '../helpers/tiny-dataset.js';
import { modalinkCheckRows, type ModaLinkCheckRow } from '../helpers/modalink-model-check.js';
import { sha256File } from '../../src/train/export-model.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODELS = ['modalink-laptop'].map((m) => path.join(repo, 'models', m));

let tmp = '', root = '';
before(async () => { ({ tmp, root } = await makeTinyDataset('shipped-modalink-test-')); });
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function readCheck(file: string): ModaLinkCheckRow[] {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n'), keys = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], Number(v)])) as unknown as ModaLinkCheckRow);
}

describe('shipped ModaLink models reproduce their committed descriptors', () => {
  for (const dir of MODELS) {
    it(`${path.relative(repo, dir)}: the 6 tiny frames' descriptors match check-tiny.csv`, async () => {
      assert.ok(fs.existsSync(path.join(dir, 'checkpoint.json')), `${dir}: the shipped model is missing`);
      const card = fs.readFileSync(path.join(dir, 'MODEL.md'), 'utf8');
      assert.ok(card.includes(sha256File(path.join(dir, 'weights.safetensors'))), 'MODEL.md lists the sha256 of weights.safetensors');
      const want = readCheck(path.join(dir, 'check-tiny.csv')), got = await modalinkCheckRows(dir, root);
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
