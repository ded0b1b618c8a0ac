import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as aq from 'arquero';
import { writeTableFiles } from '../../../src/data/formats/table-files.js';
import { writeIfChanged } from '../../../src/data/formats/file-io.js';
import { InputError } from '../../../src/core/errors.js';
import { tempDir } from '../shared-data.js';

const tmp = tempDir('i2p-table-');
const table = aq.table({ method: ['a', 'b'], recall: [0.5, 0.25] });

test('writeTableFiles writes <name>.md (table, then notes) and <name>.csv, making the folder', () => {
  const dir = path.join(tmp, 'new', 'eval');
  const r = writeTableFiles(table, dir, 'recall', { notes: ['seed 0', 'tiny preset'], decimals: 2 });
  assert.equal(r.markdownPath, path.join(dir, 'recall.md'));
  assert.equal(r.csvPath, path.join(dir, 'recall.csv'));
  const md = '| method | recall |\n| ------ | -----: |\n| a      |   0.50 |\n| b      |   0.25 |\n';
  assert.equal(r.markdown, `${md}\n- seed 0\n- tiny preset\n`);
  assert.equal(fs.readFileSync(r.markdownPath, 'utf8'), r.markdown);
  assert.equal(fs.readFileSync(r.csvPath, 'utf8'), 'method,recall\na,0.50\nb,0.25\n');
});

test('writeTableFiles without notes writes the bare markdown table', () => {
  const r = writeTableFiles(table, tmp, 'bare');
  assert.ok(r.markdown.endsWith('| b      |  0.250 |\n'));
  assert.equal(fs.readFileSync(r.markdownPath, 'utf8'), r.markdown);
});

test('writeIfChanged leaves an unchanged file alone and rewrites a changed one', () => {
  const file = path.join(tmp, 'same.txt');
  assert.equal(writeIfChanged(file, 'x\n'), true);
  assert.equal(writeIfChanged(file, 'x\n'), false);
  assert.equal(writeIfChanged(file, 'y\n'), true);
  assert.equal(fs.readFileSync(file, 'utf8'), 'y\n');
  assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp')), []);
});

test('writeIfChanged names the file it cannot write', () => {
  const blocker = path.join(tmp, 'blocker');
  fs.writeFileSync(blocker, '');
  assert.throws(() => writeIfChanged(path.join(blocker, 'sub', 'f.md'), 'x'), (e: unknown) => e instanceof InputError && /blocker.*cannot write/.test((e as Error).message));
});
