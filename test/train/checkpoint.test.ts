import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tf, type Tensor, type Variable } from '../../src/core/tf.js';
import { InputError } from '../../src/core/errors.js';
import { writeSafetensors, type SafetensorsInput } from '../../src/nn/safetensors.js';
import { createAdam } from '../../src/train/adam.js';
import { flattenTensors } from '../../src/train/flat-layout.js';
import { loadCheckpoint, momentFileOrder, readCheckpointState, saveCheckpoint } from '../../src/train/checkpoint.js';
import { readRunCheckpoint } from '../../src/train/run-folder.js';
import { exportModelFolder } from '../../src/train/export-model.js';
import { readSafetensors } from '../../src/nn/safetensors.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'train-checkpoint-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SHAPES = [[2, 3], [3], [4, 1], [2]];
/** A model of four variables: two named, two unnamed (tfjs names those '0', '17', ...: integer-like keys). */
function model(): { variables: Map<string, Variable>; list: Variable[] } {
  const list = SHAPES.map((s, i) => {
    const init = tf.tensor(Array.from({ length: s.reduce((a, b) => a * b, 1) }, (_, k) => Math.sin(3 * i + k)), s);
    const v = i % 2 === 0 ? tf.variable(init, true, `ckpt-test.${i}.${Math.random()}`) : tf.variable(init);
    init.dispose();
    return v;
  });
  return { variables: new Map(list.map((v, i) => [`p${i}`, v])), list };
}
const grads = (k: number): Tensor[] => SHAPES.map((s, i) => tf.randomNormal(s, 0, 1, 'float32', 10 * k + i));
const values = (vs: Variable[]): number[][] => vs.map((v) => Array.from(v.dataSync()));

/** The checkpoint writer of the trainers before src/train/adam.ts (tf.train.adam's getWeights order). */
async function saveOldFormat(runDir: string, m: ReturnType<typeof model>, opt: ReturnType<typeof tf.train.adam>, step: number): Promise<void> {
  const tensors: Record<string, SafetensorsInput> = {};
  for (const [name, v] of m.variables) tensors[name] = { dtype: 'F32', shape: [...v.shape], data: v.dataSync() as Float32Array };
  const w = await opt.getWeights(); // [iter, m_0..m_n, v_0..v_n]
  const iterations = w[0].tensor.dataSync()[0];
  const half = (w.length - 1) / 2;
  w.slice(1).forEach((x, i) => { tensors[`adam.${i < half ? 'm' : 'v'}.${i % half}`] = { dtype: 'F32', shape: [...x.tensor.shape], data: x.tensor.dataSync() as Float32Array }; });
  const acc = opt as unknown as { accBeta1: Variable; accBeta2: Variable };
  tensors['adam.accBeta1'] = { dtype: 'F32', shape: [], data: acc.accBeta1.dataSync() as Float32Array };
  tensors['adam.accBeta2'] = { dtype: 'F32', shape: [], data: acc.accBeta2.dataSync() as Float32Array };
  fs.mkdirSync(path.join(runDir, 'checkpoints'), { recursive: true });
  writeSafetensors(path.join(runDir, 'checkpoints', 'old.safetensors'), tensors);
  const json = { config: {}, epoch: 0, stepInEpoch: step, step, lastLoss: 1, weights: 'checkpoints/old.safetensors', optimizerIterations: iterations, rng: { seed: 0, scheme: 'seed-epoch-step' } };
  fs.writeFileSync(path.join(runDir, 'checkpoint.json'), JSON.stringify(json));
}

