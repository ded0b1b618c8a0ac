/**
 * Presets: `datasets/<name>.json` (tiny, default, large, towns: ModaLink's training towns, localization: notebook 06's held-out town) or any JSON file with a partial config.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { packageRoot } from '../../core/package-info.js';
import { validateSyntheticConfig, type SyntheticConfig, type SyntheticConfigInput } from './config.js';

/** The presets shipped in `datasets/`. */
export const PRESET_NAMES = ['tiny', 'default', 'large', 'towns', 'localization'] as const;

/** The repository's `datasets/` folder. */
export function datasetsDir(): string {
  return path.join(packageRoot(), 'datasets');
}

/**
 * Loads and validates a preset.
 * @param nameOrFile - `tiny`, `default`, `large`, or a path to a JSON file.
 * @throws InputError naming the file when it is absent or not JSON; ConfigError for a bad field.
 */
export function loadPreset(nameOrFile: string): SyntheticConfig {
  const file = (PRESET_NAMES as readonly string[]).includes(nameOrFile) ? path.join(datasetsDir(), `${nameOrFile}.json`) : nameOrFile;
  if (!fs.existsSync(file)) throw new InputError(file, `no such preset file (presets: ${PRESET_NAMES.join(', ')}, or a JSON file)`);
  let json: unknown;
  try { json = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { throw new InputError(file, `not valid JSON: ${(e as Error).message}`); }
  return validateSyntheticConfig(json as SyntheticConfigInput);
}
