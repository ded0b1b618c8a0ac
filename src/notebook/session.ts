/**
 * The notebook session: which notebook is running (its figures go to
 * `figures/<name>/`), its seed and its run budget. Set once by `useNotebook()` in the
 * first cell; the display helpers read it.
 */
import path from 'node:path';
import { createRng, type Rng } from '../core/rng.js';
import { assertFileName, figuresRoot, repoRoot } from './paths.js';

/** How much work a notebook does: `ci` cuts epochs and data so CI runs fast; `default` is the full teaching run. */
export type RunBudget = 'ci' | 'default';

/** What `useNotebook()` set up. */
export interface NotebookSession {
  /** The notebook's name, e.g. `00-setup-and-notation` (its file name without `.ipynb`). */
  name: string;
  /** The seed of every random choice in the notebook. */
  seed: number;
  /** A generator seeded with `seed`. */
  rng: Rng;
  /** The repository root (see paths.ts). */
  repoRoot: string;
  /** Where this notebook's figures and tables go: `<figures>/<name>/`. */
  figuresDir: string;
  /** The run budget, from `I2P_BUDGET` (default `default`). */
  budget: RunBudget;
}

let current: NotebookSession | undefined;

/** The run budget from `I2P_BUDGET` (`ci` or `default`; unset = `default`). */
export function runBudget(): RunBudget {
  const v = (process.env.I2P_BUDGET ?? '').trim().toLowerCase() || 'default';
  if (v !== 'ci' && v !== 'default') throw new Error(`I2P_BUDGET must be 'ci' or 'default', got '${process.env.I2P_BUDGET}'`);
  return v;
}

/**
 * Starts (or restarts, when a cell is re-run) the session.
 * @throws Error when the name is not kebab-case, the seed not an integer, or `I2P_NOTEBOOK`
 *   (set by `npm run notebooks`) names a different notebook
 */
export function startSession(name: string, seed: number): NotebookSession {
  assertFileName(name, 'useNotebook: name');
  if (!Number.isInteger(seed)) throw new Error(`useNotebook('${name}'): seed must be an integer, got ${seed}`);
  const running = process.env.I2P_NOTEBOOK?.trim();
  if (running && running !== name) {
    throw new Error(`useNotebook('${name}'): this is notebook '${running}.ipynb'; pass its file name so figures land in figures/${running}/`);
  }
  current = {
    name, seed, rng: createRng(seed), repoRoot: repoRoot(),
    figuresDir: path.join(figuresRoot(), name), budget: runBudget(),
  };
  return current;
}

/**
 * The current session.
 * @throws Error when `useNotebook()` has not run yet
 */
export function session(): NotebookSession {
  if (!current) throw new Error("no notebook session: run useNotebook('<notebook-name>', { seed }) in the first cell");
  return current;
}
