import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tf, type Tensor4D } from '../../src/core/tf.js';
import { ConfigError, InputError } from '../../src/core/errors.js';
import { MODALINK_PRESETS, loadModaLinkConfig, validateModaLinkConfig, type ModaLinkConfig } from '../../src/modalink/config.js';
import { createModaLinkModel } from '../../src/modalink/model.js';
import { createSequenceView, cropTopRows } from '../../src/modalink/data.js';
import { NonFiniteLossError, jitterImages, jitteredDepths, storedTrainRoots, trainModaLink } from '../../src/modalink/train.js';
import { rotateRangeImage } from '../../src/geometry/depth-image.js';
import { rotationFromAxisAngle } from '../../src/geometry/so3.js';
import { createRng } from '../../src/core/rng.js';
import { generateSynthetic, loadPreset } from '../../src/data/synthetic/index.js';
import { readCheckpointState, writeFileAtomic } from '../../src/train/checkpoint.js';
import { chanceRecall, evaluateRun, loadModaLinkRun, recallFromDescriptors } from '../../src/modalink/evaluate.js';
import { computeRecall, rankByDistance } from '../../src/metrics/recall.js';
import { groundDistanceMatrix } from '../../src/modalink/ground-distance.js';
import { readSafetensors, writeSafetensors } from '../../src/nn/safetensors.js';
import { torchvisionStateDict } from '../helpers/torchvision-state-dict.js';
import { makeTinyDataset } from '../helpers/tiny-dataset.js';

/** The laptop preset at a tiny input size, for speed. */
const SMALL: Partial<ModaLinkConfig> = {
  ...MODALINK_PRESETS.laptop, inputHeightPx: 32, inputWidthPx: 64, netvladClusters: 4, nmfFactors: 4, nmfIterations: 3,
  negatives: 1, positiveThresholdM: 0.1, negativeThresholdM: 0.5, batchSize: 2, kmeansFrames: 3, checkpointEverySteps: 1,
  depthCompletion: false, epochs: 3,
};

let root = '';
let tmp = '';
before(async () => { ({ tmp, root } = await makeTinyDataset('modalink-test-')); });
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('modalink config', () => {
  it('validates presets and names a bad field', () => {
    assert.equal(validateModaLinkConfig({}, MODALINK_PRESETS.laptop).inputWidthPx, 320);
    assert.throws(() => validateModaLinkConfig({ nmfFactors: 0 }), (e: unknown) => e instanceof ConfigError && e.field === 'modalink.nmfFactors');
    assert.throws(() => validateModaLinkConfig({ bogus: 1 } as never), (e: unknown) => e instanceof ConfigError && e.field === 'modalink.bogus');
    const f = path.join(tmp, 'c.json');
    fs.writeFileSync(f, JSON.stringify({ extends: 'laptop', negatives: 3 }));
    const c = loadModaLinkConfig(f);
    assert.equal(c.negatives, 3);
    assert.equal(c.encoderPreset, 'laptop');
  });
});

describe('modalink model', () => {
  it('gives unit-norm parts of the documented sizes and leaks nothing', () => {
    const m = createModaLinkModel({ ...SMALL, mlpBranch: true });
    const x = tf.randomUniform([2, 32, 64, 3], 0, 1, 'float32', 1) as Tensor4D;
    const dx = tf.randomUniform([2, 32, 64, 1], 0, 1, 'float32', 2) as Tensor4D;
    m.initNetVlad(x, dx);
    const before = tf.memory().numTensors;
    const d = m.describe(x), dd = m.describeDepth(dx);
    assert.equal(m.descriptorSize, 4 * (128 + 4 + 4));
    assert.deepEqual(d.shape, [2, m.descriptorSize]);
    assert.deepEqual(dd.shape, [2, m.descriptorSize]);
    const v = d.arraySync() as number[][];
    for (const row of v) {
      for (const [a, b] of [[0, 512], [512, 528], [528, 544]]) {
        const n = Math.hypot(...row.slice(a, b));
        assert.ok(Math.abs(n - 1) < 1e-4, `part [${a}, ${b}) norm ${n}`);
      }
    }
    tf.dispose([d, dd]);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, dx]);
    m.dispose();
  });
});

