/** `i2p info`: what runs where, as one JSON object. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { initBackend } from '../core/backend.js';
import { packageRoot, packageVersion } from '../core/package-info.js';

/** Jupyter as seen from this process: found, and whether a `tslab` kernel is registered. */
export interface JupyterStatus {
  found: boolean;
  python?: string;
  tslabKernel: boolean;
  tslabKernelPath?: string;
}

/**
 * Asks `<python> -m jupyter kernelspec list --json` (no throw when absent), in the order the
 * scripts use: I2P_PYTHON, the project's .venv (made by npm install), PYTHON, python3, python.
 */
export function jupyterStatus(): JupyterStatus {
  const venv = path.join(packageRoot(), '.venv', 'bin', 'python');
  const forced = process.env.I2P_PYTHON?.trim();
  const candidates = forced ? [forced] : [fs.existsSync(venv) ? venv : undefined, process.env.PYTHON, 'python3', 'python'];
  for (const python of candidates.filter((p): p is string => !!p)) {
    const r = spawnSync(python, ['-m', 'jupyter', 'kernelspec', 'list', '--json'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) continue;
    try {
      const specs = (JSON.parse(r.stdout) as { kernelspecs: Record<string, { resource_dir: string }> }).kernelspecs;
      return { found: true, python, tslabKernel: 'tslab' in specs, tslabKernelPath: specs.tslab?.resource_dir };
    } catch {
      continue;
    }
  }
  return { found: false, tslabKernel: false };
}

/** Prints the info object to stdout. */
export function runInfo(): void {
  const be = initBackend();
  const info = {
    package: 'i2p-lab',
    version: packageVersion(),
    node: process.versions.node,
    tfjs: be.tfjsVersion,
    backend: be.name,
    backendKind: be.kind,
    backendPackage: be.packageName,
    backendDescription: be.description,
    gpu: be.gpu,
    backendSkipped: be.skipped,
    backendGuards: be.guards,
    jupyter: jupyterStatus(),
  };
  console.log(JSON.stringify(info, null, 2));
}
