import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertRigid } from '../helpers/rigid.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tf, type Tensor, type Variable } from '../../src/core/tf.js';
import { ConfigError, InputError } from '../../src/core/errors.js';
import { REGISTRATION_PRESETS, validateRegistrationConfig, type RegistrationConfig, type RegistrationStage } from '../../src/registration/config.js';
import { createRegistrationModel, type RegistrationModel } from '../../src/registration/model.js';
import { registrationLoss, stageWeights } from '../../src/registration/losses.js';
import { modelMethodLabel } from '../../src/registration/evaluate.js';
import { registrationAblationRows } from '../../src/registration/ablation.js';
import { readAblationSpec, writeAblationTable, SEED_RULE } from '../../src/cli/ablation-table.js';
import { createLearnableQueries } from '../../src/nn/learnable-queries.js';
import { registrationStep } from '../../src/registration/train.js';
import { createAdam } from '../../src/train/adam.js';
import { TINY, tinyBatch } from './tiny-registration.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const isField = (field: string) => (e: unknown): boolean => e instanceof ConfigError && e.field === field;


const nameOf = (m: RegistrationModel, v: Variable): string => [...m.variables].find(([, w]) => w === v)![0];
const names = (m: RegistrationModel, prefix = ''): string[] => [...m.variables.keys()].filter((n) => n.startsWith(prefix));

describe('registration ablation switches: config', () => {
  it('defaults to the full model; a config written before the switches loads with both true', () => {
    const c = validateRegistrationConfig({}, REGISTRATION_PRESETS.laptop);
    assert.equal(c.gpdm, true);
    assert.equal(c.iclm, true);
    const old = JSON.parse(JSON.stringify(REGISTRATION_PRESETS.laptop)) as Record<string, unknown>;
    delete old.gpdm; delete old.iclm;
    const loaded = validateRegistrationConfig(old as Partial<RegistrationConfig>);
    assert.equal(loaded.gpdm, true);
    assert.equal(loaded.iclm, true);
  });
  it('names a bad switch, and rejects stage gpdm without GPDM', () => {
    assert.throws(() => validateRegistrationConfig({ gpdm: 'no' as never }), isField('registration.gpdm'));
    assert.throws(() => validateRegistrationConfig({ iclm: 0 as never }), isField('registration.iclm'));
    assert.throws(() => validateRegistrationConfig({ gpdm: false }), isField('registration.stage')); // the preset's stage is 'gpdm'
    assert.throws(() => validateRegistrationConfig({ gpdm: false, stage: 'gpdm' }), isField('registration.stage'));
    assert.equal(validateRegistrationConfig({ gpdm: false, stage: 'rest' }).gpdm, false);
    assert.equal(validateRegistrationConfig({ iclm: false, stage: 'gpdm' }).iclm, false);
    assert.throws(() => validateRegistrationConfig({ numQueries: 0 }), isField('registration.numQueries'));
    assert.throws(() => validateRegistrationConfig({ layers: 1.5 }), isField('registration.layers'));
  });
  it('labels the model row by variant, always starting with ICL', () => {
    assert.equal(modelMethodLabel({ name: 'laptop', gpdm: true, iclm: true }), 'ICL (laptop, GPDM + ICLM + PRM)');
    assert.equal(modelMethodLabel({ name: 'laptop', gpdm: false, iclm: true }), 'ICL (laptop, no GPDM)');
    assert.equal(modelMethodLabel({ name: 'laptop', gpdm: true, iclm: false }), 'ICL (laptop, no ICLM, pooled)');
    assert.equal(modelMethodLabel({ name: 'x', gpdm: false, iclm: false }), 'ICL (x, no GPDM, no ICLM, pooled)');
  });
  it('stage weights: a variant zeroes the terms it does not have; the full model is unchanged', () => {
    const w = { cls: 1, fruRotation: 2, fruTranslation: 3, fruCentre: 4, corr: 5, div: 6, camRotation: 7, camTranslation: 8 };
    assert.deepEqual(stageWeights(w, 'joint'), w);
    assert.deepEqual(stageWeights(w, 'joint', { gpdm: true, iclm: true }), w);
    assert.deepEqual(stageWeights(w, 'gpdm'), { ...w, corr: 0, div: 0, camRotation: 0, camTranslation: 0 });
    assert.deepEqual(stageWeights(w, 'rest'), { ...w, cls: 0, fruRotation: 0, fruTranslation: 0, fruCentre: 0 });
    assert.deepEqual(stageWeights(w, 'joint', { gpdm: false }), { ...w, cls: 0, fruRotation: 0, fruTranslation: 0, fruCentre: 0 });
    assert.deepEqual(stageWeights(w, 'joint', { iclm: false }), { ...w, corr: 0, div: 0 });
    assert.deepEqual(stageWeights(w, 'rest', { iclm: false }), { ...w, cls: 0, fruRotation: 0, fruTranslation: 0, fruCentre: 0, corr: 0, div: 0 });
    assert.deepEqual(stageWeights(w, 'gpdm', { iclm: false }), stageWeights(w, 'gpdm'));
  });
});

