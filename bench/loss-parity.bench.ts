/**
 * Same seed, same losses? A short fixed-seed training run of each target (bench/lib/train-targets.ts:
 * the library's adamStep on fixed seeded inputs) twice, each in its own process: once with tfjs's own gradients
 * (I2P_NATIVE_KERNELS=0) and once with the library's native kernels (src/core/native-kernels.ts:
 * ReluGrad, fused batch norm, Tile-based Sum/Mean gradients; src/nn/layer-norm.ts runs in both).
 * Prints the losses side by side and the largest relative difference: float32 rounding differs
 * between the two paths, so the runs agree to about 1e-6 at first and drift slowly as
 * training amplifies rounding, as any two float32 implementations do.
 *
 * Run: npx tsx bench/loss-parity.bench.ts [target ...]   (default modalink-laptop registration-laptop)
 * Env: I2P_PARITY_STEPS (default 50); I2P_PARITY_LR learning rate (default: the target's, i.e. the
 *   registration config's, 1e-3 for the encoder).
 * Child mode (internal): --child <target> prints the losses as one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { backendInfo } from '../src/core/backend.js';
import { TARGETS } from './lib/train-targets.js';
import { createAdam } from '../src/train/adam.js';
import { adamStep } from '../src/train/adam-step.js';

const STEPS = Math.max(1, Number(process.env.I2P_PARITY_STEPS ?? 50));
const LR = process.env.I2P_PARITY_LR === undefined ? null : Number(process.env.I2P_PARITY_LR);

function child(key: string): void {
  const t = TARGETS[key](), opt = createAdam(t.vars, { learningRate: LR ?? t.learningRate }), losses: number[] = [];
  for (let i = 0; i < STEPS; i++) losses.push(adamStep(opt, () => ({ total: t.loss() })).loss);
  console.log(JSON.stringify({ losses, lr: LR ?? t.learningRate, guards: backendInfo().guards.length }));
}

function run(key: string, native: boolean): { losses: number[]; lr: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', key], {
    encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', I2P_NATIVE_KERNELS: native ? '1' : '0' }, maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`loss-parity: the ${native ? 'native' : 'tfjs'} run of ${key} failed: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { losses: number[]; lr: number };
}

if (process.argv[2] === '--child') child(process.argv[3]);
else {
  const keys = process.argv.slice(2).length ? process.argv.slice(2) : ['modalink-laptop', 'registration-laptop'];
  for (const k of keys) if (!TARGETS[k]) throw new Error(`loss-parity: unknown target '${k}'; known targets: ${Object.keys(TARGETS).join(', ')}`);
  console.log(`# Loss parity: tfjs's gradients vs the native kernels, ${STEPS} Adam steps (lr ${LR ?? "each target's"}), same seed\n`);
  for (const k of keys) {
    const ra = run(k, false), a = ra.losses, b = run(k, true).losses;
    const rel = a.map((x, i) => Math.abs(x - b[i]) / Math.max(Math.abs(x), 1e-12));
    console.log(`## ${k} (lr ${ra.lr})\n\nlargest relative difference: ${Math.max(...rel).toExponential(2)} (step ${rel.indexOf(Math.max(...rel)) + 1}); first 10 steps ${Math.max(...rel.slice(0, 10)).toExponential(2)}\n`);
    console.log('| step | loss, tfjs gradients | loss, native kernels | relative difference |\n|---|---|---|---|');
    a.forEach((x, i) => console.log(`| ${i + 1} | ${x.toPrecision(8)} | ${b[i].toPrecision(8)} | ${rel[i].toExponential(2)} |`));
    console.log('');
  }
}
