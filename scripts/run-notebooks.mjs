// Builds dist/ (the notebooks import the built package), then runs the notebooks headless, top to bottom, with the
// tslab kernel (nbclient, through scripts/lib/execute_notebook.py), each within its time budget; then renders the
// figures they wrote to PNG when Chromium is there (scripts/lib/render-figures.mjs).
//
// Usage: npm run notebooks [-- [filters...] [--inplace] [--verbose] [--no-render] [--keep-going]]
//   filters      substrings of notebook file names (`npm run notebooks -- 00 03`)
//   --inplace    write outputs into notebooks/*.ipynb (default: .cache/notebooks/<name>.ipynb,
//                so the committed notebooks stay without outputs)
//   --verbose    print each cell as it starts
//   --no-render  do not render PNGs
//   --keep-going run the remaining notebooks after a failure (exit status is still 1)
// Environment:
//   I2P_NOTEBOOK_TIMEOUT_S  budget per notebook in seconds when its metadata has no i2p.timeout_s (default 900)
//   I2P_BUDGET=ci|default   passed to the kernel: notebooks cut epochs and data under `ci`
//   I2P_PYTHON              the Python with Jupyter (default: python3)
//   I2P_FIGURES_DIR         where figures go (default figures/)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findJupyter, installHint, registerTslabKernel } from './lib/jupyter.mjs';
import { buildDist } from './lib/lab.mjs';
import { ensureSelfLink } from './lib/self-link.mjs';
import { describeRender, listFigurePages, renderFigures } from './lib/render-figures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_TIMEOUT_S = 900;
const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const filters = args.filter((a) => !a.startsWith('--'));
const known = ['--inplace', '--verbose', '--no-render', '--keep-going'];
for (const f of flags) {
  if (!known.includes(f)) { console.error(`run-notebooks: unknown flag ${f} (known: ${known.join(' ')})`); process.exit(2); }
}
const say = (m) => console.log(`[notebooks] ${m}`);
const fail = (m) => { console.error(`[notebooks] ERROR: ${m}`); process.exit(1); };

// ---- what to run
const nbDir = path.join(root, 'notebooks');
const all = fs.existsSync(nbDir) ? fs.readdirSync(nbDir).filter((f) => f.endsWith('.ipynb')).sort() : [];
const chosen = all.filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (chosen.length === 0) fail(`no notebooks match ${filters.join(' ') || 'notebooks/*.ipynb'} (have: ${all.join(', ') || 'none'})`);

const budget = (process.env.I2P_BUDGET ?? 'default').trim().toLowerCase() || 'default';
if (!['ci', 'default'].includes(budget)) fail(`I2P_BUDGET must be 'ci' or 'default', got '${process.env.I2P_BUDGET}'`);
const envTimeout = process.env.I2P_NOTEBOOK_TIMEOUT_S;
if (envTimeout !== undefined && !(Number(envTimeout) > 0)) fail(`I2P_NOTEBOOK_TIMEOUT_S must be a positive number of seconds, got '${envTimeout}'`);

// ---- Jupyter, nbclient, the tslab kernel
const j = findJupyter(root);
if (!j.python) fail(`no ${process.env.I2P_PYTHON?.trim() ? `I2P_PYTHON=${process.env.I2P_PYTHON}` : 'python3'} that runs. Notebooks run on Jupyter: ${installHint()}`);
const missing = j.missing.filter((m) => ['jupyter_client', 'nbclient', 'nbformat'].includes(m)); // what running notebooks headless needs
if (missing.length > 0) {
  fail(`${missing.join(', ')} not installed for ${j.pythonExecutable ?? j.python}. Install: ${installHint(j.python)}`);
}
if (!j.kernelRegistered || !j.kernelMatches) {
  if (!registerTslabKernel(root, say)) fail(`the tslab kernel is not registered; run: npx tslab install --python ${j.python} --binary ${path.join(root, 'node_modules', '.bin', 'tslab')}`);
}
say(`dist/ built from src/ (${buildDist(root, fail).toFixed(1)} s; the notebooks import the built package)`);
if (ensureSelfLink(root)) say('re-linked node_modules/i2p-lab -> . (notebooks import the package by name)');

function timeoutOf(nbPath) {
  const meta = JSON.parse(fs.readFileSync(nbPath, 'utf8')).metadata ?? {};
  const t = meta.i2p?.timeout_s;
  if (t !== undefined) {
    if (!(Number(t) > 0)) fail(`${path.basename(nbPath)}: metadata i2p.timeout_s must be a positive number, got ${JSON.stringify(t)}`);
    return Number(t);
  }
  return envTimeout !== undefined ? Number(envTimeout) : DEFAULT_TIMEOUT_S;
}

function hasOutputs(nbPath) {
  const nb = JSON.parse(fs.readFileSync(nbPath, 'utf8'));
  return (nb.cells ?? []).some((c) => (c.outputs ?? []).length > 0 || c.execution_count != null);
}

