/** `i2p info`: what runs where, as one JSON object. */
import { spawnSync } from 'node:child_process';
import { initBackend } from '../core/backend.js';
import { packageVersion } from './package-info.js';

/** Jupyter as seen from this process: found, and whether a `tslab` kernel is registered. */
export interface JupyterStatus {
  found: boolean;
  python?: string;
  tslabKernel: boolean;
  tslabKernelPath?: string;
}

/** Asks `python3 -m jupyter kernelspec list --json` (no throw when absent). */
export function jupyterStatus(): JupyterStatus {
  for (const python of [process.env.PYTHON, 'python3', 'python'].filter((p): p is string => !!p)) {
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
    jupyter: jupyterStatus(),
  };
  console.log(JSON.stringify(info, null, 2));
}
