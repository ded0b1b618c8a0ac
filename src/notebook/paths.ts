/**
 * Where a notebook's files go: the repository root (the nearest package.json named
 * `i2p-lab` above the working directory, which for a running notebook is notebooks/),
 * figures/ under it (or `I2P_FIGURES_DIR`), and src/ for `showSource`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../core/package-info.js';

/** The package name that marks the repository root. */
export const PACKAGE_NAME = 'i2p-lab';

function isOurPackage(dir: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return pkg.name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/**
 * The nearest directory at or above `startDir` whose package.json is named `i2p-lab`.
 * @returns the absolute directory, or undefined when there is none
 */
export function findRepoRoot(startDir: string = process.cwd()): string | undefined {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    if (isOurPackage(dir)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The repository root: {@link findRepoRoot} from the working directory, else the root of
 * this package itself (`packageRoot`, src/core/package-info.ts).
 */
export function repoRoot(): string {
  return findRepoRoot() ?? packageRoot();
}

/** The figures folder: `I2P_FIGURES_DIR` when set (relative to the working directory), else `<repo>/figures`. */
export function figuresRoot(): string {
  const env = process.env.I2P_FIGURES_DIR?.trim();
  return env ? path.resolve(env) : path.join(repoRoot(), 'figures');
}

/** Checks a notebook or figure name: lowercase letters, digits, `.`, `_`, `-`; no path separators. */
export function assertFileName(name: string, what: string): void {
  if (!/^[0-9a-z][0-9a-z._-]*$/.test(name) || name.includes('..')) {
    throw new Error(`${what} must be kebab-case (lowercase letters, digits, '.', '_', '-'), got '${name}'`);
  }
}
