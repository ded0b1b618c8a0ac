// Starting JupyterLab for this project: the Jupyter that findJupyter() picks (the project's
// .venv/ when npm install made one), with the tslab kernel registered for this checkout and dist/ built.
//
//   requireLab(root, fail)                 -> the findJupyter() result, or fail(message) with the fix
//   labArgs(python, notebookDir, extra)     -> argv for `<python> -m jupyter lab ...`
//   buildDist(root, fail)                  -> builds dist/ (incremental tsc), or fail(message)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findJupyter, installHint, jupyterComplete, registerTslabKernel, tslabBinary } from './jupyter.mjs';

/** The Jupyter to use, with the tslab kernel registered for this checkout and dist/ built (buildDist); calls fail() with the fix otherwise. */
export function requireLab(root, fail) {
  const j = findJupyter(root);
  if (!jupyterComplete(j)) {
    return fail(`${j.python ? `${j.pythonExecutable ?? j.python} lacks ${j.missing.join(', ')}` : 'no python3 found'}; ${installHint(j.python ?? 'python3')}`);
  }
  if (!(j.kernelRegistered && j.kernelMatches) && !registerTslabKernel(root, () => {})) {
    return fail(`the tslab kernel could not be registered; run: npx tslab install --python ${j.python} --binary ${tslabBinary(root)}`);
  }
  buildDist(root, fail);
  return j;
}

/**
 * Notebooks import the built package, so dist/ is built first (incremental: a few seconds when src/ did not change);
 * a notebook never runs an older library than src/ (a stale dist/ once put older code's numbers into committed figures).
 * @returns the build's seconds
 */
export function buildDist(root, fail) {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!fs.existsSync(tsc)) return fail(`no TypeScript compiler at ${path.relative(root, tsc)} to build dist/ (notebooks import the built package): run 'npm install'`);
  const t0 = Date.now(), r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) return fail(`building dist/ failed (tsc -p tsconfig.build.json, exit ${r.status}); notebooks import the built package`);
  return (Date.now() - t0) / 1000;
}

/** `python -m jupyter lab` arguments; as root, JupyterLab needs --allow-root. */
export function labArgs(notebookDir, extra = []) {
  const rootUser = typeof process.getuid === 'function' && process.getuid() === 0;
  return ['-m', 'jupyter', 'lab', `--ServerApp.root_dir=${notebookDir}`, ...(rootUser ? ['--allow-root'] : []), ...extra];
}