describe('checkpoints', () => {
  it("momentFileOrder: tf.train.adam's order, integer-like names first (ascending), then the rest as listed", () => {
    assert.deepEqual(momentFileOrder([{ name: 'b' }, { name: '3' }, { name: 'a' }, { name: '1' }]), [3, 1, 0, 2]);
    assert.deepEqual(momentFileOrder([{ name: 'x/0' }, { name: 'y' }]), [0, 1]);
  });

  it('a run folder written with tf.train.adam resumes bit for bit under the flat Adam', async () => {
    const old = model(), run = path.join(tmp, 'old');
    const ref = tf.train.adam(1e-2);
    const tfStep = (k: number): void => { const g = grads(k); ref.applyGradients(Object.fromEntries(old.list.map((v, i) => [v.name, g[i]])) as never); tf.dispose(g); };
    for (let k = 0; k < 3; k++) tfStep(k);
    await saveOldFormat(run, old, ref, 3);
    for (let k = 3; k < 6; k++) tfStep(k); // the uninterrupted run
    const resumed = model();
    const opt = createAdam(resumed.list, { learningRate: 1e-2 });
    await loadCheckpoint(run, readCheckpointState(run)!, resumed, opt);
    assert.equal(opt.iterations, 3);
    for (let k = 3; k < 6; k++) { const g = grads(k), fg = flattenTensors(g); opt.update(fg); tf.dispose([...g, fg]); }
    assert.deepEqual(values(resumed.list), values(old.list));
    ref.dispose(); opt.dispose(); tf.dispose([...old.list, ...resumed.list]);
  });

  it('save then load continues bit for bit; before the first step no moments are written', async () => {
    const a = model(), b = model(), run = path.join(tmp, 'new');
    const optA = createAdam(a.list, { learningRate: 1e-2 });
    const step = (opt: typeof optA, k: number): void => { const g = grads(k), fg = flattenTensors(g); opt.update(fg); tf.dispose([...g, fg]); };
    const st0 = await saveCheckpoint(run, a, optA, { config: { x: 1 }, epoch: 0, stepInEpoch: 0, step: 0, lastLoss: null }, 7);
    assert.deepEqual([st0.optimizerIterations, st0.rng.seed, st0.weights], [0, 7, path.join('checkpoints', 'step-00000000.safetensors')]);
    for (let k = 0; k < 2; k++) step(optA, k);
    const st = await saveCheckpoint(run, a, optA, { config: { x: 1 }, epoch: 0, stepInEpoch: 2, step: 2, lastLoss: 0.5 }, 7);
    assert.deepEqual(fs.readdirSync(path.join(run, 'checkpoints')), ['step-00000002.safetensors'], 'older files removed, no .tmp left');
    const optB = createAdam(b.list, { learningRate: 1e-2 });
    await loadCheckpoint(run, st, b, optB);
    for (let k = 2; k < 4; k++) { step(optA, k); step(optB, k); }
    assert.deepEqual(values(b.list), values(a.list));
    optA.dispose(); optB.dispose(); tf.dispose([...a.list, ...b.list]);
  });

  it('a missing or mis-shaped Adam moment is an InputError naming the file and tensor', async () => {
    const a = model(), run = path.join(tmp, 'bad');
    const opt = createAdam(a.list, { learningRate: 1e-2 });
    const g = grads(0), fg = flattenTensors(g);
    opt.update(fg);
    const st = await saveCheckpoint(run, a, opt, { config: {}, epoch: 0, stepInEpoch: 1, step: 1, lastLoss: 1 }, 0);
    const other = createAdam(a.list.slice(1), { learningRate: 1e-2 }); // a different variable list: the moments have other shapes
    await assert.rejects(loadCheckpoint(run, st, a, other), (e: unknown) => e instanceof InputError && /tensor 'adam\.m\.\d+'/.test(e.message) && /expected shape/.test(e.message));
    tf.dispose([...g, fg, ...a.list]); opt.dispose(); other.dispose();
  });

  it('readRunCheckpoint names the option when the checkpoint it needs is missing', () => {
    assert.equal(readRunCheckpoint(path.join(tmp, 'none'), false), null);
    assert.throws(() => readRunCheckpoint(path.join(tmp, 'none'), true), new RegExp(`^Error: resume: no checkpoint\\.json in ${path.join(tmp, 'none').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
    assert.throws(() => readRunCheckpoint(path.join(tmp, 'none'), true, 'initFrom'), /^Error: initFrom: no checkpoint\.json in /);
  });
});

describe('snapshots and their weight average', () => {
  it('keepEverySteps keeps the files of its multiples; export-model --average writes their element-wise mean', async () => {
    const m = model(), run = path.join(tmp, 'keep');
    const opt = createAdam(m.list, { learningRate: 1e-2 });
    const snapshot: number[][][] = [];
    for (let step = 1; step <= 6; step++) {
      const g = grads(step), fg = flattenTensors(g); opt.update(fg); tf.dispose([...g, fg]);
      await saveCheckpoint(run, m, opt, { config: {}, epoch: 0, stepInEpoch: step, step, lastLoss: 1 }, 0, 2);
      snapshot.push(values(m.list));
    }
    const files = fs.readdirSync(path.join(run, 'checkpoints')).sort();
    assert.deepEqual(files, ['step-00000002.safetensors', 'step-00000004.safetensors', 'step-00000006.safetensors']);
    const kept = files.map((f) => path.join(run, 'checkpoints', f));
    const out = path.join(tmp, 'keep-avg');
    exportModelFolder(run, out, 'F32', kept);
    const avg = readSafetensors(path.join(out, 'weights.safetensors'));
    assert.equal(avg.metadata.averagedSteps, '2,4,6');
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'checkpoint.json'), 'utf8')).averagedSteps, ['2', '4', '6']);
    assert.ok(![...avg.tensors.keys()].some((n) => n.startsWith('adam.')), 'weights only');
    m.list.forEach((_, i) => {
      const mean = snapshot[1][i].map((_, k) => Math.fround((snapshot[1][i][k] + snapshot[3][i][k] + snapshot[5][i][k]) / 3)); // steps 2, 4, 6 (float32 values, summed in float64)
      assert.deepEqual(Array.from(avg.tensors.get(`p${i}`)!.data as Float32Array), mean, `p${i}`);
    });
    const plain = path.join(tmp, 'keep-plain');
    exportModelFolder(run, plain, 'F32');
    assert.deepEqual(Array.from(readSafetensors(path.join(plain, 'weights.safetensors')).tensors.get('p0')!.data as Float32Array), snapshot[5][0], 'without --average: the latest checkpoint');
    // a file without one of the run's variables is named with the tensor
    writeSafetensors(path.join(tmp, 'partial.safetensors'), { p0: { dtype: 'F32', shape: [2, 3], data: new Float32Array(6) } });
    assert.throws(() => exportModelFolder(run, path.join(tmp, 'bad'), 'F32', [kept[0], path.join(tmp, 'partial.safetensors')]), (e: unknown) => e instanceof InputError && /partial\.safetensors.*no tensor 'p1'/.test(e.message));
    writeSafetensors(path.join(tmp, 'wide.safetensors'), Object.fromEntries(SHAPES.map((sh, i) => [`p${i}`, { dtype: 'F32' as const, shape: i === 2 ? [5, 1] : sh, data: new Float32Array(i === 2 ? 5 : sh.reduce((a, b) => a * b, 1)) }])));
    assert.throws(() => exportModelFolder(run, path.join(tmp, 'bad2'), 'F32', [path.join(tmp, 'wide.safetensors')]), (e: unknown) => e instanceof InputError && /tensor 'p2' has shape \[5, 1\], expected \[4, 1\]/.test(e.message));
    opt.dispose(); m.list.forEach((v) => v.dispose());
  });
});
