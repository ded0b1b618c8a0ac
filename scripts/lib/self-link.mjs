// node_modules/i2p-lab -> the repository, so notebooks (tslab) import the built package by name.
// `npm install <pkg>` prunes this link (it is not in the lockfile): postinstall and the notebook
// runner both call ensureSelfLink().
import fs from 'node:fs';
import path from 'node:path';

/** Creates or repairs the link; returns true when it had to (re)create it. */
export function ensureSelfLink(root) {
  const link = path.join(root, 'node_modules', 'i2p-lab');
  let current;
  try { current = fs.readlinkSync(link); } catch { current = undefined; }
  if (current && path.resolve(path.dirname(link), current) === root) return false;
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(path.relative(path.dirname(link), root) || '..', link, 'dir');
  return true;
}
