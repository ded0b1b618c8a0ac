// Finds Jupyter (the Python side: jupyter_client, nbclient), makes a project-local one when
// there is none, and registers the tslab kernel.
//
//   findJupyter(root)             -> { python, hasJupyter, hasNbclient, kernelRegistered, kernel, ... }; never throws
//   ensureJupyterEnv(root,log)    -> when no Python with jupyterlab + nbclient + ipykernel is found, creates
//                                    <root>/.venv (python3 -m venv, pip's configured index) with the
//                                    NOTEBOOK_PACKAGES; never throws, returns { ok, python, message }
//   registerTslabKernel(root,log) -> registers kernel 'tslab' pointing at <root>/node_modules/.bin/tslab
//                                    when Jupyter is present and the kernel is missing or points elsewhere;
//                                    one line of output; never throws (warns instead)
//
// The Python interpreter: $I2P_PYTHON when set (only that one), else the first of
// <root>/.venv/bin/python (the project's own environment), python3, python that has
// jupyter_client (else the first that runs). The kernel spec is installed by tslab's own
// installer (`tslab install --python <py> --binary <abs path>`): into the user's Jupyter
// folder for non-root users, the system folder (/usr/local/share/jupyter) for root, and
// sys.prefix inside a virtualenv or conda env (so it lives and dies with the env).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const PROBE = String.raw`
import json, sys
out = {"executable": sys.executable, "version": sys.version.split()[0],
       "venv": sys.prefix != getattr(sys, "base_prefix", sys.prefix) or bool(__import__("os").environ.get("CONDA_PREFIX")),
       "kernel": None, "error": None}
out.update({mod: None for mod in sys.argv[1:]})  # the modules asked for: their versions, None when absent
import importlib.metadata, importlib.util
for mod in sys.argv[1:]:
    try:  # versions without importing (importing nbclient takes about 2 s)
        if importlib.util.find_spec(mod) is not None:
            out[mod] = importlib.metadata.version(mod)
    except Exception:
        pass
if out["jupyter_client"]:
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
        try:
            spec = KernelSpecManager().get_kernel_spec("tslab")
            out["kernel"] = {"argv": spec.argv, "resource_dir": spec.resource_dir}
        except NoSuchKernel:
            pass
    except Exception as e:
        out["error"] = repr(e)
