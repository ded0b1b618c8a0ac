import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as aq from 'arquero';
import { findRepoRoot } from '../../src/notebook/paths.js';
import { runBudget, session, startSession } from '../../src/notebook/session.js';
import { writeFigure } from '../../src/notebook/show.js';
import { writeTable } from '../../src/notebook/show-table.js';
import { readSourceRegion } from '../../src/notebook/show-source.js';
import { inKernel } from '../../src/notebook/display.js';
import { axis, type Figure } from '../../src/viz/figure.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'i2p-notebook-test-'));
process.env.I2P_FIGURES_DIR = tmp;
delete process.env.I2P_NOTEBOOK;

test('the repo root is the nearest package.json named i2p-lab', () => {
  assert.equal(findRepoRoot(path.join(repo, 'src', 'notebook')), repo);
  assert.equal(findRepoRoot(repo), repo);
  assert.equal(findRepoRoot(os.tmpdir()), undefined);
});

test('a session needs a kebab-case name and an integer seed; I2P_NOTEBOOK must agree', () => {
  assert.throws(() => startSession('Bad Name', 0), /useNotebook: name must be kebab-case/);
  assert.throws(() => startSession('00-x', 0.5), /seed must be an integer, got 0.5/);
  process.env.I2P_NOTEBOOK = '01-other';
  try {
    assert.throws(() => startSession('00-x', 0), /this is notebook '01-other.ipynb'/);
  } finally {
    delete process.env.I2P_NOTEBOOK;
  }
  const s = startSession('00-test', 7);
  assert.equal(s.figuresDir, path.join(tmp, '00-test'));
  assert.equal(s.repoRoot, repo);
  assert.equal(session().rng.next(), startSession('00-test', 7).rng.next(), 'same seed, same stream');
});

test('I2P_BUDGET is ci or default', () => {
  const old = process.env.I2P_BUDGET;
  try {
    process.env.I2P_BUDGET = 'CI';
    assert.equal(runBudget(), 'ci');
    delete process.env.I2P_BUDGET;
    assert.equal(runBudget(), 'default');
    process.env.I2P_BUDGET = 'fast';
    assert.throws(() => runBudget(), /I2P_BUDGET must be 'ci' or 'default', got 'fast'/);
  } finally {
    if (old === undefined) delete process.env.I2P_BUDGET; else process.env.I2P_BUDGET = old;
  }
});

test('writeFigure writes the page, the spec and one shared plotly.js', () => {
  startSession('00-test', 0);
  const fig: Figure = { data: [{ type: 'scatter', x: Float64Array.of(1, 2), y: [3, 4] }], layout: { xaxis: axis('u', 'px'), yaxis: axis('v', 'px') } };
  const { htmlPath, jsonPath } = writeFigure(fig, 'line');
  assert.equal(htmlPath, path.join(tmp, '00-test', 'line.html'));
  const html = fs.readFileSync(htmlPath, 'utf8');
  assert.ok(html.includes('<script src="../plotly.js"></script>'));
  assert.ok(fs.statSync(path.join(tmp, 'plotly.js')).size > 1_000_000);
  const spec = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as Figure;
  assert.deepEqual(spec.data[0].x, [1, 2]);
  const mtime = fs.statSync(htmlPath).mtimeMs;
  writeFigure(fig, 'line');
  assert.equal(fs.statSync(htmlPath).mtimeMs, mtime, 'an unchanged figure is not rewritten');
  assert.throws(() => writeFigure(fig, '../escape'), /figure name must be kebab-case/);
});

test('writeTable writes markdown and csv', () => {
  startSession('00-test', 0);
  const { markdownPath, csvPath } = writeTable(aq.table({ k: ['a'], v: [0.5] }), 'tiny', { decimals: 2 });
  assert.equal(fs.readFileSync(markdownPath, 'utf8'), '| k   |    v |\n| --- | ---: |\n| a   | 0.50 |\n');
  assert.equal(fs.readFileSync(csvPath, 'utf8'), 'k,v\na,0.50\n');
});

test('source regions are read from src/', () => {
  const r = readSourceRegion('viz/frame-3d.ts', 'frame-axes');
  assert.ok(r.text.startsWith('const traces'));
  assert.throws(() => readSourceRegion('viz/frame-3d.ts', 'nope'), /src\/viz\/frame-3d\.ts: no region 'nope'; regions in this file: 'frame-axes'/);
  assert.throws(() => readSourceRegion('viz/missing.ts', 'x'), /showSource: no file src\/viz\/missing\.ts/);
  assert.throws(() => readSourceRegion('../package.json', 'x'), /file must be a path relative to src\//);
});

test('outside a kernel nothing loads tslab', () => {
  assert.equal(inKernel(), false);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
