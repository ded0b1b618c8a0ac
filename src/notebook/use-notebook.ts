/**
 * The first cell of every notebook: `useNotebook(name, { seed })` names the notebook (its
 * figures go to figures/<name>/), seeds it, loads the tfjs backend and prints one line
 * saying which backend runs, so a reader knows what the timings mean.
 */
import path from 'node:path';
import { initBackend, type BackendInfo } from '../core/backend.js';
import type { Rng } from '../core/rng.js';
import { session, startSession, type RunBudget } from './session.js';

/** Options of {@link useNotebook}. */
export interface UseNotebookOptions {
  /** Seed of every random choice in the notebook (an integer). */
  seed: number;
  /** Print nothing (default false). */
  quiet?: boolean;
}

/**
 * One line about the session and the backend, e.g.
 * `[00-setup-and-notation] backend: native CPU (tfjs-node, ...) · tfjs 4.22.0 · seed 0 · budget default · figures -> figures/00-setup-and-notation/`.
 */
export function describeSession(info: BackendInfo): string {
  const s = session();
  const where = path.relative(s.repoRoot, s.figuresDir) || s.figuresDir;
  return `[${s.name}] backend: ${info.description} · tfjs ${info.tfjsVersion}` +
    ` · seed ${s.seed} · budget ${s.budget} · figures -> ${where.startsWith('..') ? s.figuresDir : where}/`;
}

/**
 * Starts a notebook: remembers its name, seeds it, initialises the backend and prints
 * which backend runs.
 * @param name the notebook's file name without `.ipynb`, e.g. `'00-setup-and-notation'`
 * @returns the backend that runs (see `initBackend`)
 * @throws Error on a bad name or seed, or when `I2P_BACKEND` forces a backend that cannot load
 */
export function useNotebook(name: string, options: UseNotebookOptions): BackendInfo {
  startSession(name, options.seed);
  const info = initBackend();
  if (!options.quiet) {
    console.log(describeSession(info));
    for (const why of info.skipped) console.log(`  (skipped a faster backend: ${why})`);
  }
  return info;
}

/** The notebook's seeded random generator (one stream; `.fork()` it for sub-streams). */
export function notebookRng(): Rng {
  return session().rng;
}

/** The notebook's seed. */
export function notebookSeed(): number {
  return session().seed;
}

/** The run budget (`I2P_BUDGET`): `ci` means cut epochs and data so the notebook runs in CI time. */
export function notebookBudget(): RunBudget {
  return session().budget;
}
