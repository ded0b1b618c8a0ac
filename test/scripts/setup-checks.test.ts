// The install and reproduce checks of scripts/lib (jupyter.mjs, preflight.mjs), run in child
// processes with a controlled PATH and a temporary project root.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lib = (f: string) => JSON.stringify(path.join(root, 'scripts', 'lib', f));

/** Runs an ES-module snippet; returns its last stdout line parsed as JSON. */
function run(code: string, env: Record<string, string | undefined>): unknown {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } as NodeJS.ProcessEnv });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const made: string[] = [];
function tempDir(prefix = 'i2p-setup-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}
const tempRoot = () => tempDir();
after(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });

test('without python3 on PATH, ensureJupyterEnv makes nothing and says what to install', () => {
  const dir = tempRoot();
  const emptyBin = tempDir('i2p-nobin-');
  const r = run(`import { ensureJupyterEnv } from ${lib('jupyter.mjs')}; console.log(JSON.stringify(ensureJupyterEnv(${JSON.stringify(dir)}, () => {})))`,
    { PATH: emptyBin, I2P_PYTHON: undefined }) as { ok: boolean; message: string };
  assert.equal(r.ok, false);
  assert.match(r.message, /no python3 \(>= 3\.9\) found/);
  assert.match(r.message, /apt-get install python3 python3-venv/);
  assert.equal(fs.existsSync(path.join(dir, '.venv')), false, 'no .venv is made');
});

test('I2P_PYTHON without Jupyter: no .venv is made, the message names I2P_PYTHON and the packages', () => {
  const dir = tempRoot();
  const r = run(`import { ensureJupyterEnv } from ${lib('jupyter.mjs')}; console.log(JSON.stringify(ensureJupyterEnv(${JSON.stringify(dir)}, () => {})))`,
    { I2P_PYTHON: 'python3', PYTHONNOUSERSITE: '1', PYTHONPATH: '' }) as { ok: boolean; message: string };
  if (r.ok) return; // this python3 has a complete Jupyter of its own: nothing to check
  assert.match(r.message, /^I2P_PYTHON=python3 lacks some of jupyterlab, nbclient, nbformat, ipykernel, plotly/);
  assert.equal(fs.existsSync(path.join(dir, '.venv')), false);
});

test('datasetBytesToWrite: the recorded size minus what is written; zero for a complete dataset', () => {
  const dir = tempRoot();
  fs.mkdirSync(path.join(dir, 'datasets', 'checksums'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'datasets', 'checksums', 'tiny.json'), JSON.stringify({ sequences: [{ seq: '00', bytes: 1000 }, { seq: '01', bytes: 500 }] }));
  const seqDir = path.join(dir, 'data', 'synthetic-tiny', 'sequences', '00');
  fs.mkdirSync(seqDir, { recursive: true });
  fs.writeFileSync(path.join(seqDir, 'a.bin'), Buffer.alloc(300));
  fs.writeFileSync(path.join(seqDir, 'b.bin'), Buffer.alloc(100));
  const code = `import { datasetBytesToWrite } from ${lib('preflight.mjs')}; console.log(JSON.stringify(datasetBytesToWrite(${JSON.stringify(dir)}, 'tiny')))`;
  assert.deepEqual(run(code, {}), { total: 1500, toWrite: 1500 - 400, complete: false });
  fs.writeFileSync(path.join(dir, 'data', 'synthetic-tiny', 'synthetic-manifest.json'), JSON.stringify({ complete: true }));
  assert.deepEqual(run(code, {}), { total: 0, toWrite: 0, complete: true });
});

test('preflight names each missing prerequisite with its fix (an empty project folder)', () => {
  const dir = tempRoot();
  const emptyBin = tempDir('i2p-nobin-');
  const r = run(`import { preflight } from ${lib('preflight.mjs')}; console.log(JSON.stringify(preflight(${JSON.stringify(dir)}, { preset: 'tiny' })))`,
    { PATH: emptyBin, I2P_PYTHON: undefined }) as Array<{ name: string; ok: boolean; detail: string; fix: string }>;
  const byName = Object.fromEntries(r.map((c) => [c.name, c]));
  assert.equal(byName['npm packages'].ok, false);
  assert.equal(byName['npm packages'].fix, 'npm install');
  assert.equal(byName.Jupyter.ok, false);
  assert.equal(byName.Jupyter.detail, 'no python3 found');
  assert.match(byName.Jupyter.fix, /npm install/);
  assert.ok(byName['disk space'], 'disk space is checked');
});
