/**
 * A shipped model folder from a training run: the model variables alone (no Adam moments) in
 * `<out>/weights.safetensors` (float32, or float16 to halve the file), and a `checkpoint.json`
 * pointing at it, so every loader of run folders (`i2p register eval --run <out>`, the
 * notebooks, loadRegistrationRun) reads the folder as it reads a run. The run's config.json,
 * loss logs (`losses-*.csv`, ModaLink's `losses.csv`) and held-out logs (`heldout-*.csv`, scripts/train-registration.mjs)
 * are copied beside them. The folder cannot resume training
 * (no optimizer state); the sha256 of every file is returned for MODEL.md.
 * @see notebooks/05-pose-regression.ipynb
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { readSafetensors, writeSafetensors, type SafetensorsInput } from '../nn/safetensors.js';
import { readCheckpointState, writeFileAtomic } from './checkpoint.js';

/** What {@link exportModelFolder} wrote. */
export interface ExportedModel {
  /** Files written, relative to the output folder, with their sha256 (hex) and size in bytes. */
  files: { file: string; sha256: string; bytes: number }[];
  /** Model variables (tensors) and their element count. */
  tensors: number; parameters: number;
}

/** sha256 (hex) of a file. */
export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

// #region exportModelFolder
/**
 * @param runDir a run folder with checkpoint.json
 * @param outDir the model folder (created; files of the same names are replaced)
 * @param dtype 'F32' (exact) or 'F16' (half the bytes; values rounded to float16)
 * @param average checkpoint files (safetensors, e.g. the run's kept snapshots): the exported model
 *   variables are their element-wise mean (float64 sums, rounded once), a weight average along the
 *   run (stochastic weight averaging without recomputing batch-norm statistics: the running means
 *   and variances are averaged like every other variable). Default: the run's latest checkpoint alone.
 * @throws InputError naming the run folder when it has no checkpoint, or naming the file and
 *   tensor when an averaged file lacks a variable of the run's checkpoint or has another shape
 */
export function exportModelFolder(runDir: string, outDir: string, dtype: 'F32' | 'F16' = 'F32', average: readonly string[] = []): ExportedModel {
  const state = readCheckpointState(runDir);
  if (!state) throw new InputError(path.join(runDir, 'checkpoint.json'), 'missing: export needs a trained run folder');
  const st = readSafetensors(path.join(runDir, state.weights));
  const sources = average.map((f) => ({ file: f, st: readSafetensors(f) }));
  const tensors: Record<string, SafetensorsInput> = {};
  let parameters = 0;
  for (const [name, t] of st.tensors) {
    if (name.startsWith('adam.')) continue; // optimizer state: not part of the model
    let data = t.data as Float32Array;
    if (sources.length > 0) {
      const sum = new Float64Array(data.length);
      for (const s of sources) {
        const x = s.st.tensors.get(name);
        if (!x) throw new InputError(s.file, `has no tensor '${name}' (the run's checkpoint ${state.weights} has)`);
        if (x.shape.join(',') !== t.shape.join(',')) throw new InputError(s.file, `tensor '${name}' has shape [${x.shape.join(', ')}], expected [${t.shape.join(', ')}]`);
        for (let i = 0; i < sum.length; i++) sum[i] += Number(x.data[i]);
      }
      data = Float32Array.from(sum, (v) => v / sources.length);
    }
    tensors[name] = { dtype, shape: t.shape, data };
    parameters += t.data.length;
  }
  const averagedSteps = sources.map((s) => s.st.metadata.step ?? path.basename(s.file));
  fs.mkdirSync(outDir, { recursive: true });
  writeSafetensors(path.join(outDir, 'weights.safetensors'), tensors, { step: String(state.step), exportedFrom: path.basename(path.resolve(runDir)), dtype, ...(sources.length ? { averagedSteps: averagedSteps.join(',') } : {}) });
  writeFileAtomic(path.join(outDir, 'checkpoint.json'), JSON.stringify({ ...state, weights: 'weights.safetensors', ...(sources.length ? { averagedSteps } : {}) }, null, 2) + '\n');
  const copied = fs.readdirSync(runDir).filter((f) => f === 'config.json' || /^(losses|heldout)-.*\.csv$|^losses\.csv$/.test(f)).sort();
  for (const f of copied) fs.copyFileSync(path.join(runDir, f), path.join(outDir, f));
  const files = ['weights.safetensors', 'checkpoint.json', ...copied].map((file) => {
    const full = path.join(outDir, file);
    return { file, sha256: sha256File(full), bytes: fs.statSync(full).size };
  });
  return { files, tensors: Object.keys(tensors).length, parameters };
}
// #endregion exportModelFolder
