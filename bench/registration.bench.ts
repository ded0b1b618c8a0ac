/**
 * Cost of the registration models on this machine: ms per image / point-cloud pair of the
 * ICL model (src/registration/model.ts) for the `paper` and `laptop` presets, forward only
 * (eval mode, stage 'joint') and one training step (forward + registrationLoss + backward +
 * Adam, stage 'joint', as src/registration/train.ts runs it), at batch 1 and at the preset's
 * batch size; and the explicit PnP-RANSAC baseline (src/registration/baseline/)
 * end to end per pair (network forward + nearest-feature matching + EPnP-RANSAC), with its
 * network part alone on a row of its own. Prints machine facts and one markdown table.
 *
 * Inputs are seeded synthetic pairs of the presets' sizes (PAIR_PRESETS: paper 160 x 512 and
 * 40960 points, laptop 80 x 256 and 4096 points): a scan-like cloud (a ground plane 1.73 m
 * below the sensor out to 40 m, denser near it, and 60 box-shaped objects within +-40 m) moved
 * into a KITTI-like camera frame and perturbed as the pair protocol does (rotation about the
 * camera's vertical in [-pi, pi], +-10 m in x and z); K is KITTI's P2 scaled and centre-cropped
 * as the preset does; the image is seeded noise. Untrained weights (seed 0).
 *
 * Baseline matching: an untrained in-frustum classifier keeps an arbitrary share of the
 * points, so the threshold is set to the quantile that keeps as many points as the pair
 * really has in the frustum (what a trained classifier would keep). Untrained descriptors are
 * nearly constant, so those points all match a few cells and RANSAC stops early on a
 * degenerate "pose" (which the guard then rejects): the end-to-end row covers the whole path
 * but not the solver's real cost. A third row therefore times EPnP-RANSAC alone on the same
 * number of matches as a trained matcher gives them (the in-frustum points' true projections
 * snapped to cell centres, 70 % replaced by random cells, the same 500 iterations and
 * threshold; at 70 % the adaptive stop asks for more than 500, so all run); network +
 * solver is then the realistic end-to-end cost. bench/pnp.bench.ts times the solver alone on
 * 1000 / 5000 matches.
 *
 * Runs: the first call of a row is profiled (tf.profile, cheap on tfjs-node) and is a
 * warm-up; then timed runs follow until I2P_BENCH_RUNS are done or they have taken
 * I2P_BENCH_ROW_BUDGET_S seconds (at least one). A first call longer than the budget (the
 * paper model's big batches) is itself the one timed run, without warm-up: the notes say
 * how many runs a row has. The Adam moments are created (a zero update) before a training
 * row starts, so its tensor count must not grow.
 *
 * Columns: ms / pair = wall time of one call / batch size, median and min over the timed runs;
 * peak RSS = process.resourceUsage().maxRSS after the row (the process-wide peak so far: rows
 * run from small to large); tf peak = tfjs's tracked tensor bytes at their peak during the
 * first call (tf.profile): weights, Adam moments and the tensors kept for the backward pass
 * (tfjs-node counts every op's output, also reshapes that share a buffer, so it can exceed
 * the RSS); tensors +n = growth of tf.memory().numTensors over the calls after the first
 * (over the first call itself when it is the only one); 0 = no leak.
 *
 * PyTorch: after a preset's forward and training rows, the same network in PyTorch
 * (bench/torch_registration.py, built from this preset's config) times the same rows (same batch
 * sizes, os.availableParallelism() threads, the same warm-up / runs / budget rule) in a child
 * process: columns "PyTorch ms / pair" and "tfjs / PyTorch" (< 1: tfjs faster). Under the table:
 * both networks' trainable parameter counts (they must be equal), the forward and training-step
 * GFLOP per pair (PyTorch's FlopCounterMode at batch 1: convolutions and matmuls; FPS, kNN and
 * element-wise ops not counted), and the "floor" those take at the achieved GFLOP/s of one large
 * conv (3x3, 64 -> 64, 64 x 256, batch 4) measured in each framework's own process. The script's
 * docstring lists where the port's structure differs (FPS in numpy, kNN by cdist + topk, ...).
 * Threads: PyTorch's OpenMP pool waits at a barrier after every parallel op for all its threads,
 * so on a loaded machine (more runnable processes than cores) each op waits for a descheduled
 * thread: laptop forward at load ~12 on 2 cores took 170-290 ms at 1 thread and 0.7-4 s at 2,
 * where tfjs (TensorFlow's work-stealing Eigen pool: a free thread takes a waiting shard) took
 * 190-250 ms at 2.
 * I2P_BENCH_TORCH_THREADS=1 shows PyTorch without that wait; compare rows from a quiet machine.
 * Python: $I2P_PYTHON, else python3 with torch (bench/lib/torch-python.ts); none prints a note.
 *
 * Paper training step: batch 1 only by default. Measured alone (2-core EPYC, load ~10): batch 1
 * peaks at ~9 GiB RSS (~13 GiB tracked tensors), batch 2 at 16.4 GiB RSS (~25 GiB tracked) and
 * ~51 s per pair, so memory grows about linearly with the batch and the preset's batch 8 would
 * need ~60 GiB: it cannot run on a 23 GiB machine. Batch 2 would leave under 2 GiB free there
 * and add ~2 minutes, so it runs only on request (I2P_BENCH_PAPER_TRAIN_BATCHES=1,2).
 *
 * Run: npm run bench:registration   (or npx tsx bench/registration.bench.ts)
 * Env: I2P_BENCH_RUNS most timed runs per row (default 5); I2P_BENCH_ROW_BUDGET_S seconds of
 *   timed runs per row before it stops early (default 15); I2P_BENCH_ONLY=laptop | paper (or
 *   'laptop,paper') to run one preset; I2P_BENCH_WHAT=forward,train,baseline (any subset) to
 *   run some kinds of rows; I2P_BENCH_PAPER_TRAIN_BATCHES batch sizes of the paper training
 *   step (default '1', see the note above); I2P_BENCH_BATCHES batch sizes of the forward rows and of
 *   the laptop training rows (default: 1 and the preset's batchSize); I2P_BENCH_TORCH=0 skips
 *   PyTorch; I2P_BENCH_TORCH_THREADS PyTorch's threads (default: as many as tfjs uses, see the
 *   note below); I2P_PYTHON a Python with torch; I2P_BACKEND as everywhere (src/core/backend.ts).
 */
