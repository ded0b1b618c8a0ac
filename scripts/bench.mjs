// npm run bench: the benchmarks behind the speed targets (issue "One training core, at the speed
// of the machine"), one after another, into figures/bench.md with the machine's facts.
// Each bench prints markdown; lines `::target {"metric", "value", "target", "unit", "ok"}` are
// collected into the targets table at the top and left out of the bench's own section.
// Run on an idle machine: the PyTorch side (bench/torch_*.py) slows down far more than
// TensorFlow's when other processes share the cores, so ratios from a loaded run mislead.
//
// Usage: npm run bench [-- --only encoder,registration,retrieval,parity,profile] [-- --out FILE]
// Env: I2P_PYTHON, a Python with torch (else python3); every bench's own variables pass through.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCHES = [
  { key: 'encoder', title: 'ModaLink encoder against PyTorch', file: 'bench/modalink-encoder.bench.ts' },
  { key: 'registration', title: 'Registration model against PyTorch', file: 'bench/registration.bench.ts',
    env: { I2P_BENCH_WHAT: 'forward,train', I2P_BENCH_PAPER_TRAIN_BATCHES: '2' } },
  { key: 'retrieval', title: 'Retrieval and NMF', file: 'bench/retrieval.bench.ts' },
  { key: 'parity', title: 'Same seed, same losses', file: 'bench/loss-parity.bench.ts' },
  { key: 'profile', title: 'Where a training step goes', file: 'bench/profile.bench.ts' },
];

function argValue(flag) {
  const i = process.argv.indexOf(flag);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (!v || v.startsWith('--')) throw new Error(`bench: ${flag} needs a value`);
  return v;
}
const only = argValue('--only')?.split(',').map((s) => s.trim());
for (const k of only ?? []) if (!BENCHES.some((b) => b.key === k)) throw new Error(`bench: --only: unknown bench '${k}'; known: ${BENCHES.map((b) => b.key).join(', ')}`);
const out = path.resolve(root, argValue('--out') ?? 'figures/bench.md');

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}
const python = process.env.I2P_PYTHON ?? 'python3';
const torch = sh(python, ['-c', 'import torch; print(torch.__version__)']);
const pkg = (name) => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const facts = [
  `- date: ${new Date().toISOString()}`,
  `- CPU: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load average at start ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')}`,
  `- node ${process.version}, @tensorflow/tfjs-node ${pkg('@tensorflow/tfjs-node')}; PyTorch ${torch ?? 'not found (set I2P_PYTHON)'} (${python})`,
];

const sections = [], targets = [];
const started = Date.now();
for (const b of BENCHES.filter((x) => !only || only.includes(x.key))) {
  process.stderr.write(`bench: ${b.title} (${b.file}) ...\n`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, b.file)], {
    cwd: root, encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'],
    env: { TF_CPP_MIN_LOG_LEVEL: '2', ...(b.env ?? {}), ...process.env },
  });
  const lines = (r.stdout ?? '').split('\n');
  for (const l of lines.filter((x) => x.startsWith('::target '))) targets.push({ bench: b.key, ...JSON.parse(l.slice(9)) });
  const body = lines.filter((x) => !x.startsWith('::target ')).join('\n').trim().replace(/^# /gm, '### ').replace(/^## /gm, '#### ');
  const status = r.status === 0 ? '' : `\n\n**The bench exited with ${r.status ?? r.signal}.**`;
  sections.push(`## ${b.title}\n\n\`${b.file}\`, ${((Date.now() - t0) / 1000).toFixed(0)} s\n\n${body}${status}`);
}

const targetTable = targets.length === 0 ? 'No target lines were printed.' : [
  '| bench | metric | measured | target | met |', '|---|---|---|---|---|',
  ...targets.map((t) => `| ${t.bench} | ${t.metric} | ${t.value}${t.unit ? ' ' + t.unit : ''} | ${t.target} | ${t.ok ? 'yes' : '**no**'} |`),
].join('\n');
const md = `# Benchmarks\n\nMade by \`npm run bench\` (scripts/bench.mjs) in ${((Date.now() - started) / 60000).toFixed(1)} min.\n\n${facts.join('\n')}\n\n## Targets\n\n${targetTable}\n\n${sections.join('\n\n')}\n`;
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, md);
console.log(md);
process.stderr.write(`bench: wrote ${path.relative(root, out)}\n`);
