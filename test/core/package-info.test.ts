import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot, packageVersion } from '../../src/core/package-info.js';
import { findRepoRoot, repoRoot } from '../../src/notebook/paths.js';
import { datasetsDir } from '../../src/data/synthetic/presets.js';

test('packageRoot is the folder of the i2p-lab package.json, and packageVersion its version', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { name: string; version: string };
  assert.equal(pkg.name, 'i2p-lab');
  assert.equal(packageVersion(), pkg.version);
});

test('the notebooks, the presets and the CLI agree on the root', () => {
  assert.equal(findRepoRoot(packageRoot()), packageRoot());
  assert.equal(repoRoot(), findRepoRoot() ?? packageRoot());
  assert.equal(datasetsDir(), path.join(packageRoot(), 'datasets'));
});