describe('modalink data view', () => {
  it('crops, resizes and normalises', () => {
    assert.equal(cropTopRows(165, 1241), 165);
    assert.equal(cropTopRows(165, 310), 41);
    const c = validateModaLinkConfig({ ...SMALL, depthCompletion: true });
    const v = createSequenceView(root, 0, c, { cacheDir: path.join(tmp, 'cache') });
    assert.equal(v.frames.length, 3);
    assert.equal(v.cropTop, 41);
    const img = v.image(0), dep = v.depth(1);
    assert.equal(img.length, 32 * 64 * 3);
    assert.equal(dep.length, 32 * 64);
    assert.ok(img.every((p) => p >= 0 && p <= 1));
    assert.ok(dep.every((p) => p >= 0 && p <= 1));
    assert.ok(dep.filter((p) => p > 0).length > 0.3 * dep.length, 'completed depth fills the image');
    assert.equal(v.packed, false);
    assert.ok(v.precompute() > 0);
    assert.deepEqual(fs.readdirSync(path.join(tmp, 'cache')).length, 1, 'one packed folder');
    const w = createSequenceView(root, 0, c, { cacheDir: path.join(tmp, 'cache') });
    assert.equal(w.packed, true, 'a second view loads the packed cache');
    assert.equal(w.precompute(), 0);
    assert.deepEqual(Array.from(w.image(0)), Array.from(img), 'cached image equals computed image');
    assert.deepEqual(Array.from(w.depth(1)), Array.from(dep), 'cached depth equals computed depth');
    const t = v.depths([0, 2]);
    assert.deepEqual(t.shape, [2, 32, 64, 1]);
    t.dispose();
    assert.equal(v.positionsXZ[0], 0);
  });
});

async function weights(run: string, opts: Parameters<typeof trainModaLink>[0]): Promise<Map<string, Float32Array>> {
  const r = await trainModaLink({ ...opts, runDir: run });
  const out = new Map([...r.model.variables].map(([k, v]) => [k, v.dataSync() as Float32Array]));
  r.model.dispose();
  return out;
}

