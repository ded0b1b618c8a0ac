// The synthetic dataset generator: config validation, ray casting, LiDAR beams, poses,
// the written KITTI layout, determinism across worker counts, and realism ranges.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../../src/core/errors.js';
import { KittiOdometry } from '../../../src/data/kitti/odometry.js';
import {
  beamElevations, buildBvh, buildWorld, compareChecksums, datasetChecksums, emptyHit, ensureSyntheticDataset, expectedChecksums,
  generateSynthetic, hashU32, intersectBvh, loadPreset, MeshBuilder, normalFromHash, realismTable, scanStats, settingsHash,
  syntheticRealism, validateSyntheticConfig, DEFAULT_SYNTHETIC_CONFIG, MANIFEST_FILE,
} from '../../../src/data/synthetic/index.js';
import { tempDir } from '../shared-data.js';

const small = (): ReturnType<typeof loadPreset> => ({ ...loadPreset('tiny'), drives: { ...loadPreset('tiny').drives, frames: [2, 1] } });

test('validateSyntheticConfig merges defaults and names bad fields', () => {
  assert.deepEqual(validateSyntheticConfig({}).lidar, DEFAULT_SYNTHETIC_CONFIG.lidar);
  assert.throws(() => validateSyntheticConfig({ lidar: { beams: 0 } }), (e: unknown) => e instanceof ConfigError && e.field === 'lidar.beams');
  assert.throws(() => validateSyntheticConfig({ camera: { scale: 2 } }), (e: unknown) => e instanceof ConfigError && e.field === 'camera.scale');
  assert.throws(() => validateSyntheticConfig({ drives: { frames: [3, -1] } }), (e: unknown) => e instanceof ConfigError && e.field === 'drives.frames[1]');
  assert.throws(() => validateSyntheticConfig({ town: { colour: 1 } as never }), (e: unknown) => e instanceof ConfigError && e.field === 'town.colour');
  assert.throws(() => validateSyntheticConfig({ drives: { speedMinMps: 9, speedMaxMps: 5 } }), (e: unknown) => e instanceof ConfigError && e.field === 'drives.speedMaxMps');
});

test('BVH ray cast hits a hand-made box at the known distance with the right normal', () => {
  const mb = new MeshBuilder();
  mb.box(10, 0, 0, 2, 2, 3, 0, 5); // x faces at 9 and 11
  mb.box(-20, 5, 0, 1, 1, 1, 0.3, 6);
  const bvh = buildBvh(mb.build());
  const hit = emptyHit();
  assert.ok(intersectBvh(bvh, 0, 0, 1, 1, 0, 0, 100, hit));
  assert.ok(Math.abs(hit.t - (10 - 2 / 2)) < 1e-5);
  assert.equal(hit.material, 5);
  assert.deepEqual([Math.round(hit.nx), Math.round(hit.ny), Math.round(hit.nz)], [-1, 0, 0]);
  const down = emptyHit(); // from above onto the top face at z = 3
  assert.ok(intersectBvh(bvh, 10, 0, 10, 0, 0, -1, 100, down));
  assert.ok(Math.abs(down.t - (10 - 3)) < 1e-5);
  assert.ok(Math.abs(down.nz - 1) < 1e-6);
  assert.ok(!intersectBvh(bvh, 0, 0, 1, 0, 1, 0, 100, emptyHit()));
  assert.ok(!intersectBvh(bvh, 0, 0, 1, 1, 0, 0, 5, emptyHit()), 'tMax 5 stops before the box');
});

test('LiDAR beam elevations span +2 to -24.8 degrees over 64 beams', () => {
  const e = beamElevations(DEFAULT_SYNTHETIC_CONFIG.lidar);
  assert.equal(e.length, 64);
  assert.ok(Math.abs((e[0] * 180) / Math.PI - 2) < 1e-9);
  assert.ok(Math.abs((e[63] * 180) / Math.PI + 24.8) < 1e-9);
  for (let i = 1; i < 64; i++) assert.ok(e[i] < e[i - 1]);
  const deg = (i: number): number => (e[i] * 180) / Math.PI;
  // HDL-64E-like blocks: upper 32 beams +2..-8.33 at ~1/3 degree, lower 32 beams -8.83..-24.8 at ~1/2 degree.
  assert.ok(Math.abs(deg(31) + 8.33) < 1e-9 && Math.abs(deg(32) + 8.83) < 1e-9);
  assert.ok(Math.abs(deg(0) - deg(1) - (2 + 8.33) / 31) < 1e-9);
  assert.ok(Math.abs(deg(32) - deg(33) - (24.8 - 8.83) / 31) < 1e-9);
  const uniform = beamElevations({ ...DEFAULT_SYNTHETIC_CONFIG.lidar, upperBlockBeams: 0 });
  assert.ok(Math.abs((uniform[1] - uniform[0]) * 180 / Math.PI + 26.8 / 63) < 1e-9);
  assert.throws(() => validateSyntheticConfig({ lidar: { upperBlockMinDeg: 5 } }), (err: unknown) => err instanceof ConfigError && err.field === 'lidar.upperBlockMinDeg');
  assert.throws(() => validateSyntheticConfig({ town: { setbackMinM: 8, setbackMaxM: 4 } }), (err: unknown) => err instanceof ConfigError && err.field === 'town.setbackMaxM');
});

