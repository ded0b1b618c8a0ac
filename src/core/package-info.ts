/**
 * Where this package lives and which version it is, read from its own package.json. The
 * one place that turns this module's file location into the package root: the CLI's
 * `info`, the synthetic presets in datasets/ and the notebooks' fallback repository root
 * all go through {@link packageRoot}.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root (the folder holding package.json): this module is two levels down, in
 * src/core/ when run from source and dist/core/ when built.
 * @returns an absolute path
 */
export function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** The `version` field of the package's package.json. */
export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