describe('modalink training', () => {
  it('one step changes the weights and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const run = path.join(tmp, 'step');
    const r = await trainModaLink({ dataRoot: root, runDir: run, config: SMALL, maxSteps: 1, progress: 'none' });
    const after1 = new Map([...r.model.variables].map(([k, v]) => [k, v.dataSync().slice()]));
    r.model.dispose();
    assert.equal(tf.memory().numTensors, before);
    const st = readCheckpointState(run)!;
    assert.equal(st.step, 1);
    // loadModaLinkRun (what `i2p modalink eval` and notebooks 02-03 use) gives these weights back
    const loaded = await loadModaLinkRun(run);
    assert.equal(loaded.steps, 1);
    for (const [k, v] of loaded.model.variables) assert.deepEqual(Array.from(v.dataSync()), Array.from(after1.get(k)!), k);
    loaded.model.dispose();
    assert.equal(tf.memory().numTensors, before);
    await assert.rejects(loadModaLinkRun(path.join(tmp, 'no-run')), (e: unknown) => e instanceof InputError && e.where === path.join(tmp, 'no-run', 'checkpoint.json'));
    // the step-0 weights differ from step 1: resume from a fresh run with 0 steps
    const r0 = await trainModaLink({ dataRoot: root, runDir: path.join(tmp, 'step0'), config: SMALL, maxSteps: 0, progress: 'none' });
    const w = r0.model.variables.get('encoder.conv1.weight')!.dataSync();
    assert.notDeepEqual(Array.from(w), Array.from(after1.get('encoder.conv1.weight')!));
    r0.model.dispose();
    assert.equal(fs.readdirSync(path.join(run, 'checkpoints')).filter((f) => f.endsWith('.tmp')).length, 0);
  });

  it('pretrainedEncoder: a torchvision state dict (written here) starts every encoder; a mismatched one names the tensor', async () => {
    const sd = torchvisionStateDict([32, 64, 128], 21); // the laptop encoder: one BasicBlock per layer, widths 32-64-128
    const file = path.join(tmp, 'resnet-laptop.safetensors');
    writeSafetensors(file, sd);
    const want = Array.from(sd['layer2.0.downsample.0.weight'].data as ArrayLike<number>); // OIHW [64, 32, 1, 1]
    const runningMean = Array.from(sd['layer3.0.bn2.running_mean'].data as ArrayLike<number>);
    for (const shared of [true, false]) {
      const r = await trainModaLink({ dataRoot: root, runDir: path.join(tmp, `pre-${shared}`), config: { ...SMALL, sharedEncoder: shared, pretrainedEncoder: file }, maxSteps: 0, progress: 'none' });
      const prefixes = shared ? ['encoder'] : ['imageEncoder', 'depthEncoder'];
      for (const p of prefixes) {
        const w = r.model.variables.get(`${p}.layer2.0.downsample.0.weight`)!.arraySync() as number[][][][]; // HWIO [1, 1, 32, 64]
        assert.equal(w[0][0][5][7], Math.fround(want[7 * 32 + 5]), `${p}: OIHW [7, 5] -> HWIO [0, 0, 5, 7]`);
        assert.deepEqual(Array.from(r.model.variables.get(`${p}.layer3.0.bn2.running_mean`)!.dataSync()), runningMean.map(Math.fround));
      }
      r.model.dispose();
    }
    const narrow = path.join(tmp, 'resnet-narrow.safetensors');
    writeSafetensors(narrow, torchvisionStateDict([16, 32, 64], 22));
    await assert.rejects(trainModaLink({ dataRoot: root, runDir: path.join(tmp, 'pre-bad'), config: { ...SMALL, pretrainedEncoder: narrow }, maxSteps: 0, progress: 'none' }),
      (e: unknown) => e instanceof Error && e.message.includes(narrow) && /tensor 'conv1\.weight'/.test(e.message) && /expected shape \[32, 3, 7, 7\]/.test(e.message));
    assert.throws(() => validateModaLinkConfig({ pretrainedEncoder: '' }), (e: unknown) => e instanceof ConfigError && e.field === 'modalink.pretrainedEncoder');
  });

  it('resume continues exactly', async () => {
    const base = { dataRoot: root, config: SMALL, progress: 'none' as const };
    const a = await weights(path.join(tmp, 'a'), { ...base, runDir: '', maxSteps: 2 });
    await weights(path.join(tmp, 'b'), { ...base, runDir: '', maxSteps: 1 });
    const b = await weights(path.join(tmp, 'b'), { ...base, runDir: '', maxSteps: 2, resume: true });
    for (const [k, v] of a) assert.deepEqual(Array.from(b.get(k)!), Array.from(v), k);
  });

  it('hard negatives: mined at each epoch start and saved; a resume inside the epoch reloads them and continues exactly', async () => {
    // batch 1 over drive 00's three frames: three steps an epoch; a pool of 2 (both other frames lie beyond 0.5 m)
    const cfg = { ...SMALL, batchSize: 1, hardNegatives: 1, hardNegativePool: 2 };
    const mined: { epoch: number; reloaded: boolean }[] = [];
    const base = { dataRoot: root, config: cfg, progress: 'none' as const, onMined: (m: { epoch: number; reloaded: boolean }) => mined.push(m) };
    const a = await weights(path.join(tmp, 'hard-a'), { ...base, runDir: '', maxSteps: 4 });
    assert.deepEqual(mined.map((m) => [m.epoch, m.reloaded]), [[0, false], [1, false]]);
    const file = JSON.parse(fs.readFileSync(path.join(tmp, 'hard-a', 'hard-negatives.json'), 'utf8'));
    assert.equal(file.epoch, 1);
    assert.equal(file.views[0].length, 3 * 2);
    for (let i = 0; i < 3; i++) assert.deepEqual([...file.views[0].slice(2 * i, 2 * i + 2)].sort(), [0, 1, 2].filter((j) => j !== i), `frame ${i}'s pool`);
    mined.length = 0;
    await weights(path.join(tmp, 'hard-b'), { ...base, runDir: '', maxSteps: 2 });
    const b = await weights(path.join(tmp, 'hard-b'), { ...base, runDir: '', maxSteps: 4, resume: true });
    assert.deepEqual(mined.map((m) => [m.epoch, m.reloaded]), [[0, false], [0, true], [1, false]]);
    for (const [k, v] of a) assert.deepEqual(Array.from(b.get(k)!), Array.from(v), k);
    // hardNegatives above negatives is a config error naming the field
    assert.throws(() => validateModaLinkConfig({ ...cfg, hardNegatives: 2 }), (e: unknown) => e instanceof ConfigError && e.field === 'modalink.hardNegatives');
  });

  it('stops on a NaN loss and keeps the last good checkpoint', async () => {
    const run = path.join(tmp, 'nan');
    await assert.rejects(trainModaLink({ dataRoot: root, runDir: run, config: SMALL, progress: 'none', lossOffset: (s) => (s === 1 ? NaN : 0) }), NonFiniteLossError);
    const st = readCheckpointState(run)!;
    assert.equal(st.step, 1);
    assert.ok(Number.isFinite(st.lastLoss!));
  });

  it('photometric jitter: clip(g x^gamma + c, 0, 1) with the draws of the documented order; j = 0 is the identity', () => {
    const x = tf.tensor4d([0, 0.25, 0.5, 0.75, 1, 0.1, 0.2, 0.9, 0.4, 0.6, 0.3, 0.05], [2, 1, 2, 3]);
    assert.equal(jitterImages(x, 0, createRng(1)), x);
    const y = jitterImages(x, 0.5, createRng(3));
    const r = createRng(3), got = y.dataSync(), xs = x.dataSync();
    for (let i = 0; i < 2; i++) {
      const g = Math.exp(r.uniform(-0.5, 0.5)), gamma = Math.exp(r.uniform(-0.25, 0.25));
      const c = [0, 1, 2].map(() => r.uniform(-0.05, 0.05));
      for (let p = 0; p < 6; p++) {
        const want = Math.min(1, Math.max(0, g * Math.max(xs[i * 6 + p], 1e-6) ** gamma + c[p % 3]));
        assert.ok(Math.abs(got[i * 6 + p] - want) < 1e-5, `image ${i} value ${p}: ${got[i * 6 + p]} vs ${want}`);
      }
    }
    tf.dispose([x, y]);
  });

  it('calibration jitter: each depth image re-rendered through its own rotation, drawn in order; a training step runs with it', async () => {
    const c = { ...MODALINK_PRESETS.laptop, ...SMALL } as ModaLinkConfig;
    const v = createSequenceView(root, 0, c);
    const t = jitteredDepths([v], [[0, 0], [0, 2]], 1, createRng(5)), got = t.dataSync();
    const r = createRng(5), s = Math.PI / 180, per = c.inputWidthPx * c.inputHeightPx;
    [0, 2].forEach((i, k) => {
      const R = rotationFromAxisAngle([s * r.normal(), s * r.normal(), s * r.normal()]);
      assert.deepEqual(Array.from(got.subarray(k * per, (k + 1) * per)), Array.from(rotateRangeImage(v.depth(i), v.camera, R)));
    });
    assert.deepEqual(t.shape, [2, c.inputHeightPx, c.inputWidthPx, 1]);
    t.dispose();
    (await trainModaLink({ dataRoot: root, runDir: path.join(tmp, 'calib-jitter'), config: { ...SMALL, calibrationJitterDeg: 0.5 }, maxSteps: 1, progress: 'none' })).model.dispose();
    assert.throws(() => validateModaLinkConfig({ calibrationJitterDeg: 11 }), (e: unknown) => e instanceof ConfigError && e.field === 'modalink.calibrationJitterDeg');
  });

  it('keepCheckpointEverySteps keeps the snapshots of its multiples beside the latest checkpoint', async () => {
    const run = path.join(tmp, 'keep');
    (await trainModaLink({ dataRoot: root, runDir: run, config: { ...SMALL, keepCheckpointEverySteps: 2 }, maxSteps: 3, progress: 'none' })).model.dispose();
    assert.deepEqual(fs.readdirSync(path.join(run, 'checkpoints')).sort(), ['step-00000000.safetensors', 'step-00000002.safetensors', 'step-00000003.safetensors']);
    // set on a resume (training is the same), the snapshots from there on are kept as well
    const later = path.join(tmp, 'keep-later');
    (await trainModaLink({ dataRoot: root, runDir: later, config: SMALL, maxSteps: 1, progress: 'none' })).model.dispose();
    (await trainModaLink({ dataRoot: root, runDir: later, resume: true, keepCheckpointEverySteps: 2, maxSteps: 3, progress: 'none' })).model.dispose();
    assert.deepEqual(fs.readdirSync(path.join(later, 'checkpoints')).sort(), ['step-00000002.safetensors', 'step-00000003.safetensors']);
    const a = readSafetensors(path.join(later, 'checkpoints', 'step-00000003.safetensors')).tensors, b = readSafetensors(path.join(run, 'checkpoints', 'step-00000003.safetensors')).tensors;
    assert.ok(a.size > 10 && a.has('encoder.conv1.weight'));
    for (const [n, t] of a) assert.deepEqual(t.data, b.get(n)?.data, `${n}: the same training`);
    assert.throws(() => validateModaLinkConfig({ keepCheckpointEverySteps: -1 }), (e: unknown) => e instanceof ConfigError && e.field === 'modalink.keepCheckpointEverySteps');
  });

  it('initFrom: a fresh run fine-tunes from every model variable of another run, with its own config and a fresh optimizer', async () => {
    const src = path.join(tmp, 'keep'); // trained 3 steps above
    const run = path.join(tmp, 'finetune');
    const r = await trainModaLink({ dataRoot: root, runDir: run, config: { ...SMALL, calibrationJitterDeg: 0.5 }, initFrom: src, maxSteps: 0, progress: 'none' });
    const want = readSafetensors(path.join(src, readCheckpointState(src)!.weights)).tensors;
    for (const [n, v] of r.model.variables) assert.deepEqual(v.dataSync(), want.get(n)!.data, `${n} copied`);
    r.model.dispose();
    const st = readCheckpointState<ModaLinkConfig>(run)!;
    assert.deepEqual([st.step, st.config.calibrationJitterDeg, st.optimizerIterations], [0, 0.5, 0]);
    assert.equal(JSON.parse(fs.readFileSync(path.join(run, 'config.json'), 'utf8')).initFrom, src);
    await assert.rejects(trainModaLink({ dataRoot: root, runDir: run, config: SMALL, initFrom: src, maxSteps: 1, progress: 'none' }), /already has a checkpoint/);
    await assert.rejects(trainModaLink({ dataRoot: root, runDir: path.join(tmp, 'finetune-none'), config: SMALL, initFrom: path.join(tmp, 'nowhere'), maxSteps: 1, progress: 'none' }), /initFrom: no checkpoint\.json/);
    await assert.rejects(trainModaLink({ dataRoot: root, runDir: path.join(tmp, 'finetune-wide'), config: { ...SMALL, netvladClusters: 3 }, initFrom: src, maxSteps: 1, progress: 'none' }), (e: unknown) => e instanceof InputError && /expected shape/.test(e.message));
  });

  it('protocol towns: trains on the other towns named, records them, and resume finds them again', async () => {
    const town = path.join(tmp, 'town-seed9');
    await generateSynthetic({ ...loadPreset('tiny'), seed: 9 }, town, { workers: 0 });
    const run = path.join(tmp, 'towns');
    const r = await trainModaLink({ dataRoot: root, runDir: run, protocol: 'towns', trainRoots: [town], config: { ...SMALL, photometricJitter: 0.3 }, maxSteps: 1, progress: 'none' });
    r.model.dispose();
    assert.deepEqual(storedTrainRoots(run), [town]);
    assert.equal(storedTrainRoots(path.join(tmp, 'step')), undefined, 'a synthetic-protocol run has none');
    const r2 = await trainModaLink({ dataRoot: root, runDir: run, protocol: 'towns', trainRoots: storedTrainRoots(run), resume: true, maxSteps: 2, progress: 'none' });
    r2.model.dispose();
    assert.equal(readCheckpointState(run)!.step, 2);
    await assert.rejects(trainModaLink({ dataRoot: root, runDir: path.join(tmp, 'towns-none'), protocol: 'towns', config: SMALL, maxSteps: 1, progress: 'none' }),
      (e: unknown) => e instanceof InputError && e.where === '--train-data');
    await assert.rejects(trainModaLink({ dataRoot: root, runDir: path.join(tmp, 'towns-self'), protocol: 'towns', trainRoots: [root], config: SMALL, maxSteps: 1, progress: 'none' }),
      (e: unknown) => e instanceof InputError && /is the test town/.test(e.message));
  });

  it('writes files atomically', () => {
    const f = path.join(tmp, 'atomic', 'x.json');
    writeFileAtomic(f, '{"a":1}');
    assert.deepEqual(fs.readdirSync(path.dirname(f)), ['x.json']);
  });
});

