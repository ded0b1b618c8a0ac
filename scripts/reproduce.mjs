// `npm run reproduce`: the main job. Checks every prerequisite first (native backend, Jupyter,
// the tslab kernel, disk space for the data: scripts/lib/preflight.mjs), then builds, prepares
// the embedded data when missing, executes every notebook (default budget) and writes figures/
// and the result tables.
// Later parts of the project add their steps to STEPS below.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { preflight, printPreflight } from './lib/preflight.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const budget = process.env.I2P_BUDGET ?? 'default';
// notebooks read data/synthetic-tiny in the ci budget, data/synthetic-default otherwise
const preset = budget === 'ci' ? 'tiny' : 'default';

function step(title, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, I2P_BUDGET: budget, ...env } });
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`reproduce: step '${title}' failed after ${s} s (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
  console.log(`=== ${title}: done in ${s} s`);
}

{
  const t0 = Date.now();
  console.log('=== prerequisites');
  if (!printPreflight(preflight(root, { preset }))) {
    console.error(`reproduce: prerequisites missing (checked in ${((Date.now() - t0) / 1000).toFixed(1)} s); nothing was run`);
    process.exit(1);
  }
  console.log(`=== prerequisites: all present (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const STEPS = [
  ['build dist/', npm, ['run', 'build']],
  ['backend and environment (i2p info)', process.execPath, ['bin/i2p.js', 'info']],
  // the embedded data set: generated once, reused after (the generator skips frames already written)
  [`embedded data (${preset} preset -> data/synthetic-${preset})`, process.execPath,
    ['bin/i2p.js', 'generate', '--preset', preset, '--out', `data/synthetic-${preset}`]],
  ['execute the notebooks (budget ' + budget + ')', npm, ['run', 'notebooks']],
];
for (const [title, cmd, args] of STEPS) step(title, cmd, args);
console.log('\nreproduce: all steps passed; figures and tables are under figures/');
