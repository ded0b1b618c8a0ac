/**
 * Where a training step's time and memory go: per target, one profiled training step split
 * into forward (model + loss), backward (tfjs's gradient tape) and the Adam update, with
 * - the time by tfjs kernel (TensorFlow's C++ kernels, as tf.profile times them: each kernel
 *   call is synchronous on tfjs-node, so its time is the kernel's own),
 * - the time outside kernels (wall time of an unprofiled step minus the kernels' sum: JS work
 *   such as FPS, kNN, gathers prepared on typed arrays, readbacks, tfjs's bookkeeping), and,
 *   with I2P_PROFILE_JS=1, the JS functions that take it (V8's sampling profiler over the timed
 *   steps, self time). Off by default: V8's sampling profiler running in the same process as
 *   TensorFlow's native kernels corrupted the heap here (5 of 8 runs died with "corrupted size
 *   vs. prev_size" or SIGSEGV; 0 of 6 without it, 0 of 60 training runs of the same steps).
 * - the number of kernels dispatched, the forward outputs that take the most bytes, and
 * - the tensor bytes alive when the forward pass ends (inside tf.variableGrads: what tfjs
 *   keeps for the backward pass, weights and Adam moments excluded).
 *
 * The step is forward + loss inside tf.variableGrads, then the library's flat Adam update
 * (src/train/adam.ts: the gradients joined into one vector, one update): what the trainers'
 * adamStep (src/train/adam-step.ts) does, less its readback of the loss terms.
 * Targets:
 * - `modalink-laptop`, `modalink-paper`: the shared ModaLink encoder (src/nn/resnet.ts) at
 *   batch 4 with a dummy loss, as bench/modalink-encoder.bench.ts times it.
 * - `registration-laptop` (batch 4), `registration-paper` (batch 1, ~9 GiB): the ICL model,
 *   stage 'joint', on the seeded synthetic pairs of bench/lib/registration-inputs.ts.
 *
 * Run: npm run profile -- [target ...]   (default: modalink-laptop registration-laptop)
 * Env: I2P_PROFILE_RUNS timed unprofiled steps (default 3); I2P_PROFILE_TOP rows per table
 *   (default 15); I2P_PROFILE_JS=1 adds the JS functions' table (may crash, see above);
 *   I2P_BACKEND as everywhere.
 */
import { Session } from 'node:inspector';
import os from 'node:os';
import { tf } from '../src/core/tf.js';
import { backendInfo } from '../src/core/backend.js';
import { TARGETS, type Target } from './lib/train-targets.js';
import { createAdam, type Adam } from '../src/train/adam.js';
import { flattenTensors } from '../src/train/flat-layout.js';
import { median } from './timing.js';

const RUNS = Math.max(1, Number(process.env.I2P_PROFILE_RUNS ?? 3));
const TOP = Math.max(1, Number(process.env.I2P_PROFILE_TOP ?? 15));
const MiB = 1024 * 1024;

type Phase = 'forward' | 'backward' | 'adam';
interface KernelRow { name: string; phase: Phase; count: number; ms: number }

/** One step; `mark` is called when the forward pass ends and when the gradients are done. */
function step(t: Target, optimizer: Adam, mark: (p: 'forwardEnd' | 'backwardEnd') => void): void {
  const { value, grads } = tf.variableGrads(() => { const l = t.loss(); mark('forwardEnd'); return l; }, t.vars);
  mark('backwardEnd');
  const list = optimizer.variables.map((v) => grads[v.name] ?? null);
  const flat = tf.tidy(() => flattenTensors(list.map((g, i) => g ?? tf.zeros([optimizer.layout.sizes[i]]))));
  optimizer.update(flat, { live: list.map((g) => g !== null) });
  value.dataSync();
  tf.dispose([value, flat, ...Object.values(grads)]);
}