describe('modalink evaluation', () => {
  it('evaluateRun: towns tests within every drive; synthetic puts the drive run the other way in recall-other-way', async () => {
    const run = path.join(tmp, 'eval-run');
    (await trainModaLink({ dataRoot: root, runDir: run, config: SMALL, maxSteps: 1, progress: 'none' })).model.dispose();
    const towns = await evaluateRun({ runDir: run, dataRoot: root, protocol: 'towns', outDir: path.join(tmp, 'eval-towns'), noUntrained: true });
    assert.deepEqual([...new Set(towns.rows.map((r) => r.test))], ['00 within', '01 within', 'all']);
    const syn = await evaluateRun({ runDir: run, dataRoot: root, protocol: 'synthetic', outDir: path.join(tmp, 'eval-syn'), noUntrained: true });
    const main = fs.readFileSync(path.join(tmp, 'eval-syn', 'recall.csv'), 'utf8'), other = fs.readFileSync(path.join(tmp, 'eval-syn', 'recall-other-way.csv'), 'utf8');
    assert.ok(!main.includes('01 vs 00') && other.includes('01 vs 00'), 'drive 01 (odd: the other way) only in recall-other-way');
    assert.match(syn.markdown, /## Drives the other way/);
  });

  it('gives the recall computeRecall gives on a hand-made case', () => {
    // 1-D positions 0, 20, 40 m; query descriptors near database 0, 2, 1
    const dbXZ = [0, 0, 20, 0, 40, 0], qXZ = [1, 0, 21, 0, 41, 0];
    const db = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const q = Float32Array.from([0.9, 0.1, 0, 0, 0.1, 0.9, 0, 0.9, 0.1]);
    const r = recallFromDescriptors(q, db, 3, qXZ, dbXZ, 10);
    const dist = Array.from({ length: 9 }, (_, k) => Math.hypot(...[0, 1, 2].map((t) => q[Math.floor(k / 3) * 3 + t] - db[(k % 3) * 3 + t])));
    const ref = computeRecall(rankByDistance(dist, 3, 3, 3), 3, groundDistanceMatrix(qXZ, dbXZ), 3, 3, { maxN: 3 });
    assert.equal(r.recallAt1, ref.recallAt1);
    assert.equal(r.recallAt1, 1 / 3);
    assert.equal(r.curve[2], 1);
    // chance: one positive among three -> R@1 = 1/3, R@3 = 1
    const g = groundDistanceMatrix(qXZ, dbXZ);
    assert.ok(Math.abs(chanceRecall(g, 3, 3, 1) - 1 / 3) < 1e-12);
    assert.equal(chanceRecall(g, 3, 3, 3), 1);
  });
});
