/**
 * What every trainer does with its run folder and its objects around the training loop:
 * read the checkpoint a run continues from (an error naming the option when `resume` finds
 * none), write the run's `config.json`, and own the model and the optimizer while training
 * (the optimizer is always disposed; the model only when training throws, since on success the
 * caller receives it).
 * @see notebooks/03-place-recognition.ipynb
 */
import fs from 'node:fs';
import path from 'node:path';
import { readCheckpointState, writeFileAtomic, type CheckpointState } from './checkpoint.js';

/**
 * `<dir>/checkpoint.json`, or null when there is none.
 * @param required true when the caller's option needs it (resume, initFrom)
 * @param option the option named in the error, e.g. `resume` or `initFrom`
 * @throws Error `<option>: no checkpoint.json in <dir>` when required and missing; InputError when the JSON is malformed
 */
export function readRunCheckpoint<C>(dir: string, required: boolean, option = 'resume'): CheckpointState<C> | null {
  const state = readCheckpointState<C>(dir);
  if (required && !state) throw new Error(`${option}: no checkpoint.json in ${dir}`);
  return state;
}

/**
 * Creates the run folder and writes `<run>/config.json` (atomically, 2-space JSON).
 * @param fields the validated config and whatever else identifies the run (data root, protocol)
 */
export function writeRunConfig(runDir: string, fields: object): void {
  fs.mkdirSync(runDir, { recursive: true });
  writeFileAtomic(path.join(runDir, 'config.json'), JSON.stringify(fields, null, 2) + '\n');
}

/**
 * Runs `body` (checkpoint loading and the loop) for a freshly built model and its optimizer:
 * the optimizer is disposed in every case, the model only when `body` throws.
 * @returns body's result with the model (the caller disposes it)
 */
export async function withTrainingModel<M extends { dispose(): void }, R extends object>(model: M, optimizer: { dispose(): void }, body: () => Promise<R>): Promise<R & { model: M }> {
  try {
    return { ...(await body()), model };
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    optimizer.dispose();
  }
}
