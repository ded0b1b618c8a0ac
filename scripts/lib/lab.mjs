// Starting JupyterLab for this project: the Jupyter that findJupyter() picks (the project's
// .venv/ when npm install made one), with the tslab kernel registered for this checkout.
//
//   requireLab(root, fail)                 -> the findJupyter() result, or fail(message) with the fix
//   labArgs(python, notebookDir, extra)     -> argv for `<python> -m jupyter lab ...`
import fs from 'node:fs';
import path from 'node:path';
import { findJupyter, installHint, jupyterComplete, registerTslabKernel, tslabBinary } from './jupyter.mjs';

/** The Jupyter to use, with the tslab kernel registered for this checkout; calls fail() with the fix otherwise. */
export function requireLab(root, fail) {
  const j = findJupyter(root);
  if (!jupyterComplete(j)) {
    return fail(`${j.python ? `${j.pythonExecutable ?? j.python} lacks ${j.missing.join(', ')}` : 'no python3 found'}; ${installHint(j.python ?? 'python3')}`);
  }
  if (!(j.kernelRegistered && j.kernelMatches) && !registerTslabKernel(root, () => {})) {
    return fail(`the tslab kernel could not be registered; run: npx tslab install --python ${j.python} --binary ${tslabBinary(root)}`);
  }
  if (!fs.existsSync(path.join(root, 'dist', 'notebook', 'index.js'))) return fail("dist/ is not built (notebooks import the built package): run 'npm run build'");
  return j;
}

/** `python -m jupyter lab` arguments; as root, JupyterLab needs --allow-root. */
export function labArgs(notebookDir, extra = []) {
  const rootUser = typeof process.getuid === 'function' && process.getuid() === 0;
  return ['-m', 'jupyter', 'lab', `--ServerApp.root_dir=${notebookDir}`, ...(rootUser ? ['--allow-root'] : []), ...extra];
}