describe('registration ablation switches: variables', () => {
  const full = createRegistrationModel(TINY);
  after(() => full.dispose());
  it('the full model keeps its variables (count per group as before the switches existed)', () => {
    const count = (p: string): number => names(full, p).length;
    assert.deepEqual([full.variables.size, count('image.backbone.'), count('image.'), count('point.'), count('gpdm.'), count('iclm.'), count('prm.')], [154, 45, 53, 18, 16, 55, 12]);
    const decoder = createLearnableQueries({ numQueries: 8, layers: 1, heads: 2, dModel: 16, ffnHidden: 16, seed: 1 });
    assert.equal(count('iclm.'), 8 + decoder.trainableVariables.length); // 4 token projections (kernel + bias) + the decoder
    decoder.dispose();
    const explicit = createRegistrationModel({ ...TINY, gpdm: true, iclm: true });
    assert.deepEqual(names(explicit), names(full));
    for (const [n, v] of full.variables) assert.deepEqual(explicit.variables.get(n)!.dataSync(), v.dataSync(), n);
    explicit.dispose();
  });
  it('without GPDM: no gpdm.* variables, the rest named and initialised as in the full model', () => {
    const m = createRegistrationModel({ ...TINY, gpdm: false, stage: 'rest' });
    assert.deepEqual(names(m), names(full).filter((n) => !n.startsWith('gpdm.')));
    for (const [n, v] of m.variables) assert.deepEqual(v.dataSync(), full.variables.get(n)!.dataSync(), n);
    assert.throws(() => m.trainableVariables('gpdm'), isField('registration.stage'));
    assert.deepEqual(m.trainableVariables('rest'), m.trainableVariables('joint'));
    assert.equal(m.trainableVariables('rest').length, full.trainableVariables('joint').length - names(full, 'gpdm.').length);
    m.dispose();
  });
  it('without ICLM: only the token projections iclm.0-7, no learnable queries', () => {
    const m = createRegistrationModel({ ...TINY, iclm: false });
    assert.deepEqual(names(m), names(full).filter((n) => !n.startsWith('iclm.') || Number(n.split('.')[1]) < 8));
    m.dispose();
  });
});

/** The variants the ablation trains, with the stages to check and their expected query count. */
const VARIANTS: { label: string; config: Partial<RegistrationConfig>; stages: RegistrationStage[]; Q: number; layers: number }[] = [
  { label: 'gpdm: false', config: { gpdm: false, stage: 'rest' }, stages: ['rest', 'joint'], Q: 8, layers: 1 },
  { label: 'iclm: false', config: { iclm: false }, stages: ['gpdm', 'rest', 'joint'], Q: 1, layers: 0 },
  { label: 'numQueries: 16', config: { numQueries: 16 }, stages: ['joint'], Q: 16, layers: 1 },
  { label: 'layers: 1, numQueries 4', config: { layers: 1, numQueries: 4 }, stages: ['joint'], Q: 4, layers: 1 },
  { label: 'layers: 2', config: { layers: 2 }, stages: ['rest'], Q: 8, layers: 2 },
];