import os from 'node:os';
import { tf, type Tensor, type Tensor1D, type Tensor4D } from '../src/core/tf.js';
import { createAdam } from '../src/train/adam.js';
import { registrationPairConfig, type RegistrationConfig, validateRegistrationConfig } from '../src/registration/config.js';
import { createRegistrationModel } from '../src/registration/model.js';
import { registrationStep } from '../src/registration/train.js';
import { disposeBatch } from '../src/registration/pair-batches.js';
import { createRng } from '../src/core/rng.js';
import { createExplicitBaseline, EXPLICIT_BASELINE_PRESETS, predictExplicit, type ExplicitPrediction } from '../src/registration/baseline/index.js';
import { loadOpenCv } from '../src/registration/opencv.js';
import { solvePnpRansac, type PnpRansacResult } from '../src/registration/pnp-ransac.js';
import { median, medianMs } from './timing.js';
import { BENCH_REGISTRATION_PRESETS, runTorchRegistration, type TorchRegistrationResult } from './lib/registration-torch.js';
import { syntheticBatch, syntheticPair, type SyntheticPair } from './lib/registration-inputs.js';

type Preset = 'laptop' | 'paper';

const RUNS = Math.max(1, Number(process.env.I2P_BENCH_RUNS ?? 5));
const ROW_BUDGET_MS = 1000 * Number(process.env.I2P_BENCH_ROW_BUDGET_S ?? 15);
const ONLY = (process.env.I2P_BENCH_ONLY ?? 'laptop,paper').split(',').map((s) => s.trim()) as Preset[];
const WHAT = (process.env.I2P_BENCH_WHAT ?? 'forward,train,baseline').split(',').map((s) => s.trim());
const PAPER_TRAIN_BATCHES = (process.env.I2P_BENCH_PAPER_TRAIN_BATCHES ?? '1').split(',').map(Number);
const BATCHES = process.env.I2P_BENCH_BATCHES?.split(',').map(Number);
const THREADS = os.availableParallelism();
const TORCH_THREADS = Number(process.env.I2P_BENCH_TORCH_THREADS ?? THREADS);
/** FLOPs of the reference conv: 3x3, 64 -> 64 channels, 64 x 256 pixels, batch 4, 2 per multiply-add. */
const CONV_FLOP = 2 * 3 * 3 * 64 * 64 * 64 * 256 * 4;
/** Why the paper training step is not timed at its batch size 8 (see the file note). */
const PAPER_TRAIN_NOTE = 'batch 8 not run: ~60 GiB (batch 2 measured alone: 16.4 GiB RSS, 51 s / pair; I2P_BENCH_PAPER_TRAIN_BATCHES=1,2 adds it)';

