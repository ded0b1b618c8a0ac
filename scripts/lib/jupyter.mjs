// Finds Jupyter (the Python side: jupyter_client, nbclient) and registers the tslab kernel.
//
//   findJupyter()                 -> { python, hasJupyter, hasNbclient, kernelRegistered, kernel, ... }; never throws
//   registerTslabKernel(root,log) -> registers kernel 'tslab' pointing at <root>/node_modules/.bin/tslab
//                                    when Jupyter is present and the kernel is missing or points elsewhere;
//                                    one line of output; never throws (warns instead)
//
// The Python interpreter: $I2P_PYTHON when set (only that one), else the first of python3,
// python that has jupyter_client (else the first that runs). The kernel spec is installed by tslab's own
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
       "jupyter_client": None, "nbclient": None, "nbformat": None, "kernel": None, "error": None}
import importlib.metadata, importlib.util
for mod in ("jupyter_client", "nbclient", "nbformat"):
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

function probe(py) {
  const r = spawnSync(py, ['-c', PROBE], { encoding: 'utf8', timeout: 60_000 });
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
 *   hasNbformat: boolean, kernelRegistered: boolean, kernel?: {argv: string[], resource_dir: string},
 *   kernelMatches?: boolean, venv?: boolean}}
 */
export function findJupyter(root) {
  const forced = process.env.I2P_PYTHON?.trim();
  const candidates = forced ? [forced] : ['python3', 'python'];
  let first;
  let found;
  for (const py of candidates) {
    const p = probe(py);
    if (!p) continue;
    first ??= { py, p };
    if (p.jupyter_client) { found = { py, p }; break; }
  }
  const hit = found ?? first;
  if (!hit) return { python: undefined, hasJupyter: false, hasNbclient: false, hasNbformat: false, kernelRegistered: false };
  const { py, p } = hit;
  const info = {
    python: py,
    pythonVersion: p.version,
    pythonExecutable: p.executable,
    venv: p.venv,
    hasJupyter: !!p.jupyter_client,
    hasNbclient: !!p.nbclient,
    hasNbformat: !!p.nbformat,
    kernelRegistered: !!p.kernel,
    kernel: p.kernel ?? undefined,
  };
  if (root && p.kernel) {
    const bin = p.kernel.argv?.[0];
    info.kernelMatches = !!bin && path.resolve(bin) === path.resolve(tslabBinary(root));
  }
  return info;
}

/** How to install what is missing, as one line. */
export function installHint(python = 'python3') {
  return `${python} -m pip install jupyterlab nbclient nbformat ipykernel plotly   (or: conda env create -f environment.yml), then npm install`;
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
