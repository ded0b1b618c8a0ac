// `npm install` runs this after the packages are in place. Each step is skipped when it is
// already done, so running it twice is fast and harmless.
//   1. the native TensorFlow backend (scripts/lib/native-tfjs.mjs)
//   2. dist/ (tsc)
//   3. self-link node_modules/i2p-lab -> . so notebooks import the package by name
//   4. Jupyter for the notebooks: the Python that has jupyterlab, nbclient, ipykernel and plotly,
//      else a project-local .venv/ made from pip's configured index (scripts/lib/jupyter.mjs)
//   5. the tslab Jupyter kernel, registered with that Jupyter
// Environment: I2P_SKIP_NATIVE=1 skips step 1 (pure-JS tfjs), I2P_TF_WHEEL overrides the wheel,
// I2P_SKIP_JUPYTER=1 skips steps 4-5, I2P_PYTHON names the Python to use (no .venv is made then).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeLoads, tryOfficialDownload, tryPipWheel } from './lib/native-tfjs.mjs';
import { ensureSelfLink } from './lib/self-link.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (m) => console.log(`[i2p-lab install] ${m}`);

function stepNative() {
  if (process.env.I2P_SKIP_NATIVE === '1') { log('I2P_SKIP_NATIVE=1: not building the native backend'); return; }
  const pkgDir = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node');
  if (!fs.existsSync(pkgDir)) { log('@tensorflow/tfjs-node is not installed; skipping the native backend'); return; }
  if (nativeLoads(root).ok) { log('native TensorFlow backend: ok (already built)'); return; }
  for (const attempt of [tryOfficialDownload, tryPipWheel]) {
    if (attempt(pkgDir, log) && nativeLoads(root).ok) { log('native TensorFlow backend: ok'); return; }
  }
  const check = nativeLoads(root);
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n${bar}\n  i2p-lab: the native TensorFlow backend could NOT be built.\n` +
    '  Neither the libtensorflow download nor the tensorflow-cpu pip wheel worked\n' +
    `  (${check.detail || 'see the messages above'}).\n` +
    '  Everything still runs on pure-JS tfjs, about 150x slower for convolutions:\n' +
    '  training the models will take hours instead of minutes.\n' +
    '  Fix: install python3 + pip with access to PyPI (or a mirror) and run npm install again.\n' +
    `${bar}\n${bar}\n`);
}

function stepBuild() {
  log('building dist/ (tsc)...');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!fs.existsSync(tsc)) { log('typescript is not installed (production install?): using the dist/ that is there'); return; }
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('tsc failed: see the errors above');
}

function stepSelfLink() {
  if (ensureSelfLink(root)) log('linked node_modules/i2p-lab -> . (notebooks import the package by name)');
}

async function stepJupyter() {
  const jupyterLib = path.join(root, 'scripts', 'lib', 'jupyter.mjs');
  if (!fs.existsSync(jupyterLib)) return;
  if (process.env.I2P_SKIP_JUPYTER === '1') { log('I2P_SKIP_JUPYTER=1: not setting up Jupyter (the notebooks need it)'); return; }
  const { ensureJupyterEnv, registerTslabKernel } = await import(jupyterLib);
  const env = ensureJupyterEnv(root, log);
  if (!env.ok) {
    const bar = '!'.repeat(78);
    console.warn(`\n${bar}\n  i2p-lab: no Jupyter for the notebooks.\n  ${env.message}\n  The library, the CLI and the tests work without it.\n${bar}\n`);
    return;
  }
  log(env.message);
  registerTslabKernel(root, log);
}

stepNative();
stepBuild();
stepSelfLink();
await stepJupyter();
