/**
 * Benchmark of the shared ModaLink encoder (src/nn/resnet.ts), paper and laptop presets:
 * forward ms per image and per batch (eval mode), a training step (forward + backward + the
 * trainers' Adam step (src/train/adam-step.ts) with a dummy loss, training-mode batch norm) in images/s, peak RSS; and the same network
 * in PyTorch (bench/torch_resnet34_layer3.py) with as many threads, when python3 has torch.
 * Prints a markdown table. Timings are medians: other processes share this machine's cores.
 *
 * Run: npx tsx bench/modalink-encoder.bench.ts   (env I2P_BENCH_RUNS, default 5 timed runs;
 * I2P_BENCH_TORCH=0 skips PyTorch)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from '../src/core/tf.js';
import type { Tensor4D } from '../src/core/tf.js';
import { backendInfo } from '../src/core/backend.js';
import { createEncoder } from '../src/nn/resnet.js';
import { ENCODER_PRESETS } from '../src/nn/encoder-config.js';
import { readSafetensors } from '../src/nn/safetensors.js';
import { loadTorchvisionResnet } from '../src/nn/torchvision-resnet.js';
import type { EncoderConfig } from '../src/nn/encoder-config.js';
import { median, medianMs } from './timing.js';
import { createAdam } from '../src/train/adam.js';
import { adamStep } from '../src/train/adam-step.js';
import { torchPython } from './lib/torch-python.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.I2P_BENCH_RUNS ?? 5);
const THREADS = os.availableParallelism();
const BATCH = 20; // ModaLink: 20 queries per step
const TRAIN_BATCH = 4;
type Scalar = ReturnType<typeof tf.scalar>;

/** Median wall time (ms) of `runs` calls after one untimed warm-up call. */
const time = (fn: () => void, runs: number): number => medianMs(fn, runs);

interface Row { forward1Ms: number; forwardBatchMs: number; trainStepMs: number }

function benchTfjs(config: Readonly<EncoderConfig>): Row {
  const enc = createEncoder(config, 0);
  const [h, w, c] = [config.inputHeightPx, config.inputWidthPx, config.inputChannels];
  const x1 = tf.randomNormal([1, h, w, c], 0, 1, 'float32', 1) as Tensor4D;
  const xb = tf.randomNormal([BATCH, h, w, c], 0, 1, 'float32', 2) as Tensor4D;
  const xt = tf.randomNormal([TRAIN_BATCH, h, w, c], 0, 1, 'float32', 3) as Tensor4D;
  const run = (x: Tensor4D) => (): void => { const y = enc.apply(x, false); y.dataSync(); y.dispose(); };
  const forward1Ms = time(run(x1), RUNS);
  const forwardBatchMs = time(run(xb), Math.max(2, RUNS >> 1));
  const opt = createAdam(enc.trainableVariables, { learningRate: 1e-4 }); // the trainers' Adam (src/train/adam.ts)
  const step = (): void => {
    adamStep(opt, () => ({ total: tf.mean(tf.square(enc.apply(xt, true))) as Scalar }));
  };
  const trainStepMs = time(step, Math.max(2, RUNS >> 1));
  tf.dispose([x1, xb, xt]);
  opt.dispose();
  enc.dispose();
  return { forward1Ms, forwardBatchMs, trainStepMs };
}

function benchTorch(config: Readonly<EncoderConfig>): Row | string {
  if (process.env.I2P_BENCH_TORCH === '0') return 'skipped (I2P_BENCH_TORCH=0)';
  const py = torchPython();
  if (!py) return 'no python3 with torch (apt install python3-torch, or set I2P_PYTHON)';
  const r = spawnSync(py, [
    path.join(ROOT, 'bench', 'torch_resnet34_layer3.py'), '--threads', String(THREADS), '--reps', String(RUNS),
    '--blocks', config.blocks.join(','), '--widths', config.widths.join(','),
    '--height', String(config.inputHeightPx), '--width', String(config.inputWidthPx),
    '--batch', String(BATCH), '--train-batch', String(TRAIN_BATCH),
  ], { encoding: 'utf8' });
  if (r.status !== 0) return `torch script failed: ${r.stderr.trim().split('\n').pop()}`;
  const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { forward1_ms: number; forward_batch_ms: number; train_step_ms: number };
  return { forward1Ms: j.forward1_ms, forwardBatchMs: j.forward_batch_ms, trainStepMs: j.train_step_ms };
}