for (const v of VARIANTS) {
  describe(`registration variant ${v.label}`, () => {
    const model = createRegistrationModel({ ...TINY, ...v.config });
    const b = tinyBatch(2);
    after(() => { model.dispose(); tf.dispose(b as never); });
    const gpdm = v.config.gpdm !== false, iclm = v.config.iclm !== false;

    it('forward shapes; the final and frustum poses are rigid', () => {
      const out = model.forward(b, false);
      assert.deepEqual(out.camFromPoints.shape, [2, 4, 4]);
      assert.deepEqual(out.frustumPose.shape, [2, 4, 4]);
      assert.deepEqual(out.inFrustumLogits.shape, gpdm ? [2, 256] : [2, 0]);
      assert.deepEqual(out.centroid.shape, gpdm ? [2, 3] : [2, 0]);
      assert.deepEqual(out.keypoints2d.shape, [2, v.Q, 2]);
      assert.deepEqual(out.keypoints3d.shape, [2, v.Q, 3]);
      assert.deepEqual(out.masks.geometric.shape, [2, 256]);
      assert.equal(out.pixelWeights.length, v.layers);
      assert.equal(out.pointWeights.length, v.layers);
      assertRigid(out.camFromPoints);
      assertRigid(out.frustumPose);
      if (!gpdm) {
        assert.deepEqual(Array.from(out.frustumPose.dataSync()), [...[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], ...[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]]);
        assert.ok(out.masks.geometric.dataSync().every((x) => x === 1), 'without GPDM ICLM attends to every point');
      }
      if (!iclm) {
        const kp2 = out.keypoints2d.dataSync();
        assert.deepEqual(Array.from(kp2), [31.5, 15.5, 31.5, 15.5]); // the mean pixel centre of a 64 x 32 image
        const m = out.masks.geometric.arraySync() as number[][], p = b.points.arraySync() as number[][][];
        const kp3 = out.keypoints3d.arraySync() as number[][][];
        m.forEach((row, bi) => {
          const n = row.reduce((s, x) => s + x, 0);
          for (let k = 0; k < 3; k++) {
            const mean = n === 0 ? 0 : row.reduce((s, x, i) => s + x * p[bi][i][k], 0) / n;
            assert.ok(Math.abs(kp3[bi][0][k] - mean) < 1e-3, `masked mean point [${bi}][${k}] ${kp3[bi][0][k]} vs ${mean}`);
          }
        });
      }
      tf.dispose(out as never);
    });

    for (const stage of v.stages) {
      it(`stage ${stage}: finite loss, a gradient for every variable that should train, none for the others`, () => {
        const vars = model.trainableVariables(stage);
        const trained = new Set(vars.map((x) => nameOf(model, x)));
        const expected = [...model.variables.keys()].filter((n) => model.trainableVariables('joint').some((x) => nameOf(model, x) === n)).filter((n) => {
          const g = n.startsWith('image.') || n.startsWith('point.') || n.startsWith('gpdm.');
          return stage === 'joint' || !gpdm || (stage === 'gpdm' ? g : !g);
        });
        assert.deepEqual([...trained].sort(), expected.sort());
        const { value, grads } = tf.variableGrads(() => {
          const out = model.forward(b, true, stage);
          const l = registrationLoss(out, b, model.config, stage, 64, 32);
          for (const [k, t] of Object.entries(l)) assert.ok(Number.isFinite((t as Tensor).dataSync()[0]), `${k} not finite`);
          if (!gpdm) for (const k of ['cls', 'fruRotation', 'fruTranslation', 'fruCentre'] as const) assert.equal(l[k].dataSync()[0], 0, k);
          if (!iclm) for (const k of ['corr', 'div'] as const) assert.equal(l[k].dataSync()[0], 0, k);
          const total = tf.clone(l.total);
          tf.dispose(Object.values(l) as Tensor[]);
          tf.dispose(out as never);
          return total;
        }, vars);
        assert.ok(Number.isFinite(value.dataSync()[0]));
        const byName = new Map(vars.map((x) => [nameOf(model, x), grads[x.name]]));
        // variableGrads leaves out null gradients (e.g. the FPN in stage gpdm); nothing outside the stage's variables
        const inStage = new Set(vars.map((x) => x.name));
        for (const k of Object.keys(grads)) assert.ok(inStage.has(k), `${k}: a gradient outside stage ${stage}`);
        // the modules on the loss's path: ICLM + PRM in rest / joint, the point encoder and GPDM in gpdm / joint, and,
        // without GPDM, the point encoder too (through ICLM's point tokens)
        const mustTrain = [...byName.keys()].filter((n) => (stage !== 'gpdm' && (n.startsWith('iclm.') || n.startsWith('prm.')))
          || (stage !== 'rest' && (n.startsWith('point.') || n.startsWith('gpdm.'))) || (!gpdm && n.startsWith('point.')));
        assert.ok(mustTrain.length > 0);
        for (const n of mustTrain) assert.ok(byName.get(n) != null, `${n}: null gradient`);
        if (!gpdm) assert.ok([...byName].some(([n, g]) => n.startsWith('image.') && g != null), 'without GPDM the image encoder must train');
        for (const g of Object.values(grads)) for (const x of g?.dataSync() ?? []) assert.ok(Number.isFinite(x));
        tf.dispose([value, ...Object.values(grads).filter((g) => g != null)]);
      });
    }

    it('no tensor leaks over a training step', () => {
      const stage = v.stages[v.stages.length - 1];
      const opt = createAdam(model.trainableVariables(stage), { learningRate: 1e-3 });
      const step = (): void => { registrationStep(model, opt, b, model.config, stage); }; // the step training runs
      step(); // Adam's moments are created on the first step
      const before = tf.memory().numTensors;
      step();
      assert.equal(tf.memory().numTensors, before);
      opt.dispose();
    });
  });
}

