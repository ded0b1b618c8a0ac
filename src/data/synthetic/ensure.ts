/**
 * The embedded dataset on demand: generates a preset into `<repo>/data/synthetic-<preset>`
 * (or another root) when it is missing, incomplete or stale (other settings), and returns the
 * root; {@link syntheticDatasetState} tells which without generating. For notebooks and
 * `npm run reproduce`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { settingsHash } from './config.js';
import { generateSynthetic, MANIFEST_FILE, type GenerateOptions } from './generate.js';
import { loadPreset, PRESET_NAMES } from './presets.js';
import { packageRoot } from '../../core/package-info.js';

/** A named preset: `tiny`, `default` or `large`. */
export type SyntheticPreset = (typeof PRESET_NAMES)[number];

/** Options of {@link ensureSyntheticDataset}. */
export interface EnsureOptions extends GenerateOptions {
  /** Log a line before generating (default true). */
  verbose?: boolean;
}

/** The default root of a preset: `<repo>/data/synthetic-<preset>` (git-ignored). */
export function defaultSyntheticRoot(preset: string): string {
  return path.join(packageRoot(), 'data', `synthetic-${preset}`);
}

/** What a dataset folder holds, against the settings of a preset: see {@link syntheticDatasetState}. */
export type SyntheticDatasetState = 'ready' | 'missing' | 'incomplete' | 'stale';

/** The manifest of `root`, or null when there is none. */
function readManifest(root: string): { hash?: string; complete?: boolean; generator?: string } | null {
  const file = path.join(root, MANIFEST_FILE);
  if (!fs.existsSync(file)) return null;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as { hash?: string; complete?: boolean; generator?: string };
  } catch (e) {
    throw new InputError(file, `not valid JSON (${(e as Error).message}); delete it to regenerate the dataset`);
  }
}

/**
 * Whether `root` holds a complete dataset of `preset` made with today's settings: `ready`;
 * `missing` (no manifest), `incomplete` (generation stopped part-way) or `stale` (made by
 * another generator version or other settings: the manifest's settings hash differs).
 * @param preset - `tiny`, `default` or `large`.
 * @param root - the dataset folder; default {@link defaultSyntheticRoot}.
 */
export function syntheticDatasetState(preset: SyntheticPreset, root = defaultSyntheticRoot(preset)): SyntheticDatasetState {
  const m = readManifest(root);
  if (!m) return 'missing';
  if (m.hash !== settingsHash(loadPreset(preset))) return 'stale';
  return m.complete === true ? 'ready' : 'incomplete';
}

/**
 * Returns the root of a complete dataset of `preset`, generating (or finishing) it first when
 * needed. A root made by an older generator version or other settings is regenerated (its
 * `sequences/`, `poses/` and manifest are replaced; nothing else in the folder is touched).
 * @param preset - `tiny`, `default` or `large`.
 * @param root - output folder; default {@link defaultSyntheticRoot}.
 * @param options - workers (default 2) and progress callback.
 * @returns `root`, holding `sequences/` and `poses/` in the KITTI odometry layout.
 */
export async function ensureSyntheticDataset(preset: SyntheticPreset, root = defaultSyntheticRoot(preset), options: EnsureOptions = {}): Promise<string> {
  const state = syntheticDatasetState(preset, root);
  if (state === 'ready') return root;
  const config = loadPreset(preset), hash = settingsHash(config);
  if (state === 'stale' && readManifest(root)?.generator === 'i2p-lab synthetic') {
    for (const sub of ['sequences', 'poses', MANIFEST_FILE]) fs.rmSync(path.join(root, sub), { recursive: true, force: true });
  }
  if (options.verbose !== false) console.log(`ensureSyntheticDataset: generating preset '${preset}' into ${root} (hash ${hash})`);
  await generateSynthetic(config, root, { workers: options.workers ?? 2, onProgress: options.onProgress });
  return root;
}
