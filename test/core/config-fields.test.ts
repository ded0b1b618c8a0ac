import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.js';
import {
  booleanField, checkConfigObject, describeNumber, expectField, fieldPath, formatValue, intField, mergeConfigSection,
  nonEmptyStringField, numberField, numberFields, oneOfField,
} from '../../src/core/config-fields.js';
import { validateModaLinkConfig } from '../../src/modalink/config.js';
import { validateModaLinkLossConfig } from '../../src/modalink/losses.js';
import { validateRegistrationConfig } from '../../src/registration/config.js';
import { validateImageEncoderConfig } from '../../src/registration/image-encoder.js';
import { validatePointEncoderConfig } from '../../src/registration/point-encoder.js';
import { validatePnpRansacConfig } from '../../src/registration/pnp-ransac.js';
import { validateDepthCompletionConfig } from '../../src/geometry/depth-completion-config.js';
import { validatePairConfig } from '../../src/data/pairs/config.js';
import { validateSyntheticConfig } from '../../src/data/synthetic/config.js';
import { validateEncoderConfig } from '../../src/nn/encoder-config.js';
import { validateKMeansConfig } from '../../src/nn/kmeans.js';
import { validateNmfConfig } from '../../src/nn/nmf.js';
import { validateNetVladConfig } from '../../src/nn/netvlad.js';
import { validateMultiHeadAttentionConfig } from '../../src/nn/attention.js';
import { validateLearnableQueriesConfig } from '../../src/nn/learnable-queries.js';
import { validatePoseSuccessConfig } from '../../src/metrics/pose.js';
import { validateExplicitBaselineConfig } from '../../src/registration/baseline/config.js';

/** Asserts that `fn` throws a ConfigError at `field` whose whole message is `message`. */
function throwsAt(fn: () => unknown, field: string, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    assert.equal(e.field, field);
    assert.equal(e.message, `config field '${field}': ${message}`);
    return true;
  });
}

describe('fieldPath and formatValue', () => {
  it('joins with a dot; the empty prefix is the top level', () => {
    assert.equal(fieldPath('modalink', 'epochs'), 'modalink.epochs');
    assert.equal(fieldPath('registration.weights', 'div'), 'registration.weights.div');
    assert.equal(fieldPath('', 'seed'), 'seed');
  });
  it('shows numbers as written (NaN, Infinity) and the rest as JSON', () => {
    assert.equal(formatValue(NaN), 'NaN');
    assert.equal(formatValue(-Infinity), '-Infinity');
    assert.equal(formatValue(1.5), '1.5');
    assert.equal(formatValue('big'), '"big"');
    assert.equal(formatValue(null), 'null');
    assert.equal(formatValue([1, 2]), '[1,2]');
    assert.equal(formatValue(undefined), 'undefined');
  });
});

describe('expectField', () => {
  it('passes when ok, otherwise says what was expected and what came', () => {
    expectField('x.y', true, 'anything', 1);
    throwsAt(() => expectField('x.y', false, 'an odd integer', 4), 'x.y', 'expected an odd integer, got 4');
  });
});

describe('checkConfigObject', () => {
  const known = ['a', 'b'];
  it('returns an object whose keys are all known (a subset is fine)', () => {
    const o = { a: 1 };
    assert.equal(checkConfigObject('cfg', o, known), o);
    assert.deepEqual(checkConfigObject('cfg', {}, known), {});
  });
  it('names the first unknown field by its path and lists the known fields', () => {
    throwsAt(() => checkConfigObject('cfg', { a: 1, c: 2 }, known), 'cfg.c', 'unknown field; known fields: a, b');
    throwsAt(() => checkConfigObject('', { z: 0 }, known), 'z', 'unknown field; known fields: a, b');
  });
  it('rejects null, arrays and non-objects at the prefix, or at (root) for the top level', () => {
    throwsAt(() => checkConfigObject('cfg', null, known), 'cfg', 'expected an object, got null');
    throwsAt(() => checkConfigObject('cfg', [1], known), 'cfg', 'expected an object, got [1]');
    throwsAt(() => checkConfigObject('', 5, known), '(root)', 'expected an object, got 5');
  });
  it('prototype names are not fields', () => {
    throwsAt(() => checkConfigObject('cfg', { toString: 1 }, known), 'cfg.toString', 'unknown field; known fields: a, b');
  });
});

