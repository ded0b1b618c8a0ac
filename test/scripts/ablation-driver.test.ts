// scripts/lib/ablation-driver.mjs: the ablation drivers' command line, run order and records.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error: a plain ES module of the scripts, without types
import { readAblationPlan, recordRun, runState } from '../../scripts/lib/ablation-driver.mjs';

const made: string[] = [];
after(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'i2p-ablation-'));
  made.push(d);
  return d;
}
const SPEC = {
  data: 'd', seeds: [0, 1], out: 'figs/ab',
  rows: [{ id: 'base', variant: 'base', change: '-' }, { id: 'k8', variant: 'K = 8', change: 'nmfFactors: 8', config: { nmfFactors: 8 } }],
};
function writeSpec(spec: unknown): { root: string; file: string } {
  const root = tempDir(), file = path.join(root, 'spec.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  return { root, file };
}
type Plan = { row: { id: string }; seed: number }[];
const ids = (plan: Plan) => plan.map(({ row, seed }) => `${row.id}-s${seed}`);

test('readAblationPlan: rows then seeds; --seed-major every row first seed first; --only filters; out is resolved', () => {
  const { root, file } = writeSpec(SPEC);
  const p = readAblationPlan(root, [file], 'unused.json', ['data']);
  assert.deepEqual(ids(p.plan), ['base-s0', 'base-s1', 'k8-s0', 'k8-s1']);
  assert.equal(p.outDir, path.join(root, 'figs/ab'));
  assert.equal(p.collectOnly, false);
  assert.deepEqual(ids(readAblationPlan(root, [file, '--seed-major'], 'unused.json', ['data']).plan), ['base-s0', 'k8-s0', 'base-s1', 'k8-s1']);
  assert.deepEqual(ids(readAblationPlan(root, ['--only', 'k8', file], 'unused.json', ['data']).plan), ['k8-s0', 'k8-s1']);
  assert.equal(readAblationPlan(root, ['--collect-only'], 'spec.json', ['data']).collectOnly, true); // the default spec, relative to root
});

test('readAblationPlan: errors name the spec file and the field, or the unknown row', () => {
  const { root, file } = writeSpec({ ...SPEC, data: undefined });
  assert.throws(() => readAblationPlan(root, [file], 'x', ['data']), (e: Error) => e.message.includes(file) && e.message.includes("missing field 'data'"));
  const bad = writeSpec({ ...SPEC, seeds: [0, 1.5] });
  assert.throws(() => readAblationPlan(bad.root, [bad.file], 'x', []), /seeds: expected an array of integers/);
  const noId = writeSpec({ ...SPEC, rows: [{ variant: 'v', change: '-' }] });
  assert.throws(() => readAblationPlan(noId.root, [noId.file], 'x', []), /rows: expected a string 'id'/);
  const ok = writeSpec(SPEC);
  assert.throws(() => readAblationPlan(ok.root, [ok.file, '--only', 'k16'], 'x', []), /--only: no row 'k16'.*rows: base, k8/);
  assert.throws(() => readAblationPlan(ok.root, [ok.file, '--only'], 'x', []), /--only: expected a comma-separated list/);
  // an unknown option or a second spec is an error, not a silent start of every run; --help reads nothing
  assert.throws(() => readAblationPlan(ok.root, [ok.file, '--epochs', '2'], 'x', []), /unknown option '--epochs': expected \[spec\] \[--only id,id\]/);
  assert.throws(() => readAblationPlan(ok.root, [ok.file, 'other.json'], 'x', []), /expected at most one spec file, got .*spec.json, other.json/);
  assert.deepEqual(readAblationPlan(ok.root, ['--help'], 'absent.json', ['data']), { help: 'arguments: [spec] [--only id,id] [--seed-major] [--collect-only] (default spec absent.json)' });
});

test('recordRun copies the listed files and the evaluation tables, not the weights nor the skipped files', () => {
  const run = tempDir(), rec = path.join(tempDir(), 'runs', 'base-s0');
  fs.mkdirSync(path.join(run, 'checkpoints'));
  fs.mkdirSync(path.join(run, 'eval-towns'));
  fs.writeFileSync(path.join(run, 'checkpoint.json'), JSON.stringify({ epoch: 4, step: 7200 }));
  fs.writeFileSync(path.join(run, 'checkpoints', 'step-00007200.safetensors'), 'weights');
  for (const f of ['recall.csv', 'recall.md', 'pairs.md', 'poses.txt']) fs.writeFileSync(path.join(run, 'eval-towns', f), f);
  recordRun(run, rec, ['checkpoint.json', 'absent.csv'], 'eval-towns', ['pairs.md']);
  assert.deepEqual(fs.readdirSync(rec).sort(), ['checkpoint.json', 'eval-towns']);
  assert.deepEqual(fs.readdirSync(path.join(rec, 'eval-towns')).sort(), ['recall.csv', 'recall.md']);
  assert.deepEqual(runState(rec), { epoch: 4, step: 7200 });
  assert.equal(runState(path.join(rec, 'eval-towns')), null);
});