/** Self time (ms) per JS function over the timed steps, from V8's sampling profiler. */
async function jsProfile(run: () => void): Promise<{ fn: string; ms: number }[]> {
  if (process.env.I2P_PROFILE_JS !== '1') { run(); return []; }
  const s = new Session();
  s.connect();
  const post = <T>(m: string, p?: object) => new Promise<T>((res, rej) => s.post(m, p ?? {}, (e, r) => (e ? rej(e) : res(r as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  run();
  const { profile } = await post<{ profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] } }>('Profiler.stop');
  s.disconnect();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const file = f.url.replace(/^.*\/(node_modules\/|src\/|bench\/)/, '$1');
    const key = f.url ? `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}` : f.functionName;
    ms.set(key, (ms.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...ms].map(([fn, t]) => ({ fn, ms: t })).sort((a, b) => b.ms - a.ms);
}

async function profileTarget(key: string): Promise<void> {
  const t = TARGETS[key]();
  const optimizer = createAdam(t.vars, { learningRate: 1e-4 });
  step(t, optimizer, () => {}); // warm-up: creates Adam's moments and TF's kernel caches
  // profiled step, with the phase boundaries and the bytes alive at the end of the forward pass
  const engine = tf.engine() as unknown as { state: { activeProfile: { kernels: unknown[] } } };
  const at: Record<string, number> = {};
  let keptBytes = 0;
  const bytes0 = tf.memory().numBytes;
  const prof = await tf.profile(() => step(t, optimizer, (p) => {
    at[p] = engine.state.activeProfile.kernels.length;
    if (p === 'forwardEnd') keptBytes = tf.memory().numBytes - bytes0;
  }));
  const rows = new Map<string, KernelRow>(), outputs = new Map<string, { count: number; bytes: number }>();
  const phaseMs: Record<Phase, number> = { forward: 0, backward: 0, adam: 0 }, phaseOps: Record<Phase, number> = { forward: 0, backward: 0, adam: 0 };
  let customOps = 0;
  for (const [i, k] of prof.kernels.entries()) {
    const phase: Phase = i < at.forwardEnd ? 'forward' : i < at.backwardEnd ? 'backward' : 'adam';
    const ms = await k.kernelTimeMs as number;
    // tf.customGrad ops are recorded as 'unnamed scope' around the kernels they run: counted once, below
    if (k.name === 'unnamed scope') { customOps++; continue; }
    const r = rows.get(`${phase}/${k.name}`) ?? { name: k.name, phase, count: 0, ms: 0 };
    r.count++; r.ms += ms; rows.set(`${phase}/${k.name}`, r);
    phaseMs[phase] += ms; phaseOps[phase]++;
    if (phase === 'forward') for (const shape of k.outputShapes) {
      const key = `${k.name} [${shape.join(', ')}]`, o = outputs.get(key) ?? { count: 0, bytes: 0 };
      o.count++; o.bytes += 4 * shape.reduce((a: number, b: number) => a * b, 1); outputs.set(key, o);
    }
  }
  // unprofiled steps: wall time, and the JS functions' self time over them
  const walls: number[] = [];
  const js = await jsProfile(() => {
    for (let i = 0; i < RUNS; i++) { const a = performance.now(); step(t, optimizer, () => {}); walls.push(performance.now() - a); }
  });
  const wall = median(walls), kernelMs = phaseMs.forward + phaseMs.backward + phaseMs.adam;
  console.log(`\n## ${t.name}, batch ${t.batch}\n`);
  console.log(`- step: ${wall.toFixed(1)} ms median of ${RUNS} unprofiled (${(wall / t.batch).toFixed(1)} ms / item); TF kernels ${kernelMs.toFixed(1)} ms (profiled step); outside kernels ~${(wall - kernelMs).toFixed(1)} ms (${(100 * (wall - kernelMs) / wall).toFixed(0)} %)`);
  console.log(`- kernels dispatched: ${prof.kernels.length - customOps} (forward ${phaseOps.forward}, backward ${phaseOps.backward}, Adam ${phaseOps.adam} for ${t.vars.length} variables), inside ${customOps} tf.customGrad ops and around them`);
  console.log(`- kernel time by phase: forward ${phaseMs.forward.toFixed(1)} ms, backward ${phaseMs.backward.toFixed(1)} ms, Adam ${phaseMs.adam.toFixed(1)} ms`);
  console.log(`- tensor bytes alive at the end of the forward pass (kept for backward): ${(keptBytes / MiB).toFixed(1)} MiB; tf peak during the step ${((prof.peakBytes) / MiB).toFixed(1)} MiB above ${(bytes0 / MiB).toFixed(1)} MiB of weights, moments and inputs`);
  console.log(`\n| kernel | phase | calls | ms | % of kernel time |\n|---|---|---|---|---|`);
  for (const r of [...rows.values()].sort((a, b) => b.ms - a.ms).slice(0, TOP)) {
    console.log(`| ${r.name} | ${r.phase} | ${r.count} | ${r.ms.toFixed(2)} | ${(100 * r.ms / kernelMs).toFixed(1)} |`);
  }
  console.log(`\n| forward output (kernel, shape) | calls | MiB made (upper bound on what is kept) |\n|---|---|---|`);
  for (const [key, o] of [...outputs].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, TOP)) console.log(`| ${key} | ${o.count} | ${(o.bytes / MiB).toFixed(1)} |`);
  const jsTotal = js.reduce((s, r) => s + r.ms, 0);
  if (js.length) console.log(`\n| JS function (self time over ${RUNS} steps) | ms / step | % of wall |\n|---|---|---|`);
  if (!js.length) console.log('\n(JS functions: run with I2P_PROFILE_JS=1; see the file note)');
  for (const r of js.slice(0, TOP)) console.log(`| ${r.fn.replace(/\|/g, '\\|')} | ${(r.ms / RUNS).toFixed(2)} | ${(100 * r.ms / jsTotal).toFixed(1)} |`);
  optimizer.dispose();
  t.dispose();
}

const keys = process.argv.slice(2).length ? process.argv.slice(2) : ['modalink-laptop', 'registration-laptop'];
for (const k of keys) if (!TARGETS[k]) throw new Error(`profile: unknown target '${k}'; known targets: ${Object.keys(TARGETS).join(', ')}`);
const b = backendInfo();
console.log(`# Training-step profile\n\n- ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}; node ${process.version}; backend ${b.kind}${b.guards?.length ? ` (guards: ${b.guards.join(', ')})` : ''}`);
for (const k of keys) await profileTarget(k);