interface Row { config: string; what: string; batch: number; median: number; min: number; rssMiB: number; tfPeakMiB: number; note: string; torchMs?: number }
const rows: Row[] = [];
const MiB = 1024 * 1024;
const rssMiB = (): number => process.resourceUsage().maxRSS / 1024;

/**
 * Times `fn` (one call = `batch` pairs): the first call profiled (a warm-up, or the one timed
 * run when it took longer than the row budget), then timed runs (see the file note); pushes a
 * row with ms per pair, the runs, and the tensor-count growth.
 */
async function timeRow(config: string, what: string, batch: number, fn: () => unknown | Promise<unknown>, note = ''): Promise<void> {
  const before = tf.memory().numTensors, t = performance.now();
  const prof = await tf.profile(async () => { await fn(); });
  const firstMs = performance.now() - t;
  const ts: number[] = [], single = firstMs > ROW_BUDGET_MS, tensors0 = single ? before : tf.memory().numTensors;
  if (single) ts.push(firstMs);
  for (let spent = 0; !single && ts.length < RUNS && (ts.length === 0 || spent < ROW_BUDGET_MS);) {
    const a = performance.now();
    await fn();
    ts.push(performance.now() - a);
    spent += ts[ts.length - 1];
  }
  const perPair = ts.map((x) => x / batch), runs = single ? '1 run, no warm-up (first call > row budget)' : `${ts.length} runs`;
  rows.push({ config, what, batch, median: median(perPair), min: Math.min(...perPair), rssMiB: rssMiB(), tfPeakMiB: prof.peakBytes / MiB,
    note: [runs, `tensors +${tf.memory().numTensors - tensors0}`, note].filter(Boolean).join('; ') });
  process.stderr.write(`  ${config} ${what} b${batch}: ${median(perPair).toFixed(1)} ms/pair (${runs}), RSS ${rssMiB().toFixed(0)} MiB\n`);
}

/** Forward rows: eval mode, stage 'joint', at each batch size. */
async function forwardRows(name: Preset, batches: number[]): Promise<void> {
  const c = BENCH_REGISTRATION_PRESETS[name], model = createRegistrationModel(c);
  tfjsParams[name] = model.trainableVariables('joint').reduce((s, v) => s + v.size, 0);
  for (const B of batches) {
    const batch = syntheticBatch(c, B);
    await timeRow(name, FORWARD, B, () => {
      const out = model.forward(batch, false, 'joint');
      out.camFromPoints.dataSync();
      tf.dispose(out as unknown as Record<string, Tensor>);
    });
    disposeBatch(batch);
  }
  model.dispose();
}

/** Training-step rows: registrationStep of src/registration/train.ts (stage 'joint', L2 weight decay, Adam), what training runs. */
async function trainRows(name: Preset, batches: number[], note = ''): Promise<void> {
  const c = validateRegistrationConfig({ ...BENCH_REGISTRATION_PRESETS[name], stage: 'joint' });
  for (const B of batches) {
    const model = createRegistrationModel(c), optimizer = createAdam(model.trainableVariables('joint'), { learningRate: c.learningRate });
    tfjsParams[name] = optimizer.variables.reduce((s, v) => s + v.size, 0);
    const batch = syntheticBatch(c, B);
    const zeros = tf.zeros([optimizer.layout.total]) as Tensor1D;
    optimizer.update(zeros); // creates Adam's moments (a zero step) so the tensor count is flat from the first call
    zeros.dispose();
    await timeRow(name, TRAIN, B, () => {
      registrationStep(model, optimizer, batch, c, 'joint');
    }, note);
    disposeBatch(batch);
    optimizer.dispose();
    model.dispose();
  }
}

