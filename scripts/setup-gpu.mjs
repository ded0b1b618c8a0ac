// `npm run setup:gpu`: installs the optional CUDA backend @tensorflow/tfjs-node-gpu on a machine
// with an NVIDIA GPU. Then the backend loader (src/core/backend.ts) picks it automatically;
// `I2P_BACKEND=gpu` makes a missing GPU an error instead of a fallback.
//
// Two ways, tried in order:
//   1. tfjs-node-gpu's own download: libtensorflow 2.9.1 GPU, which needs CUDA 11.2 and cuDNN 8.1
//      on the library path (LD_LIBRARY_PATH);
//   2. the `tensorflow==2.21.0` pip wheel's libtensorflow (CUDA 12 / cuDNN 9: install the CUDA
//      libraries with `pip install "tensorflow[and-cuda]==2.21.0"` and put their lib folders on
//      LD_LIBRARY_PATH), with the addon compiled from source. Override with I2P_TF_GPU_WHEEL.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeLoads, tryOfficialDownload, tryPipWheel } from './lib/native-tfjs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (m) => console.log(`[i2p-lab setup:gpu] ${m}`);
const pkg = '@tensorflow/tfjs-node-gpu';
const pkgDir = path.join(root, 'node_modules', pkg);

if (!fs.existsSync(pkgDir)) {
  const version = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@tensorflow/tfjs-node/package.json'), 'utf8')).version;
  log(`installing ${pkg}@${version} (same version as tfjs-node)...`);
  const r = spawnSync('npm', ['install', '--no-save', `${pkg}@${version}`], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (nativeLoads(root, pkg).ok) { log(`${pkg} loads; run 'npx i2p info' to see whether TensorFlow finds the GPU`); process.exit(0); }
const ok = (tryOfficialDownload(pkgDir, log, 'gpu') && nativeLoads(root, pkg).ok)
  || (tryPipWheel(pkgDir, log, process.env.I2P_TF_GPU_WHEEL ?? 'tensorflow==2.21.0') && nativeLoads(root, pkg).ok);
if (!ok) {
  console.error(`[i2p-lab setup:gpu] could not make ${pkg} load: ${nativeLoads(root, pkg).detail}`);
  process.exit(1);
}
log(`${pkg} ready; check with 'I2P_BACKEND=gpu npx i2p info' (gpu: true means ops run on the GPU)`);
