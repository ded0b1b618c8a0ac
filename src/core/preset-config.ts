/**
 * The `--config` convention shared by every model config: a preset name (`paper`, `laptop`), or
 * a JSON file `{ "extends": "laptop", ...fields }` whose fields go over that preset.
 */
import fs from 'node:fs';
import { ConfigError, InputError } from './errors.js';

/** The preset names every model config has. */
export type PresetName = 'paper' | 'laptop';

/**
 * Resolves `nameOrFile` to the preset to start from and the fields to merge over it (none for a
 * preset name). The caller validates `{ ...fields, ...overrides }` over that preset.
 * @param prefix the config's error prefix, e.g. 'modalink' (errors name `<prefix>.extends`)
 * @param defaultExtends the preset a file without `extends` builds on
 * @throws InputError naming the file when it is missing or not JSON; ConfigError for a bad `extends`
 */
export function readPresetConfig(nameOrFile: string, prefix: string, defaultExtends: PresetName): { preset: PresetName; fields: Record<string, unknown> } {
  if (nameOrFile === 'paper' || nameOrFile === 'laptop') return { preset: nameOrFile, fields: {} };
  if (!fs.existsSync(nameOrFile)) throw new InputError(nameOrFile, "no such config: expected 'laptop', 'paper' or a JSON file");
  let json: Record<string, unknown>;
  try { json = JSON.parse(fs.readFileSync(nameOrFile, 'utf8')) as Record<string, unknown>; } catch (e) {
    throw new InputError(nameOrFile, `not valid JSON: ${(e as Error).message}`);
  }
  const { extends: ext = defaultExtends, ...fields } = json;
  if (ext !== 'paper' && ext !== 'laptop') throw new ConfigError(`${prefix}.extends`, `expected 'paper' or 'laptop', got ${JSON.stringify(ext)} in ${nameOrFile}`);
  return { preset: ext, fields };
}
