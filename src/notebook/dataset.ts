/**
 * Which data a notebook reads: real KITTI when a root is given, else the embedded synthetic
 * town: the `default` preset under the default budget when it is ready (complete, and made
 * with today's generator settings: `syntheticDatasetState`), otherwise the `tiny` preset,
 * generated on first use. The fallback is said out loud, with the command that makes the
 * `default` data.
 * @see notebooks/02-nmf-clustering.ipynb to 05-pose-regression.ipynb (their data cell)
 */
import path from 'node:path';
import { ensureSyntheticDataset, syntheticDatasetState, type SyntheticDatasetState } from '../data/synthetic/ensure.js';
import { repoRoot } from './paths.js';
import { runBudget, type RunBudget } from './session.js';

/** Options of {@link notebookDataset}. */
export interface NotebookDatasetOptions {
  /** A real KITTI odometry root (e.g. `process.env.KITTI_ROOT`); used as is when non-empty. Default none. */
  kittiRoot?: string;
  /** The run budget; default `I2P_BUDGET` ({@link runBudget}). `ci` always takes `tiny`. */
  budget?: RunBudget;
  /** The folder holding `synthetic-default/` and `synthetic-tiny/`; default `<repo>/data`. */
  dataDir?: string;
  /** Worker threads when `tiny` has to be generated, integer >= 1. Default 2. */
  workers?: number;
  /** Where the fallback warning goes; default `console.log`. */
  log?: (line: string) => void;
}

/** The data a notebook reads. */
export interface NotebookDataset {
  /** The KITTI-layout root to read. */
  root: string;
  /** `kitti` (the given root), or the synthetic preset used. */
  source: 'kitti' | 'default' | 'tiny';
  /** Under the default budget without KITTI: the state of `synthetic-default` (`ready` when used); null otherwise. */
  defaultState: SyntheticDatasetState | null;
  /** Seconds spent making or checking the data. */
  seconds: number;
  /** One line for the notebook to print, e.g. `synthetic preset 'tiny' at /repo/data/synthetic-tiny (0.1 s to make or check)`. */
  note: string;
}

const WHY: Record<Exclude<SyntheticDatasetState, 'ready'>, string> = {
  missing: 'is missing',
  incomplete: 'is incomplete (its generation stopped part-way)',
  stale: 'was made with other generator settings (its settings hash differs)',
};

/**
 * Picks the notebook's data; generates `tiny` when it is needed and not ready.
 * @returns the root, which data it is, and a line describing it
 */
export async function notebookDataset(options: NotebookDatasetOptions = {}): Promise<NotebookDataset> {
  const t0 = performance.now();
  const kitti = options.kittiRoot?.trim();
  if (kitti) return { root: kitti, source: 'kitti', defaultState: null, seconds: 0, note: `real KITTI at ${kitti}` };
  const dataDir = options.dataDir ?? path.join(repoRoot(), 'data'), defaultRoot = path.join(dataDir, 'synthetic-default');
  const defaultState = (options.budget ?? runBudget()) === 'ci' ? null : syntheticDatasetState('default', defaultRoot);
  if (defaultState !== null && defaultState !== 'ready') {
    const rel = path.relative(repoRoot(), defaultRoot), where = rel.startsWith('..') || path.isAbsolute(rel) ? defaultRoot : rel;
    (options.log ?? console.log)(`${where} ${WHY[defaultState]}: FALLING BACK to the 'tiny' preset (${defaultState === 'stale' ? 'delete it, then ' : ''}` +
      `make it from the repository root with \`npx i2p generate --preset default --out ${where}\`)`);
  }
  const source = defaultState === 'ready' ? 'default' : 'tiny';
  const root = source === 'default' ? defaultRoot
    : await ensureSyntheticDataset('tiny', path.join(dataDir, 'synthetic-tiny'), { workers: options.workers ?? 2 });
  const seconds = (performance.now() - t0) / 1000;
  return { root, source, defaultState, seconds, note: `synthetic preset '${source}' at ${root} (${seconds.toFixed(1)} s to make or check)` };
}