const FORWARD = 'ICL forward (eval, joint)', TRAIN = 'ICL training step (joint)';
const tfjsParams: Partial<Record<Preset, number>> = {};
const torchRuns: Partial<Record<Preset, TorchRegistrationResult | string>> = {};

/** Achieved GFLOP/s of the reference conv (CONV_FLOP) in tfjs, median of 5 after a warm-up. */
function tfjsConvGflops(): number {
  const x = tf.randomNormal([4, 64, 256, 64], 0, 1, 'float32', 1), w = tf.randomNormal([3, 3, 64, 64], 0, 0.05, 'float32', 2);
  const ms = medianMs(() => { const y = tf.conv2d(x as Tensor4D, w as Tensor4D, 1, 'same'); y.dataSync(); y.dispose(); }, 5);
  tf.dispose([x, w]);
  return CONV_FLOP / ms / 1e6;
}

/** Runs the PyTorch port on the rows of `name` that tfjs just timed and puts its ms / pair on them. */
function torchRows(name: Preset, forwardBatches: number[], trainBatches: number[]): void {
  const r = runTorchRegistration(BENCH_REGISTRATION_PRESETS[name], { threads: TORCH_THREADS, reps: RUNS, budgetS: ROW_BUDGET_MS / 1000, forwardBatches, trainBatches });
  torchRuns[name] = r;
  if (typeof r === 'string') return;
  for (const row of rows.filter((x) => x.config === name)) {
    const ms = row.what === FORWARD ? r.forward_ms[row.batch] : row.what === TRAIN ? r.train_step_ms[row.batch] : undefined;
    const runs = row.what === FORWARD ? r.forward_runs[row.batch] : r.train_runs[row.batch];
    if (ms !== undefined) { row.torchMs = ms / row.batch; row.note += `; PyTorch ${runs} run${runs === 1 ? '' : 's'}`; }
  }
}

