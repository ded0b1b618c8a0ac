/**
 * Where the benchmarks find PyTorch, and how they run a PyTorch reference script: a child
 * process whose last stdout line is one JSON object. PyTorch is a bench-only reference; src/
 * and test/ never import it.
 *
 * Env: I2P_PYTHON a Python with torch (e.g. a venv's bin/python), looked up first;
 * I2P_BENCH_TORCH=0 skips every PyTorch run.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/lib/../..). */
export const BENCH_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The first Python with torch: $I2P_PYTHON, then `python3` on PATH, then Debian's /usr/bin/python3
 * (where `apt install python3-torch` puts it when PATH has another Python first), or null.
 * @param extra more imports the caller needs, e.g. ', safetensors'
 */
export function torchPython(extra = ''): string | null {
  for (const py of [process.env.I2P_PYTHON, 'python3', '/usr/bin/python3']) {
    if (py && spawnSync(py, ['-c', `import torch${extra}`], { encoding: 'utf8' }).status === 0) return py;
  }
  return null;
}

/** Why PyTorch cannot run here (a sentence for a table cell or note), or null when it can. */
export function torchUnavailable(extra = ''): string | null {
  if (process.env.I2P_BENCH_TORCH === '0') return 'skipped (I2P_BENCH_TORCH=0)';
  return torchPython(extra) ? null : 'no Python with torch (set I2P_PYTHON=/path/to/venv/bin/python, or apt install python3-torch)';
}

/**
 * Runs `bench/<script>` with the torch Python and parses the last stdout line as JSON; its stderr
 * (progress lines) is copied to ours afterwards.
 * @param input written to the script's stdin
 * @returns the parsed object, or a sentence saying why there is none
 */
export function runTorchScript<T>(script: string, args: string[], input?: string): T | string {
  const why = torchUnavailable();
  if (why) return why;
  const r = spawnSync(torchPython()!, [path.join(BENCH_ROOT, 'bench', script), ...args], { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  if (r.stderr) process.stderr.write(r.stderr);
  if (r.status !== 0) return `${script} failed (${r.signal ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().split('\n').pop()}`;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as T;
  } catch {
    return `${script} printed no JSON line`;
  }
}
