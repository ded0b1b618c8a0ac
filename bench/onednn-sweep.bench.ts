/**
 * Which convolution / pooling shapes crash TensorFlow's oneDNN CPU kernels on this machine,
 * before and after the library's guard (src/core/onednn-guard.ts), and what the guard costs.
 * Not part of the test run.
 *
 * Part 1, the sweep: every case (op x kernel x stride x input channels x padding) runs in a
 * child process (test/helpers/conv-op-child.ts), once on tfjs-node as installed ("raw") and
 * once through the library's backend loader ("library"). A case "crashes" when the child dies
 * on a signal or exits non-zero; the table prints the signal. Library results are compared
 * with the raw result where the raw run survived (max relative difference of sum and sum|.|).
 *
 * Part 2, throughput of the guarded path against oneDNN on and off: the training step of a
 * 1x1 stride-2 convolution (forward + both gradients) at ResNet-like shapes, and a 3x3 conv
 * forward + backward, each in a child process with TF_ENABLE_ONEDNN_OPTS=1 or 0.
 *
 * Run: npm run bench:onednn   (I2P_SWEEP=quick for a smaller sweep; I2P_SWEEP_JOBS=2 parallel children)
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConvCase } from '../test/helpers/conv-op-child.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const child = path.join(root, 'test', 'helpers', 'conv-op-child.ts');
const throughputChild = path.join(root, 'bench', 'onednn-throughput.ts');

interface Outcome { ok: boolean; how: string; sum?: number; sumAbs?: number; guarded?: string[] }

function runChild(script: string, arg: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', script, arg], {
      cwd: root, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = ''; let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

async function outcome(c: ConvCase): Promise<Outcome> {
  const r = await runChild(child, JSON.stringify(c));
  if (r.code === 0) {
    const j = JSON.parse(r.out.trim().split('\n').pop() ?? '{}');
    return { ok: true, how: 'ok', sum: j.sum, sumAbs: j.sumAbs, guarded: j.guarded };
  }
  const tail = r.err.trim().split('\n').filter((l) => /free|corrupt|fault|abort/i.test(l)).pop() ?? '';
  return { ok: false, how: `${r.signal ?? `exit ${r.code}`}${tail ? ` (${tail.slice(0, 40)})` : ''}` };
}

async function pool<T, R>(items: T[], jobs: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i]); }
  }));
  return out;
}

function sweepCases(quick: boolean): ConvCase[] {
  const cases: ConvCase[] = [];
  const ks = quick ? [1, 3] : [1, 3, 7];
  const chans = quick ? [3, 8, 16] : [1, 2, 3, 4, 8, 12, 16, 32, 64];
  for (const op of ['fwd', 'dx', 'dw'] as const) {
    for (const k of ks) for (const stride of [1, 2]) for (const cin of chans) {
      cases.push({ op, k, stride, cin, cout: 8, pad: 'valid' });
    }
  }
  // the 1x1 strided filter gradient more widely: padding, stride 3/4, output channels, odd sizes
  for (const cin of quick ? [3, 8] : [3, 8]) {
    for (const [stride, cout, pad, h, w] of [[2, 64, 'valid', 16, 32], [2, 8, 'same', 16, 32], [3, 8, 'valid', 16, 32], [4, 8, 'valid', 16, 32], [2, 8, 'valid', 15, 33]] as const) {
      cases.push({ op: 'dw', k: 1, stride, cin, cout, pad, h, w });
    }
  }
  for (const op of ['pool', 'pool-dx'] as const) for (const cin of quick ? [3, 16] : [1, 3, 8, 16]) {
    cases.push({ op, k: 3, stride: 2, cin, cout: cin, pad: 'valid' });
  }
  return cases;
}

const fmt = (c: ConvCase) => `${c.op} | ${c.k}x${c.k} | ${c.stride} | ${c.cin} -> ${c.cout} | ${c.pad ?? 'valid'} ${c.h ?? 16}x${c.w ?? 32}`;

async function main(): Promise<void> {
  const quick = process.env.I2P_SWEEP === 'quick';
  const jobs = Math.max(1, Number(process.env.I2P_SWEEP_JOBS ?? Math.min(2, os.cpus().length)));
  const rawOnly = process.argv.includes('--raw-only');
  const cases = sweepCases(quick);
  const t0 = Date.now();
  const raw = await pool(cases, jobs, (c) => outcome({ ...c, raw: true }));
  const lib = rawOnly ? [] : await pool(cases, jobs, (c) => outcome(c));
  console.log(`${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, ${cases.length} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  console.log('| op | kernel | stride | channels in -> out | padding, input H x W | raw tfjs-node | library (guard) | library vs raw |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (let i = 0; i < cases.length; i++) {
    const r = raw[i]; const l = lib[i];
    let diff = '-';
    if (r.ok && l?.ok) {
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-6, Math.abs(b));
      diff = Math.max(rel(l.sum!, r.sum!), rel(l.sumAbs!, r.sumAbs!)).toExponential(1);
    }
    const show = process.env.I2P_SWEEP_ALL === '1' || !r.ok || (l && !l.ok);
    if (show) console.log(`| ${fmt(cases[i])} | ${r.how} | ${l ? l.how : '-'} | ${diff} |`);
  }
  const nRawCrash = raw.filter((r) => !r.ok).length;
  const nLibCrash = lib.filter((r) => !r.ok).length;
  const okDiffs = cases.map((_, i) => (raw[i].ok && lib[i]?.ok ? Math.abs(lib[i].sum! - raw[i].sum!) / Math.max(1e-6, Math.abs(raw[i].sum!)) : 0));
  console.log(`\nrows shown: the cases that crash in either mode (I2P_SWEEP_ALL=1 shows all ${cases.length}).`);
  console.log(`raw crashes: ${nRawCrash} of ${cases.length}; library crashes: ${rawOnly ? 'not run' : `${nLibCrash} of ${cases.length}`}; ` +
    `max relative difference library vs raw where both ran: ${Math.max(...okDiffs).toExponential(1)}`);
  if (!rawOnly && lib[0]?.guarded) console.log(`library guards: ${lib[0].guarded.join('; ') || 'none'}`);

  if (process.argv.includes('--no-throughput')) return;
  console.log('\nThroughput (median ms per call, GFLOP/s: the forward FLOPs for a filter gradient, 3x them for a training step):\n');
  console.log('| case | TF_ENABLE_ONEDNN_OPTS | path | ms | GFLOP/s |');
  console.log('|---|---|---|---:|---:|');
  for (const onednn of ['1', '0']) {
    const r = await runChild(throughputChild, '', { TF_ENABLE_ONEDNN_OPTS: onednn });
    if (r.code !== 0) { console.log(`| throughput child failed (oneDNN ${onednn}) | ${r.signal ?? r.code} | ${r.err.trim().split('\n').pop()} | | |`); continue; }
    for (const row of JSON.parse(r.out.trim().split('\n').pop() ?? '[]') as Array<{ name: string; path: string; ms: number; gflops: number }>) {
      console.log(`| ${row.name} | ${onednn} | ${row.path} | ${row.ms.toFixed(2)} | ${row.gflops.toFixed(1)} |`);
    }
  }
}

await main();
