import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs the loader in a fresh process (the choice is made once per process). */
function load(env: Record<string, string>) {
  const code = "import('./src/core/backend.ts').then(m => { try { console.log(JSON.stringify(m.initBackend())) } catch (e) { console.log(JSON.stringify({ error: e.message })) } })";
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], {
    cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as { kind?: string; name?: string; gpu?: boolean; error?: string; forced?: boolean };
}

test('I2P_BACKEND=cpu forces pure-JS tfjs', () => {
  const info = load({ I2P_BACKEND: 'cpu' });
  assert.equal(info.kind, 'cpu');
  assert.equal(info.name, 'cpu');
  assert.equal(info.forced, true);
});

test('I2P_BACKEND with an unknown value fails loudly', () => {
  assert.match(load({ I2P_BACKEND: 'tpu' }).error ?? '', /I2P_BACKEND must be one of gpu, node, cpu; got 'tpu'/);
});

test('I2P_BACKEND=gpu without a visible GPU fails loudly instead of falling back', () => {
  const info = load({ I2P_BACKEND: 'gpu', CUDA_VISIBLE_DEVICES: '' });
  assert.match(info.error ?? '', /I2P_BACKEND=gpu/);
});

test('the default picks the native backend when the install built it', (t) => {
  const info = load({ I2P_BACKEND: '' });
  if (info.kind !== 'node' && info.kind !== 'gpu') {
    // The install prints a loud warning when it cannot build the native backend; CI must not hide it.
    if (process.env.CI) assert.fail(`native backend expected in CI, got ${JSON.stringify(info)}`);
    t.skip(`native backend not built here (${info.kind})`);
    return;
  }
  assert.equal(info.name, 'tensorflow');
});