describe('registration ablation table', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'registration-ablation-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const checkpoint = (run: string, step: number, epoch: number): void => {
    fs.mkdirSync(run, { recursive: true });
    fs.writeFileSync(path.join(run, 'checkpoint.json'), JSON.stringify({ config: { seed: 0 }, epoch, stepInEpoch: 0, step, lastLoss: 1, weights: 'checkpoints/x.safetensors', optimizerIterations: step, rng: { seed: 0, scheme: 'seed-epoch-step' } }));
  };
  const csv = (run: string, text: string): void => {
    fs.mkdirSync(path.join(run, 'eval'), { recursive: true });
    fs.writeFileSync(path.join(run, 'eval', 'registration.csv'), text);
  };
  const HEAD = 'method,pairs,rteMean,rteStd,rreMean,rreStd,geodesicMean,accuracyPct\n';
  const full = path.join(tmp, 'full'), noGpdm = path.join(tmp, 'no-gpdm'), noIclm = path.join(tmp, 'no-iclm'), nq16 = path.join(tmp, 'nq16');
  checkpoint(full, 800, 4);
  csv(full, `${HEAD}"ICL (laptop, GPDM + ICLM + PRM)",40,1.234,0.567,3.21,2.5,2.75,62.5\nfrustum pose alone (GPDM),40,4.5,2.1,9.9,5.5,8.25,10\n`);
  checkpoint(noGpdm, 800, 4);
  csv(noGpdm, `${HEAD}frustum pose alone (GPDM),40,9,9,9,9,9,9\n"ICL (laptop, no GPDM)",40,5.125,3.5,40.25,30,35.5,0\n`);
  checkpoint(noIclm, 400, 2); // trained, not evaluated
  const spec = [
    { variant: 'full', change: '-', runDir: full },
    { variant: 'no GPDM', change: 'gpdm: false', runDir: noGpdm },
    { variant: 'no ICLM', change: 'iclm: false', runDir: noIclm },
    { variant: 'N_q 16', change: 'numQueries: 16', runDir: nq16 },
  ];

  it('reads the ICL row exactly; marks missing runs and evaluations without numbers', () => {
    const rows = registrationAblationRows(spec);
    assert.deepEqual(rows.map((r) => r.status), ['measured', 'measured', 'trained, not evaluated', 'not run']);
    assert.deepEqual(rows[0], {
      variant: 'full', change: '-', status: 'measured', steps: 800, epochs: 4, pairs: 40,
      'RTE mean (m)': 1.234, 'RTE std (m)': 0.567, 'RRE mean (deg)': 3.21, 'RRE std (deg)': 2.5, 'RTE median (m)': null, 'RRE median (deg)': null, 'geodesic mean (deg)': 2.75, 'Acc (%)': 62.5,
    });
    assert.deepEqual([rows[1]['RTE mean (m)'], rows[1]['RRE mean (deg)'], rows[1]['Acc (%)']], [5.125, 40.25, 0]);
    assert.deepEqual([rows[2].steps, rows[2].epochs], [400, 2]);
    for (const r of rows.slice(2)) {
      for (const k of ['pairs', 'RTE mean (m)', 'RTE std (m)', 'RRE mean (deg)', 'RRE std (deg)', 'RTE median (m)', 'RRE median (deg)', 'geodesic mean (deg)', 'Acc (%)'] as const) assert.equal(r[k], null, `${r.variant} ${k}`);
    }
    assert.deepEqual([rows[3].steps, rows[3].epochs], [null, null]);
  });

  it('a CSV without an ICL row, or with a non-number, is an error naming the file', () => {
    const bad = path.join(tmp, 'bad');
    checkpoint(bad, 1, 0);
    csv(bad, `${HEAD}frustum pose alone (GPDM),4,1,1,1,1,1,1\n`);
    assert.throws(() => registrationAblationRows([{ variant: 'bad', change: '-', runDir: bad }]), (e: unknown) => e instanceof InputError && e.message.includes(path.join(bad, 'eval', 'registration.csv')));
    csv(bad, `${HEAD}ICL (x),4,,1,1,1,1,1\n`);
    assert.throws(() => registrationAblationRows([{ variant: 'bad', change: '-', runDir: bad }]), (e: unknown) => e instanceof InputError && e.message.includes("column 'rteMean'"));
  });

  it('i2p register ablation writes ablation.md (with the notes) and ablation.csv', () => {
    const specFile = path.join(tmp, 'spec.json'), out = path.join(tmp, 'out');
    fs.writeFileSync(specFile, JSON.stringify({ rows: spec, notes: ['same seeded test pairs', 'laptop preset'] }));
    // a child process: the command prints the table on stdout, which is the test runner's channel here
    const code = "const { Command } = await import('commander'); const { registerRegistrationCommands } = await import('./src/cli/register.ts');"
      + " await registerRegistrationCommands(new Command()).parent.parseAsync(['node', 'i2p', ...process.argv.slice(1)]);";
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, 'register', 'ablation', '--spec', specFile, '--out', out], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, fs.readFileSync(path.join(out, 'ablation.md'), 'utf8'));
    const md = fs.readFileSync(path.join(out, 'ablation.md'), 'utf8');
    assert.match(md, /\| no GPDM +\| gpdm: false +\| measured/);
    assert.match(md, /\n- same seeded test pairs\n- laptop preset\n$/);
    const lines = fs.readFileSync(path.join(out, 'ablation.csv'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 5);
    assert.match(lines[1], /^full,-,measured,800,4,40,1\.234,0\.567,3\.210,2\.500,,,2\.750,62\.500$/);
    assert.match(lines[4], /^N_q 16,numQueries: 16,not run,,,,,,,,,,,$/);
  });

  it('rows with seeds: a seed column, and ablation-seeds.md with the mean and std per variant against the first', () => {
    const runs = [['full', 0, 60], ['full', 1, 64], ['N_q 16', 0, 40], ['N_q 16', 1, 42]] as const;
    const seeded = runs.map(([variant, seed, acc]) => {
      const run = path.join(tmp, `seeded-${variant.replace(' ', '')}-${seed}`);
      checkpoint(run, 100, 1);
      csv(run, `method,pairs,rteMean,rteStd,rteMedian,rreMean,rreStd,rreMedian,geodesicMean,accuracyPct\n"ICL (laptop, GPDM + ICLM + PRM)",40,${1 + seed},0.5,${0.25 * (1 + seed)},3,2.5,1.5,2.75,${acc}\n`);
      return { variant, change: variant === 'full' ? '-' : 'numQueries: 16', runDir: run, seed };
    });
    const out = path.join(tmp, 'seeded-out');
    const md = writeAblationTable(out, registrationAblationRows(seeded) as unknown as Record<string, unknown>[], ['n'], seeded, ['Acc (%)', 'RTE median (m)']);
    assert.match(fs.readFileSync(path.join(out, 'ablation.csv'), 'utf8').split('\n')[0], /^variant,seed,change,status,/);
    const s = fs.readFileSync(path.join(out, 'ablation-seeds.csv'), 'utf8').trim().split('\n');
    assert.equal(s[0], 'variant,runs,planned,Acc (%) mean,Acc (%) std,RTE median (m) mean,RTE median (m) std,Δ Acc (%),beyond spread');
    // full: Acc (60, 64) -> 62, std sqrt(8) = 2.828; RTE median (0.25, 0.5) -> 0.375, std 0.177; N_q 16: 41, 1.414, Δ -21 > max(4, 2): beyond
    assert.equal(s[1], 'full,2,2,62,2.828,0.375,0.177,0,');
    assert.equal(s[2], 'N_q 16,2,2,41,1.414,0.375,0.177,-21,yes');
    assert.ok(md.includes(SEED_RULE) && md.includes('| N_q 16'));
    assert.throws(() => { fs.writeFileSync(path.join(tmp, 'bad-seed.json'), JSON.stringify({ rows: [{ ...seeded[0], seed: 0.5 }] })); readAblationSpec(path.join(tmp, 'bad-seed.json')); },
      (e: unknown) => e instanceof InputError && /rows\[0\]\.seed/.test(e.message));
  });
});