describe('mergeConfigSection', () => {
  const base = Object.freeze({ shape: 'full', size: 5 });
  it('puts the given fields over a copy of base; undefined gives base', () => {
    assert.deepEqual(mergeConfigSection('k', base, { size: 3 }), { shape: 'full', size: 3 });
    const same = mergeConfigSection('k', base, undefined);
    assert.deepEqual(same, base);
    assert.notEqual(same, base);
  });
  it('rejects unknown fields and non-objects at the section path', () => {
    throwsAt(() => mergeConfigSection('dc.nearKernel', base, { pad: 1 }), 'dc.nearKernel.pad', 'unknown field; known fields: shape, size');
    throwsAt(() => mergeConfigSection('dc.nearKernel', base, 7), 'dc.nearKernel', 'expected an object, got 7');
  });
});

describe('numberField and intField', () => {
  it('accepts values on closed bounds and returns them', () => {
    assert.equal(numberField('f', 0, { min: 0, max: 1 }), 0);
    assert.equal(numberField('f', 1, { min: 0, max: 1 }), 1);
    assert.equal(numberField('f', -1e9), -1e9);
    assert.equal(intField('f', 7, 1, 7), 7);
    assert.equal(numberField('f', 0.5, { min: 0, max: 1, minOpen: true, maxOpen: true }), 0.5);
  });
  it('describes the range it wanted', () => {
    assert.equal(describeNumber({}), 'a finite number');
    assert.equal(describeNumber({ min: 0, minOpen: true }), 'a finite number > 0');
    assert.equal(describeNumber({ min: 4, integer: true }), 'an integer >= 4');
    assert.equal(describeNumber({ max: 3 }), 'a finite number <= 3');
    assert.equal(describeNumber({ max: 3, maxOpen: true }), 'a finite number < 3');
    assert.equal(describeNumber({ min: 0, max: 1, minOpen: true }), 'a finite number in (0, 1]');
    assert.equal(describeNumber({ min: 0, max: 1, minOpen: true, maxOpen: true }), 'a finite number in (0, 1)');
    assert.equal(describeNumber({ min: 1, max: 2 ** 32 - 1, integer: true }), 'an integer in [1, 4294967295]');
    assert.equal(describeNumber({ min: -Infinity, max: Infinity }), 'a finite number');
  });
  it('rejects open bounds, out-of-range values, fractions, non-finite numbers and non-numbers', () => {
    throwsAt(() => numberField('m.alpha', 0, { min: 0, max: 1e6, minOpen: true }), 'm.alpha', 'expected a finite number in (0, 1000000], got 0');
    throwsAt(() => numberField('p.confidence', 1, { min: 0, max: 1, minOpen: true, maxOpen: true }), 'p.confidence', 'expected a finite number in (0, 1), got 1');
    throwsAt(() => numberField('d.mediumMaxM', 10, { min: 40 }), 'd.mediumMaxM', 'expected a finite number >= 40, got 10');
    throwsAt(() => intField('e.blocks[1]', 0, 1, 32), 'e.blocks[1]', 'expected an integer in [1, 32], got 0');
    throwsAt(() => intField('e.blocks[1]', 1.5, 1, 32), 'e.blocks[1]', 'expected an integer in [1, 32], got 1.5');
    throwsAt(() => numberField('s.seed', NaN), 's.seed', 'expected a finite number, got NaN');
    throwsAt(() => numberField('s.seed', Infinity), 's.seed', 'expected a finite number, got Infinity');
    throwsAt(() => numberField('s.seed', '3'), 's.seed', 'expected a finite number, got "3"');
    throwsAt(() => intField('s.n', undefined, 1), 's.n', 'expected an integer >= 1, got undefined');
  });
  it('numberFields checks each field of an object in order, at <prefix>.<key>', () => {
    const specs = { a: { min: 0 }, b: { min: 1, integer: true } };
    numberFields('cfg', { a: 0, b: 1, other: 'x' }, specs);
    throwsAt(() => numberFields('cfg', { a: -1, b: 0 }, specs), 'cfg.a', 'expected a finite number >= 0, got -1');
    throwsAt(() => numberFields('cfg', { a: 1, b: 0 }, specs), 'cfg.b', 'expected an integer >= 1, got 0');
    throwsAt(() => numberFields('', { a: 1 }, specs), 'b', 'expected an integer >= 1, got undefined');
  });
});

