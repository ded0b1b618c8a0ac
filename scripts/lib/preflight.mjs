// The checks `npm run reproduce` makes in its first seconds, before any long work: each
// failure names what is missing and the command that fixes it.
//
//   preflight(root, { preset, needNotebooks }) -> [{ name, ok, detail, fix }]
//   printPreflight(results, log)              -> true when all passed
import fs from 'node:fs';
import path from 'node:path';
import { nativeLoads } from './native-tfjs.mjs';
import { findJupyter, installHint, jupyterComplete, registerTslabKernel, tslabBinary } from './jupyter.mjs';

const GIB = 1024 ** 3;
/** Room kept free beyond the dataset itself: notebook caches (depth images, runs, figures). */
const HEADROOM_BYTES = 1 * GIB;

function folderBytes(dir) {
  let n = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += fs.statSync(path.join(e.parentPath ?? e.path, e.name)).size;
  }
  return n;
}

/** Bytes the preset still needs on disk: its recorded size (datasets/checksums) minus what is already written. */
export function datasetBytesToWrite(root, preset) {
  const out = path.join(root, 'data', `synthetic-${preset}`);
  const manifest = path.join(out, 'synthetic-manifest.json');
  if (fs.existsSync(manifest)) {
    try { if (JSON.parse(fs.readFileSync(manifest, 'utf8')).complete === true) return { total: 0, toWrite: 0, complete: true }; } catch { /* re-generated */ }
  }
  const sums = path.join(root, 'datasets', 'checksums', `${preset}.json`);
  if (!fs.existsSync(sums)) return { total: undefined, toWrite: undefined, complete: false };
  const total = JSON.parse(fs.readFileSync(sums, 'utf8')).sequences.reduce((a, s) => a + s.bytes, 0);
  return { total, toWrite: Math.max(0, total - folderBytes(path.join(out, 'sequences'))), complete: false };
}

/**
 * @param {string} root project root
 * @param {{preset: string, needNotebooks?: boolean}} opts
 */
export function preflight(root, { preset, needNotebooks = true }) {
  const results = [];
  const add = (name, ok, detail, fix) => results.push({ name, ok, detail, fix });

  const tfjsNode = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node');
  if (!fs.existsSync(path.join(root, 'node_modules', '@tensorflow', 'tfjs'))) {
    add('npm packages', false, 'node_modules/ lacks @tensorflow/tfjs', 'npm install');
  } else if (!fs.existsSync(tfjsNode)) {
    add('native backend', false, '@tensorflow/tfjs-node is not installed: training would run on pure-JS tfjs, about 150x slower', 'npm install');
  } else {
    const n = nativeLoads(root);
    add('native backend', n.ok, n.ok ? '@tensorflow/tfjs-node loads (TensorFlow C library)' : `@tensorflow/tfjs-node does not load: ${n.detail.split('\n').pop()}`, 'npm install (it rebuilds the native backend from the tensorflow-cpu wheel)');
  }
  if (!fs.existsSync(path.join(root, 'node_modules', 'typescript'))) {
    add('TypeScript', false, 'node_modules/typescript is missing: dist/ cannot be built', 'npm install (with dev dependencies)');
  }

  if (needNotebooks) {
    const j = findJupyter(root);
    if (!jupyterComplete(j)) {
      const have = j.python ? `${j.pythonExecutable ?? j.python} lacks ${j.missing.join(', ')}` : 'no python3 found';
      add('Jupyter', false, have, installHint(j.python ?? 'python3'));
    } else {
      add('Jupyter', true, `${j.pythonExecutable}${j.projectVenv ? " (the project's .venv)" : ''}`, '');
      let kernelOk = j.kernelRegistered && j.kernelMatches;
      if (!kernelOk && fs.existsSync(tslabBinary(root))) kernelOk = registerTslabKernel(root, () => {});
      add('tslab kernel', !!kernelOk, kernelOk ? 'registered for this project' : (fs.existsSync(tslabBinary(root)) ? 'registration failed' : 'node_modules/.bin/tslab is missing'),
        `npx tslab install --python ${j.python} --binary ${tslabBinary(root)}`);
    }
  }

  const d = datasetBytesToWrite(root, preset);
  if (d.complete) {
    add('disk space', true, `data/synthetic-${preset} is complete; nothing to generate`, '');
  } else {
    const fsStat = fs.statfsSync(root);
    const free = fsStat.bavail * fsStat.bsize;
    const need = (d.toWrite ?? 0) + HEADROOM_BYTES;
    const gib = (b) => `${(b / GIB).toFixed(2)} GiB`;
    add('disk space', free >= need, `${gib(free)} free; data/synthetic-${preset} needs ${d.toWrite === undefined ? 'an unknown amount' : gib(d.toWrite)} more, plus ${gib(HEADROOM_BYTES)} for caches`,
      `free ${gib(need - free)} on ${root}'s disk, or I2P_BUDGET=ci npm run reproduce (the 12 MB tiny dataset)`);
  }
  return results;
}

/** Prints one line per check and the fixes of the failed ones; returns true when all passed. */
export function printPreflight(results, log = (m) => console.log(m)) {
  for (const r of results) log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.detail}`);
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    log('\nFix first:');
    for (const r of failed) log(`  - ${r.name}: ${r.fix}`);
  }
  return failed.length === 0;
}