print(json.dumps(out))
`;

/** The Python modules the probe looks for (import names): what the notebooks, nbclient and `npm run lab` need. */
const PROBED_MODULES = ['jupyter_client', 'nbclient', 'nbformat', 'ipykernel', 'jupyterlab', 'plotly'];

function probe(py) {
  const r = spawnSync(py, ['-c', PROBE, ...PROBED_MODULES], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0 || r.error) return undefined;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return undefined;
  }
}

/** The tslab launcher of a project: <root>/node_modules/.bin/tslab (absolute). */
export function tslabBinary(root) {
  return path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tslab.cmd' : 'tslab');
}

/**
 * What Jupyter this machine has. Never throws.
 * @param {string} [root] project root; when given, `kernelMatches` says whether the tslab kernel runs this project's tslab
 * @returns {{python: string|undefined, pythonVersion?: string, hasJupyter: boolean, hasNbclient: boolean,
 *   hasNbformat: boolean, missing: string[], projectVenv?: boolean, kernelRegistered: boolean,
 *   kernel?: {argv: string[], resource_dir: string}, kernelMatches?: boolean, venv?: boolean}}
 *   `missing`: the probed modules (PROBED_MODULES) this Python lacks (all of them when none runs)
 */
export function findJupyter(root) {
  const forced = process.env.I2P_PYTHON?.trim();
  const local = root ? venvPython(root) : undefined;
  const candidates = forced ? [forced] : [...(local && fs.existsSync(local) ? [local] : []), 'python3', 'python'];
  let first;
  let found;
  for (const py of candidates) {
    const p = probe(py);
    if (!p) continue;
    first ??= { py, p };
    if (p.jupyter_client) { found = { py, p }; break; }
  }
  const hit = found ?? first;
  if (!hit) return { python: undefined, hasJupyter: false, hasNbclient: false, hasNbformat: false, missing: [...PROBED_MODULES], kernelRegistered: false };
  const { py, p } = hit;
  const info = {
    python: py,
    pythonVersion: p.version,
    pythonExecutable: p.executable,
    venv: p.venv,
    hasJupyter: !!p.jupyter_client,
    hasNbclient: !!p.nbclient,
    hasNbformat: !!p.nbformat,
    missing: PROBED_MODULES.filter((m) => !p[m]),
    projectVenv: !!local && path.resolve(py) === path.resolve(local),
    kernelRegistered: !!p.kernel,
    kernel: p.kernel ?? undefined,
  };
  if (root && p.kernel) {
    const bin = p.kernel.argv?.[0];
    info.kernelMatches = !!bin && path.resolve(bin) === path.resolve(tslabBinary(root));
  }
  return info;
}

/** What the notebooks need on the Python side (plotly carries JupyterLab's renderer for the figures). */
export const NOTEBOOK_PACKAGES = ['jupyterlab', 'nbclient', 'nbformat', 'ipykernel', 'plotly'];

/** The project's own Python environment: <root>/.venv/bin/python. */
export function venvPython(root) {
  return process.platform === 'win32' ? path.join(root, '.venv', 'Scripts', 'python.exe') : path.join(root, '.venv', 'bin', 'python');
}

/** How to install what is missing, as one line. */
export function installHint(python = 'python3') {
  return `run 'npm install' (it makes .venv/ with Jupyter), or: ${python} -m pip install ${NOTEBOOK_PACKAGES.join(' ')}   (or: conda env create -f environment.yml), then npm install`;
}

/** True when this Jupyter has everything the notebooks and `npm run lab` need. */
export function jupyterComplete(j) {
  return !!j.python && j.missing.length === 0;
}

/**
 * Makes sure a Python with the NOTEBOOK_PACKAGES exists: the one findJupyter picks when it
 * has them all, else <root>/.venv, created with `python3 -m venv` and filled from pip's
 * configured index. Never throws.
 * @param {string} root project root
 * @param {(msg: string) => void} [log]
 * @returns {{ok: boolean, python?: string, message: string}}
 */
export function ensureJupyterEnv(root, log = (m) => console.log(m)) {
  const j = findJupyter(root);
  if (jupyterComplete(j)) return { ok: true, python: j.python, message: `Jupyter: ${j.pythonExecutable ?? j.python}${j.projectVenv ? ' (the project\'s .venv)' : ''}` };
  if (process.env.I2P_PYTHON?.trim()) {
    return { ok: false, python: j.python, message: `I2P_PYTHON=${process.env.I2P_PYTHON} lacks some of ${NOTEBOOK_PACKAGES.join(', ')}: ${process.env.I2P_PYTHON} -m pip install ${NOTEBOOK_PACKAGES.join(' ')}, or unset I2P_PYTHON to let npm install make .venv/` };
  }
  const base = ['python3', 'python'].find((py) => spawnSync(py, ['-c', 'import sys; assert sys.version_info >= (3, 9)'], { timeout: 30_000 }).status === 0);
  if (!base) {
    return { ok: false, message: 'no python3 (>= 3.9) found; the notebooks need it for Jupyter. Install it (Debian/Ubuntu: sudo apt-get install python3 python3-venv; macOS: brew install python; or conda), then run npm install again' };
  }
  const venv = path.join(root, '.venv');
  const py = venvPython(root);
  const t0 = Date.now();
  if (!fs.existsSync(py)) {
    log(`Jupyter: none with ${NOTEBOOK_PACKAGES.join(', ')} found; creating the project's own environment in .venv/ (${base} -m venv)`);
    const r = spawnSync(base, ['-m', 'venv', venv], { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0 || !fs.existsSync(py)) {
      const why = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-2).join(' | ');
      fs.rmSync(venv, { recursive: true, force: true });
      return { ok: false, message: `'${base} -m venv .venv' failed (${why || `exit ${r.status}`}). On Debian/Ubuntu: sudo apt-get install python3-venv; then npm install again` };
    }
  }
  // .venv/ lies inside this "type": "module" package: without a package.json of its own, Node
  // would read the CommonJS scripts that JupyterLab runs from it (jupyter_builder's yarn.js) as ES modules
  fs.writeFileSync(path.join(venv, 'package.json'), '{ "private": true, "type": "commonjs" }\n');
  log(`Jupyter: pip install ${NOTEBOOK_PACKAGES.join(' ')} into .venv/ (pip's configured index; a few minutes the first time)`);
  // one retry (pip's default is 5): an unreachable default index (a mirror-only machine) then costs seconds, not minutes
  const retries = process.env.I2P_PIP_RETRIES ?? '1';
  const r = spawnSync(py, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '--retries', retries, ...NOTEBOOK_PACKAGES], { encoding: 'utf8', timeout: 1_800_000, stdio: ['ignore', 'inherit', 'pipe'] });
  if (r.status !== 0) {
    const why = `${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
    return { ok: false, python: py, message: `pip could not install ${NOTEBOOK_PACKAGES.join(' ')} into .venv/ (${why || `exit ${r.status}`}). Check pip's index (pip config list), then npm install again` };
  }
  const after = findJupyter(root);
  if (!jupyterComplete(after)) return { ok: false, python: py, message: `.venv/ was made but ${py} still lacks some of ${NOTEBOOK_PACKAGES.join(', ')}` };
  return { ok: true, python: after.python, message: `Jupyter: installed into .venv/ in ${((Date.now() - t0) / 1000).toFixed(0)} s` };
}

