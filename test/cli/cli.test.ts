import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readNpy, readPng } from '../../src/index.js';
import { REPO_ROOT, sharedData, skipUnless, tempDir } from '../data/shared-data.js';

const odo = sharedData('kitti-odometry-sample');
const bin = path.join(REPO_ROOT, 'bin', 'i2p.js');
const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js'));

function i2p(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
}

test('i2p --help lists the commands', { skip: !built && 'dist/ not built (run npm run build)' }, () => {
  const r = i2p(['--help']);
  assert.equal(r.status, 0);
  for (const c of ['info', 'depth-image', 'project']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
});

test('i2p info prints one JSON object with the backend', { skip: !built && 'dist/ not built' }, () => {
  const r = i2p(['info']);
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.package, 'i2p-lab');
  assert.equal(info.tfjs, '4.22.0');
  assert.ok(['tensorflow', 'cpu'].includes(info.backend));
  assert.equal(typeof info.gpu, 'boolean');
  assert.equal(typeof info.jupyter.found, 'boolean');
});

test('i2p depth-image writes a [376, 1241] float32 .npy and a PNG for frame 1, camera 3', { skip: (!built && 'dist/ not built') || skipUnless(odo, 'kitti-odometry-sample') }, () => {
  const dir = tempDir('i2p-cli-');
  const out = path.join(dir, 'd.npy'), png = path.join(dir, 'd.png');
  const r = i2p(['depth-image', '--root', odo!, '--seq', '00', '--frame', '1', '--camera', '3', '--out', out, '--png', png]);
  assert.equal(r.status, 0, r.stderr);
  const a = readNpy(out);
  assert.equal(a.dtype, '<f4');
  assert.deepEqual(a.shape, [376, 1241]);
  let filled = 0, max = 0;
  for (const d of a.data as Float32Array) if (d > 0) { filled++; max = Math.max(max, d); }
  // at most one pixel per in-image point (19,480 of them for this frame), and many share pixels
  assert.ok(filled > 15_000 && filled <= 19_480, `filled ${filled}`);
  assert.ok(max < 121, `max depth ${max} m beyond the HDL-64E's range`);
  assert.deepEqual([readPng(png).width, readPng(png).height], [1241, 376]);
  const py = spawnSync('python3', ['-c', `import numpy; a = numpy.load(${JSON.stringify(out)}); print(a.shape, a.dtype)`], { encoding: 'utf8' });
  if (py.status === 0) assert.equal(py.stdout.trim(), '(376, 1241) float32');
});

test('i2p depth-image crops and resizes to the network input; --complete fills it', { skip: (!built && 'dist/ not built') || skipUnless(odo, 'kitti-odometry-sample') }, () => {
  const dir = tempDir('i2p-cli-');
  const sparse = path.join(dir, 's.npy'), dense = path.join(dir, 'c.npy');
  const common = ['depth-image', '--root', odo!, '--frame', '1', '--camera', '3', '--crop-top', '165', '--width', '800', '--height', '128'];
  assert.equal(i2p([...common, '--out', sparse]).status, 0);
  assert.equal(i2p([...common, '--out', dense, '--complete']).status, 0);
  const count = (f: string) => (readNpy(f).data as Float32Array).reduce((n, d) => n + (d > 0 ? 1 : 0), 0);
  assert.deepEqual(readNpy(dense).shape, [128, 800]);
  assert.ok(count(dense) > 2 * count(sparse), `completion filled ${count(dense)} vs ${count(sparse)}`);
});

test('i2p project draws the scan on the image', { skip: (!built && 'dist/ not built') || skipUnless(odo, 'kitti-odometry-sample') }, () => {
  const out = path.join(tempDir('i2p-cli-'), 'p.png');
  const r = i2p(['project', '--root', odo!, '--frame', '1', '--camera', '3', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.ok(summary.shareInImage >= 0.15 && summary.shareInImage <= 0.17);
  assert.deepEqual([readPng(out).width, readPng(out).height], [1241, 376]);
});

test('bad options and missing files give errors naming them', { skip: (!built && 'dist/ not built') || skipUnless(odo, 'kitti-odometry-sample') }, () => {
  const out = path.join(tempDir('i2p-cli-'), 'x.npy');
  let r = i2p(['depth-image', '--root', odo!, '--frame', '0', '--camera', '3', '--out', out]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /000000\.bin/);
  r = i2p(['depth-image', '--root', odo!, '--frame', '1', '--camera', '4', '--out', out]);
  assert.match(r.stderr, /--camera: expected an integer in \[2, 3\], got '4'/);
  r = i2p(['depth-image', '--root', odo!, '--frame', '1', '--mode', 'disparity', '--out', out]);
  assert.match(r.stderr, /--mode: expected 'depth' or 'range', got 'disparity'/);
  r = i2p(['depth-image', '--root', '/nonexistent-kitti', '--frame', '1', '--out', out]);
  assert.match(r.stderr, /--root: folder \/nonexistent-kitti does not exist/);
  r = i2p(['project', '--root', odo!, '--frame', '1', '--camera', '2', '--out', out]);
  assert.match(r.stderr, /image_2\/000001\.png: no camera 2 image/);
  r = i2p(['register', 'eval', '--run', path.join(REPO_ROOT, 'models', 'registration-laptop'), '--data', odo!, '--sequences', 'nine']);
  assert.match(r.stderr, /--sequences: expected an integer in \[0, Infinity\], got 'nine'/);
  r = i2p(['register', 'eval', '--run', path.join(REPO_ROOT, 'models', 'registration-laptop'), '--data', odo!]);
  assert.match(r.stderr, /no test pairs: sequences \[9,10\]/); // real KITTI's test split; --sequences 0 picks the sample's
});

test('register baseline-eval: bad inference overrides name the option', { skip: !built && 'dist/ not built' }, () => {
  const run = path.join(REPO_ROOT, 'models', 'explicit-baseline-laptop');
  let r = i2p(['register', 'baseline-eval', '--run', run, '--data', '/nonexistent', '--in-frustum-threshold', '1.5']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--in-frustum-threshold: expected a number in \(0, 1\), got '1\.5'/);
  r = i2p(['register', 'baseline-eval', '--run', run, '--data', '/nonexistent', '--ransac-iterations', '0']);
  assert.match(r.stderr, /--ransac-iterations: expected an integer in \[1, 1000000\], got '0'/);
});