test('counter-based sensor noise: uniform hashes, unit-variance normals, deterministic', () => {
  let m = 0, v = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) { const x = normalFromHash(hashU32(12345, i)); m += x; v += x * x; }
  m /= n; v = v / n - m * m;
  assert.ok(Math.abs(m) < 0.03, `mean ${m}`);
  assert.ok(Math.abs(v - 1) < 0.05, `variance ${v}`);
  assert.equal(hashU32(1, 2), hashU32(1, 2));
  assert.notEqual(hashU32(1, 2), hashU32(1, 3));
});

test('tiny preset: ensureSyntheticDataset generates then reuses; checksums match datasets/checksums/tiny.json', async () => {
  const root = tempDir('i2p-syn-tiny-');
  assert.equal(await ensureSyntheticDataset('tiny', root, { workers: 2, verbose: false }), root);
  const manifest = JSON.parse(fs.readFileSync(path.join(root, MANIFEST_FILE), 'utf8')) as { complete: boolean };
  assert.equal(manifest.complete, true);
  const mtime = fs.statSync(path.join(root, 'sequences/00/velodyne/000000.bin')).mtimeMs;
  await ensureSyntheticDataset('tiny', root, { workers: 2, verbose: false });
  assert.equal(fs.statSync(path.join(root, 'sequences/00/velodyne/000000.bin')).mtimeMs, mtime, 'a complete dataset is not rewritten');
  const cfg = loadPreset('tiny');
  const actual = datasetChecksums(root, cfg, settingsHash(cfg));
  const expected = expectedChecksums('tiny');
  assert.ok(expected, 'datasets/checksums/tiny.json is recorded');
  assert.deepEqual(compareChecksums(actual, expected), [], 'regenerate with: i2p generate --preset tiny --out DIR --write-checksums datasets/checksums/tiny.json (and bump GENERATOR_VERSION)');
  fs.appendFileSync(path.join(root, 'sequences/01/times.txt'), '\n');
  assert.match(compareChecksums(datasetChecksums(root, cfg, settingsHash(cfg)), expected).join(), /sequence 01/);
});

test('realism at full size (1241 x 376) is in the real KITTI ranges', () => {
  const world = buildWorld(loadPreset('tiny'));
  const row = syntheticRealism(world, 1);
  const m = row.mean;
  assert.ok(m.points > 110_000 && m.points < 135_000, `points per scan ${m.points}`);
  assert.ok(m.inImageShare > 0.12 && m.inImageShare < 0.2, `in-image share ${m.inImageShare}`);
  assert.ok(m.pixelCoverage > 0.025 && m.pixelCoverage < 0.055, `pixel coverage ${m.pixelCoverage}`);
  assert.ok(m.depthHistogram[0] < 0.45 && m.depthHistogram[1] > 0.3, `depth histogram ${m.depthHistogram}`);
  assert.match(realismTable([row]), /^\| data \(1241 x 376, camera 2\)/);
});

test('tiny output: KITTI reader reads it, poses are rigid and plausibly spaced, realism in range, same bytes for 0 and 2 workers', async () => {
  const cfg = small();
  const a = tempDir('i2p-syn-a-'), b = tempDir('i2p-syn-b-');
  const [ra] = await Promise.all([generateSynthetic(cfg, a, { workers: 0 }), generateSynthetic(cfg, b, { workers: 2 })]);
  assert.equal(ra.rendered, 3);
  for (const rel of ['sequences/00/velodyne/000001.bin', 'sequences/00/image_2/000000.png', 'sequences/01/image_3/000000.png', 'poses/01.txt', 'sequences/00/calib.txt']) {
    assert.ok(fs.readFileSync(path.join(a, rel)).equals(fs.readFileSync(path.join(b, rel))), `${rel} differs between workers 0 and 2`);
  }
  const again = await generateSynthetic(cfg, a, { workers: 0 });
  assert.equal(again.reused, 3);
  assert.equal(again.rendered, 0);
  const seq = new KittiOdometry(a).sequence(0);
  const poses = seq.poses!;
  assert.equal(poses.length, 2);
  for (const P of poses) { // rotation part orthonormal (KITTI's Tr is orthonormal to ~1e-7)
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) {
      let dot = 0;
      for (let k = 0; k < 3; k++) dot += P[r * 4 + k] * P[c * 4 + k];
      assert.ok(Math.abs(dot - (r === c ? 1 : 0)) < 1e-5);
    }
  }
  const step = Math.hypot(poses[1][3] - poses[0][3], poses[1][7] - poses[0][7], poses[1][11] - poses[0][11]);
  assert.ok(step > 0.3 && step < 2, `frame spacing ${step} m`);
  const scan = seq.scan(0);
  const img = seq.image(0, 2);
  assert.equal(img.width, Math.round(1241 * cfg.camera.scale));
  const calib = seq.calib;
  const s = scanStats(scan.points, calib.Tr, calib.P2, img.width, img.height);
  assert.ok(s.points > 100_000 && s.points < 133_000, `points per scan ${s.points}`);
  assert.ok(s.inImageShare > 0.1 && s.inImageShare < 0.25, `in-image share ${s.inImageShare}`);
});
