// `npm run lab [-- jupyter lab options]`: opens JupyterLab on notebooks/ with the project's
// Jupyter (.venv/ when npm install made it) and the tslab kernel registered for this checkout.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labArgs, requireLab } from './lib/lab.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const j = requireLab(root, (m) => { console.error(`[lab] ERROR: ${m}`); process.exit(1); });
console.log(`[lab] JupyterLab from ${j.pythonExecutable}, kernel tslab; notebooks in notebooks/ (Ctrl-C stops it)`);
const child = spawn(j.python, labArgs(path.join(root, 'notebooks'), process.argv.slice(2)), { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
