/**
 * ModaLink checkpoints in a run folder, written atomically:
 * `<run>/checkpoints/step-NNNNNNNN.safetensors` (every model variable by name, plus the Adam
 * moments as `adam.m.<i>` / `adam.v.<i>` and its bias-correction accumulators) and
 * `<run>/checkpoint.json` (config, epoch, step, optimizer iterations, RNG scheme, file name).
 * Each file is written under a `.tmp` name and renamed; the JSON is renamed last, so a crash
 * leaves the previous checkpoint in force. Older safetensors files are then removed.
 *
 * Convention: randomness during training is derived from (seed, epoch, step) alone, so the
 * RNG state is those three numbers.
 * @see notebooks/03-place-recognition.ipynb
 */
import fs from 'node:fs';
import path from 'node:path';
import { tf, type Tensor, type Variable } from '../core/tf.js';

/** The optimizer type (tf.ts re-exports the namespace as a value). */
type Adam = ReturnType<typeof tf.train.adam>;
import { InputError } from '../core/errors.js';
import { readSafetensors, writeSafetensors, type SafetensorsInput } from '../nn/safetensors.js';
import type { ModaLinkConfig } from './config.js';

/**
 * What a checkpoint saves and loads: every variable by a stable name, and the variables the
 * optimizer updates (their order is the order of the Adam moments). ModaLink, the registration
 * model and the explicit baseline all provide it.
 */
export interface CheckpointModel {
  readonly variables: ReadonlyMap<string, Variable>;
  readonly trainableVariables: readonly Variable[];
}

/** The JSON half of a checkpoint; `C` is the model's config. */
export interface CheckpointState<C = ModaLinkConfig> {
  config: C;
  /** Epochs completed before `stepInEpoch`. */
  epoch: number;
  /** Steps done within `epoch`. */
  stepInEpoch: number;
  /** Optimisation steps done in total. */
  step: number;
  /** Last finite loss (NaN before the first step). */
  lastLoss: number | null;
  /** Safetensors file, relative to the run folder. */
  weights: string;
  /** Adam iteration count. */
  optimizerIterations: number;
  /** RNG: every draw is seeded from (seed, epoch, step); nothing else to store. */
  rng: { seed: number; scheme: 'seed-epoch-step' };
}

/** The Adam optimizer's internals that getWeights does not cover. */
interface AdamInternals { accBeta1: Variable; accBeta2: Variable }

/** Writes `data` to `file` via `file.tmp` and a rename. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

// #region save
/**
 * Saves model variables and optimizer state; returns the JSON written.
 * @param seed the run's seed, recorded as rng.seed (every draw derives from (seed, epoch, step))
 */
export async function saveCheckpoint<C>(runDir: string, model: CheckpointModel, optimizer: Adam, state: Omit<CheckpointState<C>, 'weights' | 'optimizerIterations' | 'rng'>, seed: number): Promise<CheckpointState<C>> {
  const tensors: Record<string, SafetensorsInput> = {};
  for (const [name, v] of model.variables) tensors[name] = { dtype: 'F32', shape: v.shape as number[], data: v.dataSync() as Float32Array };
  const opt = await optimizer.getWeights(); // [iter, m_0..m_n, v_0..v_n]
  const iterations = (opt[0].tensor.dataSync() as Int32Array)[0];
  opt[0].tensor.dispose();
  const moments = opt.slice(1);
  const half = moments.length / 2;
  moments.forEach((w: { tensor: Tensor }, i: number) => { tensors[`adam.${i < half ? 'm' : 'v'}.${i % half}`] = { dtype: 'F32', shape: w.tensor.shape as number[], data: w.tensor.dataSync() as Float32Array }; });
  const acc = optimizer as unknown as AdamInternals;
  tensors['adam.accBeta1'] = { dtype: 'F32', shape: [], data: acc.accBeta1.dataSync() as Float32Array };
  tensors['adam.accBeta2'] = { dtype: 'F32', shape: [], data: acc.accBeta2.dataSync() as Float32Array };
  const weights = path.join('checkpoints', `step-${String(state.step).padStart(8, '0')}.safetensors`);
  const full = path.join(runDir, weights);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  writeSafetensors(`${full}.tmp`, tensors, { step: String(state.step) });
  fs.renameSync(`${full}.tmp`, full);
  const json: CheckpointState<C> = { ...state, weights, optimizerIterations: iterations, rng: { seed, scheme: 'seed-epoch-step' } };
  writeFileAtomic(path.join(runDir, 'checkpoint.json'), JSON.stringify(json, null, 2) + '\n');
  for (const f of fs.readdirSync(path.dirname(full))) {
    if (f.endsWith('.safetensors') && f !== path.basename(full)) fs.rmSync(path.join(path.dirname(full), f), { force: true });
  }
  return json;
}
// #endregion save

/** Reads `<run>/checkpoint.json`, or null when there is none. */
export function readCheckpointState<C = ModaLinkConfig>(runDir: string): CheckpointState<C> | null {
  const f = path.join(runDir, 'checkpoint.json');
  if (!fs.existsSync(f)) return null;
  try { return JSON.parse(fs.readFileSync(f, 'utf8')) as CheckpointState<C>; } catch (e) {
    throw new InputError(f, `not valid JSON: ${(e as Error).message}`);
  }
}

// #region load
/**
 * Loads a checkpoint's variables into `model` (built from the same config) and, when given,
 * the Adam state into `optimizer` (which must be fresh).
 * @throws InputError naming the file and tensor when a variable is missing or mis-shaped
 */
export async function loadCheckpoint(runDir: string, state: Pick<CheckpointState<unknown>, 'weights' | 'optimizerIterations'>, model: CheckpointModel, optimizer?: Adam): Promise<void> {
  const file = path.join(runDir, state.weights);
  const st = readSafetensors(file);
  for (const [name, v] of model.variables) {
    const t = st.tensors.get(name);
    if (!t || t.shape.join() !== (v.shape as number[]).join()) throw new InputError(`${file}: tensor '${name}'`, `expected shape [${v.shape.join(', ')}], got ${t ? `[${t.shape.join(', ')}]` : 'nothing'}`);
    tf.tidy(() => v.assign(tf.tensor(t.data as Float32Array, t.shape)));
  }
  if (!optimizer) return;
  const n = model.trainableVariables.length;
  if (!st.tensors.has('adam.m.0')) return; // saved before the first step
  const named: { name: string; tensor: Tensor }[] = [{ name: 'iter', tensor: tf.scalar(state.optimizerIterations, 'int32') }];
  for (const k of ['m', 'v']) {
    for (let i = 0; i < n; i++) {
      const t = st.tensors.get(`adam.${k}.${i}`);
      if (!t) throw new InputError(`${file}: tensor 'adam.${k}.${i}'`, `missing (expected ${n} Adam moments of each kind)`);
      named.push({ name: `${model.trainableVariables[i].name}/${k}`, tensor: tf.tensor(t.data as Float32Array, t.shape) });
    }
  }
  await optimizer.setWeights(named);
  tf.dispose(named.map((w) => w.tensor));
  const acc = optimizer as unknown as AdamInternals;
  for (const k of ['accBeta1', 'accBeta2'] as const) {
    const t = st.tensors.get(`adam.${k}`);
    if (t) tf.tidy(() => acc[k].assign(tf.scalar(t.data[0] as number)));
  }
}
// #endregion load