function execute(nbFile, timeoutS) {
  const name = nbFile.replace(/\.ipynb$/, '');
  const input = path.join(nbDir, nbFile);
  const cacheDir = path.join(root, '.cache', 'notebooks');
  fs.mkdirSync(cacheDir, { recursive: true });
  const output = flags.has('--inplace') ? input : path.join(cacheDir, nbFile);
  const resultFile = path.join(cacheDir, `${name}.result.json`);
  fs.rmSync(resultFile, { force: true });
  const py = [path.join(root, 'scripts', 'lib', 'execute_notebook.py'), input, output, resultFile,
    '--kernel', 'tslab', '--timeout-s', String(timeoutS), '--cwd', nbDir];
  if (flags.has('--verbose')) py.push('--verbose');
  const env = { ...process.env, I2P_BUDGET: budget, I2P_NOTEBOOK: name, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2' };
  // the kernel runs in notebooks/: hand it an absolute figures folder so it writes where we render
  if (process.env.I2P_FIGURES_DIR) env.I2P_FIGURES_DIR = path.resolve(process.env.I2P_FIGURES_DIR);
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(j.python, py, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    // detached = own process group (so the backstop can kill the kernel too); forward Ctrl-C / kill to it
    const forward = (sig) => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } process.exit(130); };
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    // Backstop: the Python side enforces the budget; kill its process group if it hangs past budget + 2 min.
    const killer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, (timeoutS + 120) * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      const seconds = (Date.now() - t0) / 1000;
      let result;
      try { result = JSON.parse(fs.readFileSync(resultFile, 'utf8')); } catch { result = undefined; }
      if (!result) {
        result = { status: signal ? `killed (${signal})` : `crashed (exit ${code})`, seconds, failing: null, slowest: [] };
      }
      resolve({ name, output, ...result });
    });
  });
}

function printFailure(r) {
  const f = r.failing;
  const bar = '-'.repeat(78);
  console.error(`\n${bar}\nFAILED: notebooks/${r.name}.ipynb (${r.status})`);
  if (f) {
    if (f.index !== null && f.index !== undefined) console.error(`cell index ${f.index}:\n${f.source_head.split('\n').map((l) => `    ${l}`).join('\n')}`);
    console.error(`${f.ename}: ${f.evalue}`);
    // drop the kernel's own frames (tslab, node:vm): they are the same for every failure
    const tb = (f.traceback ?? []).join('\n').split('\n').filter((l) => !/node:vm|node_modules[\\/]tslab[\\/]/.test(l)).join('\n').trim();
    if (tb) console.error(tb.split('\n').slice(0, 25).map((l) => `  | ${l}`).join('\n'));
  }
  console.error(`executed copy (outputs up to the failure): ${path.relative(root, r.output)}\n${bar}\n`);
}

function table(rows) {
  const head = ['notebook', 'cells ok', 'seconds', 'budget s', 'status'];
  const body = rows.map((r) => [r.name, r.cells === undefined ? '' : `${r.executed}/${r.cells}`, r.seconds.toFixed(1), String(r.timeoutS), r.status]);
  const w = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const line = (cells) => `| ${cells.map((s, c) => (c >= 1 && c <= 3 ? s.padStart(w[c]) : s.padEnd(w[c]))).join(' | ')} |`;
  return [line(head), `|${w.map((n, c) => (c >= 1 && c <= 3 ? `${'-'.repeat(n + 1)}:` : '-'.repeat(n + 2))).join('|')}|`, ...body.map(line)].join('\n');
}

say(`${chosen.length} notebook(s), kernel tslab (${j.python} ${j.pythonVersion}), I2P_BUDGET=${budget}, outputs -> ${flags.has('--inplace') ? 'notebooks/ (in place)' : '.cache/notebooks/'}`);
const results = [];
for (const nbFile of chosen) {
  const nbPath = path.join(nbDir, nbFile);
  if (!flags.has('--inplace') && hasOutputs(nbPath)) say(`note: ${nbFile} is committed with outputs; clear them (the executed copy goes to .cache/notebooks/)`);
  const timeoutS = timeoutOf(nbPath);
  say(`running ${nbFile} (budget ${timeoutS} s) ...`);
  const r = { ...(await execute(nbFile, timeoutS)), timeoutS };
  results.push(r);
  if (r.status !== 'ok') {
    printFailure(r);
    if (!flags.has('--keep-going')) break;
  } else {
    const slow = (r.slowest ?? [])[0];
    say(`ok ${nbFile}: ${r.seconds.toFixed(1)} s${slow ? ` (slowest: cell ${slow.index}, ${slow.seconds.toFixed(1)} s)` : ''}`);
  }
  if (!flags.has('--no-render')) {
    const figDir = path.join(process.env.I2P_FIGURES_DIR ? path.resolve(process.env.I2P_FIGURES_DIR) : path.join(root, 'figures'), r.name);
    const pages = listFigurePages([figDir]);
    if (pages.length) {
      const t0 = Date.now();
      const rr = await renderFigures(pages, { log: say });
      say(`${describeRender(rr, root)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      if (rr.failed.length) r.status = r.status === 'ok' ? 'figures failed' : r.status;
    }
  }
}
for (const nbFile of chosen.slice(results.length)) results.push({ name: nbFile.replace(/\.ipynb$/, ''), seconds: 0, timeoutS: timeoutOf(path.join(nbDir, nbFile)), status: 'not run' });
console.log(`\n${table(results)}\n`);
process.exit(results.every((r) => r.status === 'ok') ? 0 : 1);
