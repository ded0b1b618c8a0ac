// Runs Node's test runner over every test/**/*.test.ts file (TypeScript through tsx).
// Usage: npm test [-- <substring filter on file paths>]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);
const files = fs.readdirSync(path.join(root, 'test'), { recursive: true })
  .map((f) => path.join('test', String(f)))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ') || 'test/**/*.test.ts'}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  cwd: root, stdio: 'inherit', env: { TF_CPP_MIN_LOG_LEVEL: '2', ...process.env },
});
process.exit(r.status ?? 1);
