import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, InputError } from '../../src/core/errors.js';
import { readPresetConfig } from '../../src/core/preset-config.js';
import { loadExplicitBaselineConfig } from '../../src/registration/baseline/index.js';
import { loadRegistrationConfig } from '../../src/registration/config.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'preset-config-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string): string => { const f = path.join(tmp, name); fs.writeFileSync(f, text); return f; };

describe('readPresetConfig (--config NAME|FILE)', () => {
  it('a preset name has no fields; a file gives its extends and the rest as fields', () => {
    assert.deepEqual(readPresetConfig('laptop', 'x', 'paper'), { preset: 'laptop', fields: {} });
    assert.deepEqual(readPresetConfig(write('a.json', '{"extends": "laptop", "numQueries": 16}'), 'x', 'paper'), { preset: 'laptop', fields: { numQueries: 16 } });
    assert.deepEqual(readPresetConfig(write('b.json', '{"layers": 1}'), 'x', 'laptop'), { preset: 'laptop', fields: { layers: 1 } });
  });

  it('names the missing file, the bad JSON and the bad extends', () => {
    const missing = path.join(tmp, 'nope.json');
    assert.throws(() => readPresetConfig(missing, 'x', 'paper'), (e: unknown) => e instanceof InputError && e.message.includes(missing));
    const bad = write('bad.json', '{ not json');
    assert.throws(() => readPresetConfig(bad, 'x', 'paper'), (e: unknown) => e instanceof InputError && e.message.includes(bad) && /not valid JSON/.test(e.message));
    assert.throws(() => readPresetConfig(write('ext.json', '{"extends": "huge"}'), 'registration', 'paper'), (e: unknown) => e instanceof ConfigError && e.field === 'registration.extends');
  });

  it('the registration and baseline loaders build on it (fields over the preset, their own defaults)', () => {
    assert.equal(loadRegistrationConfig(write('r.json', '{"extends": "laptop", "numQueries": 16}')).numQueries, 16);
    assert.equal(loadRegistrationConfig(write('r2.json', '{"layers": 1}')).dModel, 128); // default base: paper
    assert.equal(loadExplicitBaselineConfig(write('e.json', '{}')).name, loadExplicitBaselineConfig('laptop').name); // default base: laptop
  });
});
