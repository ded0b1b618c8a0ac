// Where the real KITTI samples live for tests (never copied into the repo), and temp dirs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/core/package-info.js';

/** The repository root. */
export const REPO_ROOT = packageRoot();

/** The shared sample-data folder: env I2P_SHARED_DATA, else `<repo>/../shared/data`. */
export const SHARED_DATA = process.env.I2P_SHARED_DATA ?? path.resolve(REPO_ROOT, '../shared/data');

/**
 * A sub-folder of the shared data, or undefined when it is absent.
 * @param sub - e.g. `kitti-odometry-sample`.
 */
export function sharedData(sub: string): string | undefined {
  const dir = path.join(SHARED_DATA, sub);
  return fs.existsSync(dir) ? dir : undefined;
}

/** The skip message for tests that need a shared-data sub-folder. */
export function skipUnless(dir: string | undefined, sub: string): false | string {
  return dir === undefined ? `real sample data absent: ${path.join(SHARED_DATA, sub)} not found (set I2P_SHARED_DATA)` : false;
}

/** A fresh temporary folder, removed at process exit. */
export function tempDir(prefix = 'i2p-data-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