/** PyTorch's eval-mode output for a seeded state dict vs ours after loadTorchvisionResnet. */
function checkAgainstTorch(): string {
  const py = process.env.I2P_BENCH_TORCH === '0' ? null : torchPython(', safetensors');
  if (!py) return 'skipped (needs python3 with torch and safetensors)';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encoder-check-'));
  const file = path.join(dir, 'check.safetensors');
  try {
    const r = spawnSync(py, [path.join(ROOT, 'bench', 'torch_resnet34_layer3.py'), '--export-check', file], { encoding: 'utf8' });
    if (r.status !== 0) return `export failed: ${r.stderr.trim().split('\n').pop()}`;
    const f = readSafetensors(file);
    const enc = createEncoder({ ...ENCODER_PRESETS.paper, l2Normalize: false }, 0);
    loadTorchvisionResnet(enc, f);
    const [xi, yo] = [f.tensors.get('input_nchw')!, f.tensors.get('output_nchw')!];
    const err = tf.tidy(() => {
      const x = tf.tensor4d(xi.data as Float32Array, xi.shape as [number, number, number, number]).transpose([0, 2, 3, 1]) as Tensor4D;
      const ref = tf.tensor4d(yo.data as Float32Array, yo.shape as [number, number, number, number]).transpose([0, 2, 3, 1]);
      return [tf.max(tf.abs(enc.apply(x, false).sub(ref))).dataSync()[0], tf.max(tf.abs(ref)).dataSync()[0]];
    });
    enc.dispose();
    return `max |tfjs - PyTorch| = ${err[0].toExponential(2)} (outputs up to ${err[1].toFixed(2)}), input [${xi.shape}] NCHW`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (v: number, d = 1): string => v.toFixed(d);
const cells = (r: Row): string[] => [
  fmt(r.forward1Ms), fmt(r.forwardBatchMs, 0), fmt(r.forwardBatchMs / BATCH), fmt(r.trainStepMs, 0), fmt((1000 * TRAIN_BATCH) / r.trainStepMs, 2),
];

console.log(`# ModaLink encoder bench: ${backendInfo().description}, ${THREADS} cores (shared), median of ${RUNS} runs`);
console.log('\n| config | runtime | forward 1 img (ms) | forward batch ' + BATCH + ' (ms) | ms / img in batch | train step b=' + TRAIN_BATCH
  + ' (ms) | train img/s |');
console.log('|---|---|---:|---:|---:|---:|---:|');
const ratios: string[] = [];
for (const name of ['paper', 'laptop'] as const) {
  const cfg = ENCODER_PRESETS[name];
  const label = `${name} ${cfg.inputHeightPx}x${cfg.inputWidthPx}, blocks [${cfg.blocks}], widths [${cfg.widths}]`;
  const t = benchTfjs(cfg);
  console.log(`| ${label} | tfjs-node | ${cells(t).join(' | ')} |`);
  const p = benchTorch(cfg);
  if (typeof p === 'string') {
    console.log(`| ${label} | PyTorch | ${p} | | | | |`);
  } else {
    console.log(`| ${label} | PyTorch ${THREADS} threads | ${cells(p).join(' | ')} |`);
    const target = (metric: string, r: number) => console.log(`::target ${JSON.stringify({ metric: `${name} encoder: ${metric}, tfjs / PyTorch time`, value: r.toFixed(2), unit: 'x', target: '<= 1.0', ok: r <= 1 })}`);
    target(`training step, batch ${TRAIN_BATCH}`, t.trainStepMs / p.trainStepMs);
    target(`forward, batch ${BATCH}`, t.forwardBatchMs / p.forwardBatchMs);
    ratios.push(`${name}: forward 1 img ${fmt(t.forward1Ms / p.forward1Ms, 2)}x, batch ${fmt(t.forwardBatchMs / p.forwardBatchMs, 2)}x, `
      + `train step ${fmt(t.trainStepMs / p.trainStepMs, 2)}x`);
  }
}
if (ratios.length) console.log(`\ntfjs / PyTorch time ratio (< 1: tfjs faster): ${ratios.join('; ')}`);
console.log(`\nweight mapping check (ResNet34 to layer3, seeded weights, eval mode): ${checkAgainstTorch()}`);
console.log(`\npeak RSS of this process (tfjs only; PyTorch runs in a child): ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MiB`);
