import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTinyDataset } from '../helpers/tiny-dataset.js';
import { REPO_ROOT } from '../data/shared-data.js';
import { readPoseLines } from '../../src/registration/pose-files.js';

const bin = path.join(REPO_ROOT, 'bin', 'i2p.js');
const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'localize.js'));
const i2p = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });

let tmp = '', root = '';
before(async () => { ({ tmp, root } = await makeTinyDataset('localize-cli-test-')); });
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('i2p localize (tiny preset, shipped models)', { skip: !built && 'dist/ not built (run npm run build)' }, () => {
  it('one photo: the candidates, the choice and why, one KITTI pose line', () => {
    const out = path.join(tmp, 'one');
    const r = i2p(['localize', '--map', root, '--query', path.join(root, 'sequences', '01', 'image_2', '000001.png'), '--top-k', '2', '--cache', path.join(tmp, 'cache'), '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /chosen: map frame \d by 'retrieval': retrieval rank 1/);
    const poses = readPoseLines(path.join(out, 'pose.txt'));
    assert.equal(poses.length, 1);
    assert.ok(fs.existsSync(path.join(out, 'candidates.csv')));
  });
  it('a drive of its own map (each photo\'s scan left out): the tables and one pose line per query', () => {
    const out = path.join(tmp, 'drive');
    const r = i2p(['localize', '--map', root, '--query', root, '--query-seq', '0', '--top-k', '2', '--cache', path.join(tmp, 'cache'), '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /oracle retrieval/);
    assert.equal(readPoseLines(path.join(out, 'poses-estimated.txt')).length, 3);
    assert.equal(readPoseLines(path.join(out, 'poses-true.txt')).length, 3);
  });
  it('bad options name the option', () => {
    const a = i2p(['localize', '--map', root, '--query', root]);
    assert.notEqual(a.status, 0);
    assert.match(a.stderr, /--query-seq/);
    const b = i2p(['localize', '--map', root, '--query', path.join(tmp, 'nope.png')]);
    assert.match(b.stderr, /--query.*nope\.png/);
    const c = i2p(['localize', '--map', root, '--query', root, '--query-seq', '0', '--selection', 'best']);
    assert.match(c.stderr, /localization\.selection/);
  });
});
