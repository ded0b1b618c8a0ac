/**
 * Training checkpoints in a run folder (ModaLink, the registration model and the explicit
 * baseline), written atomically:
 * `<run>/checkpoints/step-NNNNNNNN.safetensors` (every model variable by name, plus the Adam
 * moments as `adam.m.<i>` / `adam.v.<i>` and its bias-correction accumulators) and
 * `<run>/checkpoint.json` (config, epoch, step, optimizer iterations, RNG scheme, file name).
 * Each file is written under a `.tmp` name and renamed; the JSON is renamed last, so a crash
 * leaves the previous checkpoint in force. Older safetensors files are then removed.
 *
 * Convention: randomness during training is derived from (seed, epoch, step) alone, so the
 * RNG state is those three numbers.
 *
 * The format is the one the trainers wrote with tf.train.adam (before src/train/adam.ts), so
 * run folders written then load and resume bit for bit: the accumulators are float32 scalars,
 * a checkpoint saved before the first step has no moments, and the moments are numbered in
 * the order tf.train.adam created them ({@link momentFileOrder}).
 * @see notebooks/03-place-recognition.ipynb
 */
import fs from 'node:fs';
import path from 'node:path';
import { tf, type Variable } from '../core/tf.js';
import { InputError } from '../core/errors.js';
import { readSafetensors, writeSafetensors, type SafetensorsInput } from '../nn/safetensors.js';
import type { Adam } from './adam.js';

/**
 * What a checkpoint saves and loads: every variable by a stable name. ModaLink, the
 * registration model and the explicit baseline all provide it. (The Adam moments follow the
 * optimizer's own variables: src/train/adam.ts.)
 */
export interface CheckpointModel {
  readonly variables: ReadonlyMap<string, Variable>;
}

/**
 * Which variable's moments are `adam.m.k` / `adam.v.k`: entry k is an index into
 * `optimizer.variables`. tf.train.adam numbered its moments by the keys of the gradient map
 * `{ [variable.name]: gradient }`, and a JS object lists integer-like keys first, ascending (the
 * names tfjs gives unnamed variables: '0', '17', ...), then the other keys in insertion order;
 * the object below reproduces exactly that order.
 */
export function momentFileOrder(variables: readonly { readonly name: string }[]): number[] {
  const byName: Record<string, number> = {};
  variables.forEach((v, i) => { byName[v.name] = i; });
  return Object.keys(byName).map((k) => byName[k]);
}

/** beta^n as float32 products, what Adam's accumulator holds after n - 1 updates. */
function betaPower(beta: number, n: number): number {
  let p = 1;
  for (let i = 0; i < n; i++) p = Math.fround(p * Math.fround(beta));
  return p;
}

/** The JSON half of a checkpoint; `C` is the model's config. */
export interface CheckpointState<C = unknown> {
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

/** Writes `data` to `file` via `file.tmp` and a rename. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

// #region save
/**
 * Saves model variables and optimizer state; returns the JSON written. Earlier checkpoint files are
 * removed, except those of steps that are multiples of `keepEverySteps` (> 0): snapshots along the
 * run, e.g. for a weight average (export-model.ts).
 * @param seed the run's seed, recorded as rng.seed (every draw derives from (seed, epoch, step))
 * @param keepEverySteps keep the files of steps divisible by this; 0 = keep only the latest
 */
export async function saveCheckpoint<C>(runDir: string, model: CheckpointModel, optimizer: Adam, state: Omit<CheckpointState<C>, 'weights' | 'optimizerIterations' | 'rng'>, seed: number, keepEverySteps = 0): Promise<CheckpointState<C>> {
  const tensors: Record<string, SafetensorsInput> = {};
  for (const [name, v] of model.variables) tensors[name] = { dtype: 'F32', shape: v.shape as number[], data: v.dataSync() as Float32Array };
  const adam = optimizer.state(); // null before the first step: no moments saved
  const iterations = optimizer.iterations;
  const order = momentFileOrder(optimizer.variables);
  if (adam) for (const k of ['m', 'v'] as const) order.forEach((i, j) => { tensors[`adam.${k}.${j}`] = { dtype: 'F32', shape: [...optimizer.layout.shapes[i]], data: adam[k][i] }; });
  const acc = adam ?? { accBeta1: Math.fround(optimizer.beta1), accBeta2: Math.fround(optimizer.beta2) };
  tensors['adam.accBeta1'] = { dtype: 'F32', shape: [], data: Float32Array.of(acc.accBeta1) };
  tensors['adam.accBeta2'] = { dtype: 'F32', shape: [], data: Float32Array.of(acc.accBeta2) };
  const weights = path.join('checkpoints', `step-${String(state.step).padStart(8, '0')}.safetensors`);
  const full = path.join(runDir, weights);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  writeSafetensors(`${full}.tmp`, tensors, { step: String(state.step) });
  fs.renameSync(`${full}.tmp`, full);
  const json: CheckpointState<C> = { ...state, weights, optimizerIterations: iterations, rng: { seed, scheme: 'seed-epoch-step' } };
  writeFileAtomic(path.join(runDir, 'checkpoint.json'), JSON.stringify(json, null, 2) + '\n');
  for (const f of fs.readdirSync(path.dirname(full))) {
    const step = /^step-(\d+)\.safetensors$/.exec(f);
    if (keepEverySteps > 0 && step && Number(step[1]) % keepEverySteps === 0) continue;
    if (f.endsWith('.safetensors') && f !== path.basename(full)) fs.rmSync(path.join(path.dirname(full), f), { force: true });
  }
  return json;
}
// #endregion save

/** Reads `<run>/checkpoint.json`, or null when there is none. */
export function readCheckpointState<C = unknown>(runDir: string): CheckpointState<C> | null {
  const f = path.join(runDir, 'checkpoint.json');
  if (!fs.existsSync(f)) return null;
  try { return JSON.parse(fs.readFileSync(f, 'utf8')) as CheckpointState<C>; } catch (e) {
    throw new InputError(f, `not valid JSON: ${(e as Error).message}`);
  }
}

// #region load
/**
 * Loads a checkpoint's variables into `model` (built from the same config) and, when given,
 * the Adam state into `optimizer` (built for the same trainable variables, in the same order).
 * @throws InputError naming the file and tensor when a variable or an Adam moment is missing or mis-shaped
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
  if (!st.tensors.has('adam.m.0')) return; // saved before the first step
  const order = momentFileOrder(optimizer.variables);
  const moments = (k: 'm' | 'v'): Float32Array[] => {
    const out: Float32Array[] = new Array(order.length);
    order.forEach((i, j) => {
      const t = st.tensors.get(`adam.${k}.${j}`), shape = optimizer.layout.shapes[i];
      if (!t || t.shape.join() !== shape.join()) {
        throw new InputError(`${file}: tensor 'adam.${k}.${j}'`, `expected shape [${shape.join(', ')}] (the Adam moment of variable '${optimizer.variables[i].name}'; one per trainable variable), got ${t ? `[${t.shape.join(', ')}]` : 'nothing'}`);
      }
      out[i] = t.data as Float32Array;
    });
    return out;
  };
  const m = moments('m'), v = moments('v');
  const acc = (k: 'accBeta1' | 'accBeta2', beta: number): number => {
    const t = st.tensors.get(`adam.${k}`);
    return t ? (t.data[0] as number) : betaPower(beta, state.optimizerIterations + 1); // every checkpoint written so far has them
  };
  optimizer.setState({ iterations: state.optimizerIterations, accBeta1: acc('accBeta1', optimizer.beta1), accBeta2: acc('accBeta2', optimizer.beta2), m, v });
}
// #endregion load