/** The lines under the table: parameter counts, GFLOP per pair and the floors at each framework's conv rate. */
function torchNotes(tfjsGflops: number): string[] {
  const out: string[] = [], f = (x: number, d = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  for (const [name, r] of Object.entries(torchRuns) as [Preset, TorchRegistrationResult | string][]) {
    const tp = tfjsParams[name] ?? NaN;
    if (typeof r === 'string') { out.push(`- ${name}: params tfjs ${f(tp)}; PyTorch: ${r}`); continue; }
    out.push(`- ${name}: params tfjs ${f(tp)} / torch ${f(r.params)}${tp === r.params ? ' (equal)' : ' (DIFFERENT: see bench/torch_registration.py)'}; PyTorch ${r.torch}, ${r.threads} threads, peak RSS ${f(r.peak_rss_mib)} MiB`);
    const floor = (gflop: number | undefined, what: string): string | null => gflop === undefined ? null
      : `${what} ${f(gflop, 2)} GFLOP / pair, floor ${f(1000 * gflop / tfjsGflops, 1)} ms / pair at tfjs's ${f(tfjsGflops, 1)} GFLOP/s, ${f(1000 * gflop / r.conv_gflops, 1)} at PyTorch's ${f(r.conv_gflops, 1)}`;
    const parts = [floor(r.forward_gflop_per_pair, 'forward'), floor(r.train_gflop_per_pair, 'training step')].filter(Boolean);
    if (parts.length) out.push(`- ${name}: ${parts.join('; ')}`);
  }
  if (Object.values(torchRuns).some((r) => typeof r !== 'string')) out.push(`- GFLOP: PyTorch's FlopCounterMode at batch 1 (convolutions and matmuls, 2 per multiply-add; FPS, kNN and element-wise ops not counted); GFLOP/s: a 3x3 conv 64 -> 64 on 64 x 256 at batch 4 (${f(CONV_FLOP / 1e9, 2)} GFLOP) in each framework's process; tfjs / PyTorch < 1: tfjs faster`);
  return out;
}

/** `::target` lines for npm run bench (scripts/bench.mjs): the laptop rows against PyTorch and the FLOP floor, the paper training memory. */
function targetLines(tfjsGflops: number): void {
  const t = (metric: string, value: number, digits: number, unit: string, target: string, ok: boolean): void => console.log(`::target ${JSON.stringify({ metric, value: value.toFixed(digits), unit, target, ok })}`);
  const laptop = torchRuns.laptop, B = BENCH_REGISTRATION_PRESETS.laptop.batchSize;
  for (const r of rows.filter((x) => x.config === 'laptop' && x.batch === B && (x.what === TRAIN || x.what === FORWARD))) {
    if (r.torchMs !== undefined) t(`laptop ${r.what}, batch ${B}: tfjs / PyTorch time`, r.median / r.torchMs, 2, 'x', '<= 1.0', r.median <= r.torchMs);
    const gflop = typeof laptop === 'object' ? (r.what === TRAIN ? laptop.train_gflop_per_pair : laptop.forward_gflop_per_pair) : undefined;
    if (gflop !== undefined && Number.isFinite(tfjsGflops)) {
      const x = r.median / (1000 * gflop / tfjsGflops);
      t(`laptop ${r.what}, batch ${B}: time / FLOP floor (${gflop.toFixed(2)} GFLOP / pair at ${tfjsGflops.toFixed(0)} GFLOP/s)`, x, 1, 'x', '<= 3', x <= 3);
    }
  }
  for (const r of rows.filter((x) => x.config === 'paper' && x.what === TRAIN && x.batch === 2)) {
    t('paper training step, batch 2: peak RSS of the process so far', r.rssMiB / 1024, 1, 'GiB', '<= 8', r.rssMiB <= 8 * 1024);
  }
}

/**
 * Matches as a trained matcher gives them: each in-frustum point with the centre of the cell
 * its true projection falls in, a share `outliers` of them with a random cell instead.
 * @returns points3d [n * 3] metres, perturbed frame; pixels [n * 2] cell centres, input pixels
 */
function realisticMatches(pair: SyntheticPair, stride: number, outliers: number): { points3d: Float32Array; pixels: Float64Array } {
  const rng = createRng(7), T = pair.camFromPoints, K = pair.K, idx: number[] = [];
  pair.inFrustum.forEach((f, i) => { if (f) idx.push(i); });
  const gw = Math.ceil(pair.width / stride), gh = Math.ceil(pair.height / stride), half = (stride - 1) / 2;
  const points3d = new Float32Array(3 * idx.length), pixels = new Float64Array(2 * idx.length);
  idx.forEach((i, k) => {
    const [x, y, z] = pair.points.subarray(3 * i, 3 * i + 3);
    const xc = T[0] * x + T[1] * y + T[2] * z + T[3], yc = T[4] * x + T[5] * y + T[6] * z + T[7], zc = T[8] * x + T[9] * y + T[10] * z + T[11];
    let col = Math.min(gw - 1, Math.floor((K[0] * xc / zc + K[2] + 0.5) / stride)), row = Math.min(gh - 1, Math.floor((K[4] * yc / zc + K[5] + 0.5) / stride));
    if (rng.next() < outliers) { col = rng.int(gw); row = rng.int(gh); }
    points3d.set([x, y, z], 3 * k);
    pixels.set([stride * col + half, stride * row + half], 2 * k);
  });
  return { points3d, pixels };
}

/** Baseline rows (batch 1, as it runs): the network alone, predictExplicit end to end, the solver alone on trained-like matches. */
async function baselineRows(name: Preset): Promise<void> {
  const model = createExplicitBaseline(EXPLICIT_BASELINE_PRESETS[name]), pair = syntheticPair(model.config.registration, 1000);
  const N = pair.points.length / 3, inside = pair.inFrustum.reduce((a, b) => a + b, 0);
  const image = tf.tensor4d(pair.image, [1, pair.height, pair.width, 3]), points = tf.tensor3d(pair.points, [1, N, 3]);
  const logits = Float32Array.from(tf.tidy(() => model.forward(image, points, false).inFrustumLogits.dataSync()) as Float32Array).sort();
  const thrLogit = logits[Math.max(0, N - inside - 1)], inFrustumThreshold = 1 / (1 + Math.exp(-thrLogit));
  await timeRow(name, 'baseline network forward (eval)', 1, () => {
    const out = model.forward(image, points, false);
    out.inFrustumLogits.dataSync();
    tf.dispose(out as unknown as Record<string, Tensor>);
  });
  let last: ExplicitPrediction | undefined;
  await timeRow(name, 'baseline end to end: forward + matching + EPnP-RANSAC', 1, async () => { last = await predictExplicit(model, pair, { inFrustumThreshold }); },
    `${inside} of ${N} points in the frustum`);
  rows[rows.length - 1].note += `; ${last!.matches} matches, ${last!.inliers} inliers, ok ${last!.ok}: untrained descriptors, degenerate matches, RANSAC stops early`;
  const m = realisticMatches(pair, model.gridStride, 0.7), cfg = model.config;
  let r: PnpRansacResult | undefined;
  await timeRow(name, 'baseline EPnP-RANSAC alone, trained-like matches', 1, async () => {
    r = await solvePnpRansac(m.points3d, m.pixels, pair.K, { iterations: cfg.ransacIterations, reprojectionErrorPx: cfg.reprojectionErrorGridPx * model.gridStride, minInliers: cfg.minInliers });
  });
  rows[rows.length - 1].note += `; ${m.points3d.length / 3} matches, 70 % outliers, ${r!.inliers.length} inliers, ok ${r!.ok}, ${cfg.ransacIterations} iterations`;
  tf.dispose([image, points]);
  model.dispose();
}

const load = os.loadavg();
const t0 = performance.now();
const cvT0 = performance.now();
if (WHAT.includes('baseline')) await loadOpenCv();
const cvMs = performance.now() - cvT0;
console.log(`# registration bench\n`);
console.log(`- CPU: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores; load average at start ${load.map((x) => x.toFixed(2)).join(' / ')} (1 / 5 / 15 min)`);
console.log(`- tfjs backend: ${tf.getBackend()} (tfjs ${tf.version.tfjs}); Node ${process.version}; OpenCV.js load ${cvMs.toFixed(0)} ms`);
console.log(`- up to ${RUNS} timed runs per row after 1 profiled warm-up, or fewer past ${ROW_BUDGET_MS / 1000} s of runs (see notes); presets ${ONLY.join(', ')}; rows ${WHAT.join(', ')}`);
const convGflops = WHAT.includes('forward') || WHAT.includes('train') ? tfjsConvGflops() : NaN;
console.log(`- tfjs 3x3 conv 64 -> 64 on 64 x 256, batch 4: ${convGflops.toFixed(1)} GFLOP/s; PyTorch: ${process.env.I2P_BENCH_TORCH === '0' ? 'skipped (I2P_BENCH_TORCH=0)' : `bench/torch_registration.py, ${TORCH_THREADS} threads, after each preset's tfjs rows`}`);
for (const name of (['laptop', 'paper'] as const).filter((p) => ONLY.includes(p))) {
  const bs = BENCH_REGISTRATION_PRESETS[name].batchSize, batches = BATCHES ?? [1, bs];
  const fwd = WHAT.includes('forward') ? batches : [], train = WHAT.includes('train') ? (name === 'paper' ? PAPER_TRAIN_BATCHES : batches) : [];
  if (fwd.length) await forwardRows(name, fwd);
  if (train.length) await trainRows(name, train, name === 'paper' && !PAPER_TRAIN_BATCHES.includes(bs) ? PAPER_TRAIN_NOTE : '');
  if (fwd.length + train.length) torchRows(name, fwd, train);
  if (WHAT.includes('baseline')) await baselineRows(name);
}
console.log(`- load average at end ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')}; total ${((performance.now() - t0) / 1000).toFixed(0)} s; tf.memory() at end: ${tf.memory().numTensors} tensors, ${(tf.memory().numBytes / MiB).toFixed(1)} MiB\n`);
console.log('| config | what | batch | ms / pair median | ms / pair min | PyTorch ms / pair | tfjs / PyTorch | peak RSS MiB | tf peak MiB | notes |');
console.log('|:--|:--|--:|--:|--:|--:|--:|--:|--:|:--|');
for (const r of rows) {
  const torch = r.torchMs === undefined ? ['-', '-'] : [r.torchMs.toFixed(1), (r.median / r.torchMs).toFixed(2)];
  console.log(`| ${r.config} | ${r.what} | ${r.batch} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)} | ${torch.join(' | ')} | ${r.rssMiB.toFixed(0)} | ${Number.isFinite(r.tfPeakMiB) ? r.tfPeakMiB.toFixed(0) : '-'} | ${r.note} |`);
}
targetLines(convGflops);
const notes = torchNotes(convGflops);
if (notes.length) console.log(`\n${notes.join('\n')}`);