describe('booleanField, nonEmptyStringField, oneOfField', () => {
  it('accept their values and return them', () => {
    assert.equal(booleanField('f', false), false);
    assert.equal(nonEmptyStringField('f', 'laptop'), 'laptop');
    assert.equal(oneOfField('f', 'rest', ['gpdm', 'rest', 'joint']), 'rest');
  });
  it('booleanField rejects anything but true and false', () => {
    throwsAt(() => booleanField('nmf.scaleInit', 'yes'), 'nmf.scaleInit', 'expected true or false, got "yes"');
    throwsAt(() => booleanField('nmf.scaleInit', 1), 'nmf.scaleInit', 'expected true or false, got 1');
  });
  it('nonEmptyStringField rejects the empty string and non-strings', () => {
    throwsAt(() => nonEmptyStringField('pairs.name', ''), 'pairs.name', 'expected a non-empty string, got ""');
    throwsAt(() => nonEmptyStringField('pairs.name', 3), 'pairs.name', 'expected a non-empty string, got 3');
  });
  it('oneOfField lists the options: one, two, or more', () => {
    throwsAt(() => oneOfField('f', 'b', ['a']), 'f', "expected 'a', got \"b\"");
    throwsAt(() => oneOfField('m.nmfMode', 'x', ['detached', 'unrolled']), 'm.nmfMode', "expected 'detached' or 'unrolled', got \"x\"");
    throwsAt(() => oneOfField('d.blur', 'box', ['bilateral', 'gaussian', 'none']), 'd.blur', "expected 'bilateral', 'gaussian' or 'none', got \"box\"");
    throwsAt(() => oneOfField('d.blur', null, ['bilateral', 'gaussian', 'none']), 'd.blur', "expected 'bilateral', 'gaussian' or 'none', got null");
  });
});

describe('every config validator', () => {
  const validators: Array<[string, (partial: never) => unknown]> = [
    ['modalink', validateModaLinkConfig], ['loss', validateModaLinkLossConfig], ['registration', validateRegistrationConfig],
    ['imageEncoder', validateImageEncoderConfig], ['pointEncoder', validatePointEncoderConfig], ['pnpRansac', validatePnpRansacConfig],
    ['depthCompletion', validateDepthCompletionConfig], ['pairs', validatePairConfig], ['', validateSyntheticConfig],
    ['encoder', validateEncoderConfig], ['kmeans', validateKMeansConfig], ['nmf', validateNmfConfig], ['netvlad', validateNetVladConfig],
    ['multiHeadAttention', validateMultiHeadAttentionConfig], ['learnableQueries', validateLearnableQueriesConfig], ['poseSuccess', validatePoseSuccessConfig],
    ['explicitBaseline', validateExplicitBaselineConfig],
  ];
  it('reports an unknown field in the one wording, at its path', () => {
    for (const [prefix, validate] of validators) {
      const field = fieldPath(prefix, 'bogus');
      assert.throws(() => validate({ bogus: 1 } as never), (e: unknown) => e instanceof ConfigError && e.field === field
        && e.message.startsWith(`config field '${field}': unknown field; known fields: `), field);
    }
  });
});
