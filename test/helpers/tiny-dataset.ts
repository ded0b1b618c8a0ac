/** Test helper: the embedded `tiny` dataset generated into a fresh temporary folder (about 2 s). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSynthetic, loadPreset } from '../../src/data/synthetic/index.js';

/**
 * Generates the `tiny` preset (sequences 00 and 01, three frames each) under a new temporary folder.
 * @returns tmp, the folder to remove after the tests, and root, the KITTI-layout dataset inside it
 */
export async function makeTinyDataset(prefix: string): Promise<{ tmp: string; root: string }> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const root = path.join(tmp, 'tiny');
  await generateSynthetic(loadPreset('tiny'), root, { workers: 0 });
  return { tmp, root };
}