/**
 * Registers the tslab kernel for this project when Jupyter is present and the kernel is
 * missing or runs another tslab. Idempotent (a second run only probes), prints one line,
 * never throws.
 * @param {string} root project root
 * @param {(msg: string) => void} [log]
 * @returns {boolean} true when the kernel is registered for this project afterwards
 */
export function registerTslabKernel(root, log = (m) => console.log(m)) {
  try {
    const bin = tslabBinary(root);
    if (!fs.existsSync(bin)) { log('tslab kernel: tslab is not installed (node_modules/.bin/tslab missing); skipping'); return false; }
    const j = findJupyter(root);
    if (!j.python) { log(`tslab kernel: no ${process.env.I2P_PYTHON?.trim() || 'python3'} found; notebooks need Jupyter: ${installHint()}`); return false; }
    if (!j.hasJupyter) { log(`tslab kernel: Jupyter is not installed for ${j.python}; to run notebooks: ${installHint(j.python)}`); return false; }
    if (j.kernelRegistered && j.kernelMatches) { log(`tslab kernel: registered (${j.kernel.resource_dir})`); return true; }
    const args = [path.join(root, 'node_modules', 'tslab', 'bin', 'tslab'), 'install', '--python', j.python, '--binary', bin];
    if (j.venv) args.push('--sys-prefix');
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 120_000 });
    const after = r.status === 0 ? findJupyter(root) : undefined;
    if (after?.kernelRegistered && after.kernelMatches) {
      log(`tslab kernel: ${j.kernelRegistered ? 're-registered (it pointed at another tslab)' : 'registered'} in ${after.kernel.resource_dir}`);
      return true;
    }
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim().split('\n').slice(-2).join(' | ');
    log(`WARNING tslab kernel: registration failed (${out || `exit ${r.status}`}); run: npx tslab install --python ${j.python} --binary ${bin}`);
    return false;
  } catch (e) {
    log(`WARNING tslab kernel: ${e?.message ?? e}; run: npx tslab install --binary ${tslabBinary(root)}`);
    return false;
  }
}
