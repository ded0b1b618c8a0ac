/**
 * The embedded dataset on demand: generates a preset into `<repo>/data/synthetic-<preset>`
 * (or another root) when it is missing or incomplete, and returns the root. For notebooks
 * and `npm run reproduce`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { settingsHash } from './config.js';
import { generateSynthetic, MANIFEST_FILE, type GenerateOptions } from './generate.js';
import { loadPreset } from './presets.js';
import { packageRoot } from '../../core/package-info.js';

/** Options of {@link ensureSyntheticDataset}. */
export interface EnsureOptions extends GenerateOptions {
  /** Log a line before generating (default true). */
  verbose?: boolean;
}

/** The default root of a preset: `<repo>/data/synthetic-<preset>` (git-ignored). */
export function defaultSyntheticRoot(preset: string): string {
  return path.join(packageRoot(), 'data', `synthetic-${preset}`);
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
export async function ensureSyntheticDataset(preset: 'tiny' | 'default' | 'large', root = defaultSyntheticRoot(preset), options: EnsureOptions = {}): Promise<string> {
  const config = loadPreset(preset), hash = settingsHash(config), manifest = path.join(root, MANIFEST_FILE);
  if (fs.existsSync(manifest)) {
    const old = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { hash?: string; complete?: boolean; generator?: string };
    if (old.hash === hash && old.complete === true) return root;
    if (old.hash !== hash && old.generator === 'i2p-lab synthetic') {
      for (const sub of ['sequences', 'poses', MANIFEST_FILE]) fs.rmSync(path.join(root, sub), { recursive: true, force: true });
    }
  }
  if (options.verbose !== false) console.log(`ensureSyntheticDataset: generating preset '${preset}' into ${root} (hash ${hash})`);
  await generateSynthetic(config, root, { workers: options.workers ?? 2, onProgress: options.onProgress });
  return root;
}
