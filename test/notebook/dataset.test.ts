import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { notebookDataset } from '../../src/notebook/dataset.js';
import { syntheticDatasetState } from '../../src/data/synthetic/ensure.js';
import { settingsHash } from '../../src/data/synthetic/config.js';
import { MANIFEST_FILE } from '../../src/data/synthetic/generate.js';
import { loadPreset } from '../../src/data/synthetic/presets.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'i2p-notebook-dataset-'));

/** A data folder whose synthetic-tiny/ is ready (so nothing is generated) and whose synthetic-default/ holds `manifest`. */
function dataDir(name: string, manifest?: { hash?: string; complete?: boolean } | string): string {
  const dir = path.join(tmp, name);
  const write = (preset: string, m: object | string) => {
    fs.mkdirSync(path.join(dir, `synthetic-${preset}`), { recursive: true });
    fs.writeFileSync(path.join(dir, `synthetic-${preset}`, MANIFEST_FILE), typeof m === 'string' ? m : JSON.stringify({ generator: 'i2p-lab synthetic', ...m }));
  };
  write('tiny', { hash: settingsHash(loadPreset('tiny')), complete: true });
  if (manifest !== undefined) write('default', manifest);
  return dir;
}
const defaultHash = settingsHash(loadPreset('default'));

async function pick(dir: string, budget: 'ci' | 'default') {
  const lines: string[] = [];
  const d = await notebookDataset({ dataDir: dir, budget, log: (l) => lines.push(l) });
  return { ...d, lines };
}

test('syntheticDatasetState: missing, incomplete, stale (other settings hash), ready', () => {
  assert.equal(syntheticDatasetState('default', path.join(dataDir('s-missing'), 'synthetic-default')), 'missing');
  assert.equal(syntheticDatasetState('default', path.join(dataDir('s-part', { hash: defaultHash, complete: false }), 'synthetic-default')), 'incomplete');
  assert.equal(syntheticDatasetState('default', path.join(dataDir('s-stale', { hash: 'old', complete: true }), 'synthetic-default')), 'stale');
  assert.equal(syntheticDatasetState('default', path.join(dataDir('s-ok', { hash: defaultHash, complete: true }), 'synthetic-default')), 'ready');
  assert.equal(syntheticDatasetState('tiny', path.join(dataDir('s-tiny'), 'synthetic-tiny')), 'ready');
});

test('syntheticDatasetState: a manifest that is not JSON is an error naming the file', () => {
  const root = path.join(dataDir('s-bad', '{ not json'), 'synthetic-default');
  assert.throws(() => syntheticDatasetState('default', root), (e: Error) => e.message.includes(path.join(root, MANIFEST_FILE)) && /not valid JSON/.test(e.message));
});

test('notebookDataset: the default budget takes a ready default dataset, silently', async () => {
  const dir = dataDir('ready', { hash: defaultHash, complete: true });
  const d = await pick(dir, 'default');
  assert.deepEqual([d.root, d.source, d.defaultState, d.lines], [path.join(dir, 'synthetic-default'), 'default', 'ready', []]);
  assert.match(d.note, /^synthetic preset 'default' at .*synthetic-default \(\d+\.\d s to make or check\)$/);
});

test('notebookDataset: a stale default dataset (complete, other settings) falls back to tiny, loudly', async () => {
  const dir = dataDir('stale', { hash: 'made-by-an-older-generator', complete: true });
  const d = await pick(dir, 'default');
  assert.deepEqual([d.root, d.source, d.defaultState], [path.join(dir, 'synthetic-tiny'), 'tiny', 'stale']);
  assert.equal(d.lines.length, 1);
  assert.match(d.lines[0], /other generator settings.*FALLING BACK to the 'tiny' preset \(delete it, then make it .*npx i2p generate --preset default --out /);
});

test('notebookDataset: a missing or incomplete default dataset falls back to tiny and says which', async () => {
  for (const [name, manifest, why] of [['missing', undefined, /is missing/], ['part', { hash: defaultHash, complete: false }, /is incomplete/]] as const) {
    const d = await pick(dataDir(name, manifest), 'default');
    assert.equal(d.source, 'tiny', name);
    assert.equal(d.lines.length, 1, name);
    assert.match(d.lines[0], why);
    assert.match(d.lines[0], /FALLING BACK to the 'tiny' preset \(make it/);
  }
});

test('notebookDataset: the ci budget takes tiny without looking at default; a KITTI root is used as is', async () => {
  const dir = dataDir('ci', { hash: defaultHash, complete: true });
  const d = await pick(dir, 'ci');
  assert.deepEqual([d.root, d.source, d.defaultState, d.lines], [path.join(dir, 'synthetic-tiny'), 'tiny', null, []]);
  const k = await notebookDataset({ kittiRoot: ' /data/kitti ', dataDir: dir, budget: 'default' });
  assert.deepEqual([k.root, k.source, k.note], ['/data/kitti', 'kitti', 'real KITTI at /data/kitti']);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
