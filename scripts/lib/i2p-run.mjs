// Runs one `i2p` command (bin/i2p.js) from a script, its stderr appended to a log file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * @param root the repository root (the command's working folder)
 * @param args the i2p arguments, e.g. ['register', 'eval', ...]
 * @param log file the command's stderr is appended to
 * @param stdout 'inherit' (show it) or 'ignore'
 * @returns wall seconds
 * @throws Error naming the command and the log when it fails
 */
export function runI2p(root, args, log, stdout = 'ignore') {
  const t0 = Date.now(), fd = fs.openSync(log, 'a');
  try {
    const r = spawnSync(process.execPath, ['bin/i2p.js', ...args], { cwd: root, stdio: ['ignore', stdout, fd], env: process.env });
    if (r.status !== 0) throw new Error(`i2p ${args.join(' ')} failed (exit ${r.status}); see ${log}`);
  } finally {
    fs.closeSync(fd);
  }
  return (Date.now() - t0) / 1000;
}
