import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.js';
import { checkOptimizerFields, DEFAULT_OPTIMIZER_FIELDS } from '../../src/train/optimizer-fields.js';
import { DEFAULT_MODALINK_CONFIG, MODALINK_PRESETS, validateModaLinkConfig } from '../../src/modalink/config.js';
import { REGISTRATION_PRESETS, validateRegistrationConfig } from '../../src/registration/config.js';
import { validateExplicitBaselineConfig } from '../../src/registration/baseline/config.js';

const fieldIs = (field: string, msg: RegExp) => (e: unknown): boolean => e instanceof ConfigError && e.field === field && msg.test(e.message);

describe('warm-up and clipping config fields', () => {
  it('default to off in every preset, so runs train as before', () => {
    assert.deepEqual(DEFAULT_OPTIMIZER_FIELDS, { warmupSteps: 0, clipGradNorm: null });
    for (const c of [DEFAULT_MODALINK_CONFIG, MODALINK_PRESETS.laptop, REGISTRATION_PRESETS.paper, REGISTRATION_PRESETS.laptop, validateExplicitBaselineConfig().registration]) {
      assert.deepEqual([c.warmupSteps, c.clipGradNorm], [0, null]);
    }
  });

  it('a config saved before the fields existed validates with the defaults', () => {
    const { warmupSteps: _w, clipGradNorm: _c, ...old } = DEFAULT_MODALINK_CONFIG;
    assert.deepEqual([validateModaLinkConfig(old).warmupSteps, validateModaLinkConfig(old).clipGradNorm], [0, null]);
    const { warmupSteps: _rw, clipGradNorm: _rc, ...oldReg } = REGISTRATION_PRESETS.laptop;
    assert.equal(validateRegistrationConfig(oldReg).clipGradNorm, null);
  });

  it('accept a warm-up and a clip norm, and name the field of a bad value', () => {
    assert.equal(validateModaLinkConfig({ warmupSteps: 100, clipGradNorm: 5 }).clipGradNorm, 5);
    assert.throws(() => validateModaLinkConfig({ warmupSteps: -1 }), fieldIs('modalink.warmupSteps', /expected an integer in \[0, 1000000000\], got -1/));
    assert.throws(() => validateModaLinkConfig({ warmupSteps: 2.5 }), fieldIs('modalink.warmupSteps', /got 2\.5/));
    assert.throws(() => validateRegistrationConfig({ clipGradNorm: 0 }), fieldIs('registration.clipGradNorm', /expected null or a finite number > 0, got 0/));
    assert.throws(() => validateExplicitBaselineConfig({ registration: { clipGradNorm: Infinity } }), fieldIs('registration.clipGradNorm', /got Infinity/));
    assert.throws(() => checkOptimizerFields('x', { warmupSteps: 0, clipGradNorm: '1' }), fieldIs('x.clipGradNorm', /got "1"/));
  });
});
