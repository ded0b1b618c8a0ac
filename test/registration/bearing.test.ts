import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { ConfigError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { yawPose } from '../../src/registration/frustum-fit.js';
import { alongOffsets, alongPolarImages, cameraOffsetInCloud, DEFAULT_BEARING_CONFIG, POLAR_CHANNELS, poseCentre, poseHeading, polarImage, polarImages, sensorCentre, validateBearingConfig } from '../../src/registration/bearing-polar.js';
import { alongHeadingLoss, bestHeading, createBearingNet, headingLoss } from '../../src/registration/bearing.js';
import { bearingFrustumPoses } from '../../src/registration/model.js';
import { KittiOdometry } from '../../src/data/kitti/odometry.js';
import { buildPair } from '../../src/data/pairs/build-pair.js';
import { PAIR_PRESETS } from '../../src/data/pairs/config.js';
import { sharedData, skipUnless } from '../data/shared-data.js';

const small = validateBearingConfig({ bins: 24, rangeBins: 4, pointChannels: [4, 4, 6, 6], imageChannels: [4, 4, 6, 6], featureDim: 5 });

/** Points at the centres of polar cells (bearing bin, range bin) around (cx, cz), at height y. */
function cellPoints(cells: [number, number, number][], c: typeof small, cx: number, cz: number): Float32Array {
  const logMin = Math.log(c.rangeMinM), logStep = (Math.log(c.rangeMaxM) - logMin) / c.rangeBins;
  return Float32Array.from(cells.flatMap(([bi, ri, y]) => {
    const th = ((bi + 0.5) / c.bins) * 2 * Math.PI, r = Math.exp(logMin + (ri + 0.5) * logStep);
    return [cx + r * Math.sin(th), y, cz + r * Math.cos(th)];
  }));
}

describe('bearing frustum pose: geometry', () => {
  it('polarImage counts, shares and heights per cell, by hand', () => {
    const c = small;
    // two points in cell (bearing 6 = 90-105 deg, range 1): one on the ground (y = groundYM), one 3 m above it; one in (0, 3)
    const pts = cellPoints([[6, 1, c.groundYM], [6, 1, c.groundYM - 3], [0, 3, c.groundYM - 1.5]], c, 2, -1);
    const img = polarImage(pts, 2, -1, c);
    assert.equal(img.length, c.rangeBins * c.bins * POLAR_CHANNELS);
    const at = (ri: number, bi: number, ch: number): number => img[(ri * c.bins + bi) * POLAR_CHANNELS + ch];
    assert.ok(Math.abs(at(1, 6, 0) - Math.log(3)) < 1e-6); // log(1 + 2)
    assert.ok(Math.abs(at(1, 6, 1) - 0.5) < 1e-6); // one of two above groundYM - aboveGroundM
    assert.ok(Math.abs(at(1, 6, 2) - (0 + 1) / 2) < 1e-6); // heights 0 m and 3 m, in units of 3 m
    assert.ok(Math.abs(at(3, 0, 0) - Math.log(2)) < 1e-6 && at(3, 0, 1) === 1 && Math.abs(at(3, 0, 2) - 0.5) < 1e-6);
    let total = 0;
    for (let i = 0; i < c.rangeBins * c.bins; i++) total += Math.expm1(img[i * POLAR_CHANNELS]);
    assert.ok(Math.abs(total - 3) < 1e-5); // nothing else is filled
  });

  it('leaves out points nearer than rangeMinM and farther than rangeMaxM', () => {
    const pts = Float32Array.from([0, 0, small.rangeMinM * 0.9, small.rangeMaxM * 1.01, 0, 0]);
    assert.ok(polarImage(pts, 0, 0, small).every((v) => v === 0));
  });

  it('turning the scan about the centre by k bins shifts the polar image by k bearing columns', () => {
    const c = small, rng = createRng(3), cells: [number, number, number][] = [];
    for (let i = 0; i < 40; i++) cells.push([rng.int(c.bins), rng.int(c.rangeBins), rng.uniform(-2, 2)]);
    const k = 5, a = polarImage(cellPoints(cells, c, 1.5, 2), 1.5, 2, c);
    const b = polarImage(cellPoints(cells.map(([bi, ri, y]) => [(bi + k) % c.bins, ri, y]), c, 1.5, 2), 1.5, 2, c);
    for (let ri = 0; ri < c.rangeBins; ri++) {
      for (let bi = 0; bi < c.bins; bi++) {
        for (let ch = 0; ch < POLAR_CHANNELS; ch++) {
          assert.ok(Math.abs(b[(ri * c.bins + (bi + k) % c.bins) * 3 + ch] - a[(ri * c.bins + bi) * 3 + ch]) < 1e-6);
        }
      }
    }
  });

  it('sensorCentre finds the centre of a synthetic LiDAR ring pattern (empty disk, dense rings) to 0.05 m', () => {
    const rng = createRng(11), truth = { x: 3.37, z: -6.12 }, pts: number[] = [];
    for (let ring = 0; ring < 12; ring++) { // ground rings from 3.75 m outwards, points along each, jittered
      const r = 3.75 * 1.25 ** ring;
      for (let j = 0; j < 180; j++) { const th = rng.uniform(0, 2 * Math.PI), rr = r + rng.uniform(-0.05, 0.05); pts.push(truth.x + rr * Math.sin(th), 1.7, truth.z + rr * Math.cos(th)); }
    }
    for (let j = 0; j < 800; j++) { // walls and cars: clutter beyond 8 m (a scan has no returns inside its first ring)
      const x = rng.uniform(-40, 40), z = rng.uniform(-40, 40);
      if (Math.hypot(x - truth.x, z - truth.z) > 8) pts.push(x, rng.uniform(-3, 1), z);
    }
    const got = sensorCentre(pts, DEFAULT_BEARING_CONFIG);
    assert.ok(Math.hypot(got.x - truth.x, got.z - truth.z) < 0.05, JSON.stringify(got));
  });

  it('sensorCentre equals the brute-force search (every point against every grid point) on seeded clouds and configs', () => {
    // the definition, point by point: the coarse ring score at every grid point (first best in the order i, then j),
    // then the largest empty circle (the emptyRank-th nearest point farthest) on the fine grid around it
    const reference = (p: ArrayLike<number>, c: typeof DEFAULT_BEARING_CONFIG) => {
      const N = p.length / 3, f = Float32Array.from(p); // the search reads float32 coordinates
      const d2 = (i: number, x: number, z: number) => { const dx = f[3 * i] - x, dz = f[3 * i + 2] - z; return dx * dx + dz * dz; };
      let best = { x: 0, z: 0, score: -Infinity };
      const n = Math.round(c.centreHalfM / c.centreStepM);
      for (let i = -n; i <= n; i++) for (let j = -n; j <= n; j++) {
        const x = 0 + i * c.centreStepM, z = 0 + j * c.centreStepM;
        let s = 0;
        for (let q = 0; q < N; q++) { const d = d2(q, x, z); if (d < c.emptyRadiusM ** 2) s -= c.emptyPenalty; else if (d >= c.ringInnerM ** 2 && d <= c.ringOuterM ** 2) s += 1; }
        if (s > best.score) best = { x, z, score: s };
      }
      const k = Math.min(c.emptyRank, N), kth = (x: number, z: number) => Math.sqrt(Array.from({ length: N }, (_, q) => d2(q, x, z)).sort((a, b) => a - b)[k - 1]);
      const m = Math.round(c.refineHalfM / c.refineStepM);
      let fine = { x: best.x, z: best.z, radius: kth(best.x, best.z) };
      for (let i = -m; i <= m; i++) for (let j = -m; j <= m; j++) {
        const x = best.x + i * c.refineStepM, z = best.z + j * c.refineStepM, r = kth(x, z);
        if (r > fine.radius) fine = { x, z, radius: r };
      }
      return { x: fine.x, z: fine.z, score: best.score, emptyRadiusM: fine.radius };
    };
    const configs = [DEFAULT_BEARING_CONFIG, validateBearingConfig({ centreStepM: 0.25, centreHalfM: 6 }), validateBearingConfig({ emptyRadiusM: 4, ringInnerM: 3.3, ringOuterM: 6, emptyPenalty: 2, centreStepM: 0.7, emptyRank: 1 })];
    for (let seed = 0; seed < 6; seed++) {
      const rng = createRng(100 + seed), cx = rng.uniform(-9, 9), cz = rng.uniform(-9, 9), pts: number[] = [];
      for (let ring = 0; ring < 8; ring++) {
        const r = 3.75 * 1.25 ** ring;
        for (let j = 0; j < 60; j++) { const th = rng.uniform(0, 2 * Math.PI); pts.push(cx + r * Math.sin(th), 1.7, cz + r * Math.cos(th)); }
      }
      for (let j = 0; j < 300; j++) pts.push(rng.uniform(-30, 30), 0, rng.uniform(-30, 30)); // clutter, some of it inside the rings
      // points on grid lines and at exactly the annulus' radii from grid points: the boundary cases of the intervals
      for (let j = 0; j < 20; j++) pts.push(0.5 * rng.int(20), 0, 0.5 * rng.int(20) + 3.3, 0.25 * rng.int(40), 0, 7);
      const c = configs[seed % configs.length];
      assert.deepEqual(sensorCentre(pts, c), reference(pts, c), `seed ${seed}`);
    }
  });

  it('poseHeading and poseCentre read back yawPose: the forward axis at bearing -theta, the centre c', () => {
    for (const [theta, cx, cz] of [[0.4, 2, -3], [-2.8, -7.5, 1.25], [3.0, 0, 9]]) {
      const T = yawPose(theta, cx, cz), psi = poseHeading(T), ctr = poseCentre(T);
      assert.ok(Math.abs(Math.atan2(Math.sin(psi + theta), Math.cos(psi + theta))) < 1e-12);
      assert.ok(Math.abs(ctr.x - cx) < 1e-12 && Math.abs(ctr.z - cz) < 1e-12);
      // a point straight ahead of the camera (bearing psi from the centre) lands on the camera's +z axis
      const p = [cx + 5 * Math.sin(psi), 0, cz + 5 * Math.cos(psi)];
      const xc = T[0] * p[0] + T[2] * p[2] + T[3], zc = T[8] * p[0] + T[10] * p[2] + T[11];
      assert.ok(Math.abs(xc) < 1e-9 && Math.abs(zc - 5) < 1e-9);
    }
  });

  it('cameraOffsetInCloud turns a camera-frame offset by the heading: forward goes to bearing psi, by hand', () => {
    for (const psi of [0.3, -2.2, 3.1]) {
      const f = cameraOffsetInCloud(psi, [0, 5, 1]); // y ignored
      assert.ok(Math.abs(f.x - Math.sin(psi)) < 1e-12 && Math.abs(f.z - Math.cos(psi)) < 1e-12);
      const o = [-0.47, -0.08, -0.28], g = cameraOffsetInCloud(psi, o);
      assert.ok(Math.abs(g.x - (o[0] * Math.cos(psi) + o[2] * Math.sin(psi))) < 1e-12 && Math.abs(g.z - (-o[0] * Math.sin(psi) + o[2] * Math.cos(psi))) < 1e-12);
    }
  });

  it('polarImages stacks polarImage pair by pair', () => {
    const rng = createRng(21), pts = Float32Array.from({ length: 2 * 50 * 3 }, () => rng.uniform(-30, 30)), centres = [1, -2, -3, 4];
    const all = polarImages(pts, centres, small), cells = small.rangeBins * small.bins * POLAR_CHANNELS;
    assert.deepEqual(all.subarray(0, cells), polarImage(pts.subarray(0, 150), 1, -2, small));
    assert.deepEqual(all.subarray(cells), polarImage(pts.subarray(150), -3, 4, small));
    assert.throws(() => polarImages(pts.subarray(1), centres, small), /do not make B pairs/);
  });

  it('validateBearingConfig names the bad field', () => {
    assert.throws(() => validateBearingConfig({ bins: 7 }), (e: unknown) => e instanceof ConfigError && /registration\.bearing\.bins/.test(e.message));
    assert.throws(() => validateBearingConfig({ rangeMaxM: 1 }), (e: unknown) => e instanceof ConfigError && /rangeMaxM/.test(e.message));
    assert.throws(() => validateBearingConfig({ imageChannels: [4, 4] }), (e: unknown) => e instanceof ConfigError && /imageChannels/.test(e.message));
    assert.throws(() => validateBearingConfig({ nope: 1 } as never), (e: unknown) => e instanceof ConfigError && /nope/.test(e.message));
    assert.throws(() => validateBearingConfig({ alongHalfM: -1 }), (e: unknown) => e instanceof ConfigError && /alongHalfM/.test(e.message));
    assert.throws(() => validateBearingConfig({ alongHalfM: 6, alongStepM: 0.001 }), (e: unknown) => e instanceof ConfigError && /alongStepM/.test(e.message));
  });

  it('alongPolarImages: pair b, hypothesis a is polarImage of pair b around its centre moved offsets[a] along its axis', () => {
    const rng = createRng(31), N = 50, pts = Float32Array.from({ length: 2 * N * 3 }, () => rng.uniform(-15, 15));
    const centres = [0.5, -1, 2, 3], axes = [0, 1, Math.sin(0.7), Math.cos(0.7)], offsets = [-1, 0, 2];
    const got = alongPolarImages(pts, centres, axes, offsets, small), cells = small.rangeBins * small.bins * 3;
    for (let b = 0; b < 2; b++) offsets.forEach((d, a) => assert.deepEqual(got.subarray((b * 3 + a) * cells, (b * 3 + a + 1) * cells),
      polarImage(pts.subarray(3 * N * b, 3 * N * (b + 1)), centres[2 * b] + d * axes[2 * b], centres[2 * b + 1] + d * axes[2 * b + 1], small), `pair ${b}, d ${d}`));
    assert.throws(() => alongPolarImages(pts, centres, [0, 1], offsets, small), /axis/);
  });

  it('alongOffsets: symmetric about 0, step alongStepM, inside the half-width; [0] when off', () => {
    assert.deepEqual(alongOffsets(DEFAULT_BEARING_CONFIG), [0]);
    assert.deepEqual(alongOffsets({ alongHalfM: 2, alongStepM: 1 }), [-2, -1, 0, 1, 2]);
    assert.deepEqual(alongOffsets({ alongHalfM: 1.6, alongStepM: 0.5 }), [-1.5, -1, -0.5, 0, 0.5, 1, 1.5]);
    assert.deepEqual(alongOffsets({ alongHalfM: 0.3, alongStepM: 0.1 }), [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]); // no float drift loses the last step
  });
});

describe('bearing frustum pose: network', () => {
  const H = 16, W = 32, K = [20, 0, 15.5, 0, 20, 7.5, 0, 0, 1];

  it('a circular shift of the polar image by k bins shifts every heading score by k bins (circular convolutions, integer shifts)', () => {
    const net = createBearingNet(small, W, createRng(5)), rng = createRng(6);
    const polar = tf.tensor4d(Float32Array.from({ length: small.rangeBins * small.bins * 3 }, () => rng.uniform(0, 1)), [1, small.rangeBins, small.bins, 3]);
    const image = tf.tensor4d(Float32Array.from({ length: H * W * 3 }, () => rng.uniform(0, 1)), [1, H, W, 3]);
    const Kt = tf.tensor2d(K, [1, 9]), k = 7;
    const rolled = tf.concat([tf.slice(polar, [0, 0, small.bins - k, 0], [-1, -1, k, -1]), tf.slice(polar, [0, 0, 0, 0], [-1, -1, small.bins - k, -1])], 2) as typeof polar;
    const a = net.scores(polar, image, Kt).dataSync(), b = net.scores(rolled, image, Kt).dataSync();
    for (let i = 0; i < small.bins; i++) assert.ok(Math.abs(b[(i + k) % small.bins] - a[i]) < 1e-4, `bin ${i}`);
    assert.ok(Math.max(...a) - Math.min(...a) > 1e-3); // not a constant
    tf.dispose([polar, image, Kt, rolled]); net.dispose();
  });

  it('headingLoss is the cross-entropy against the label split between the two bins around the heading', () => {
    const Bn = 8, scores = Float32Array.from({ length: 2 * Bn }, (_, i) => Math.sin(i));
    const headings = [((2.25) / Bn) * 2 * Math.PI, ((7.5) / Bn) * 2 * Math.PI]; // bin 2.25; bin 7.5 wraps to 0
    const got = headingLoss(tf.tensor2d(scores, [2, Bn]), headings).dataSync()[0];
    const lse = (r: number): number => Math.log(Array.from({ length: Bn }, (_, j) => Math.exp(scores[r * Bn + j])).reduce((a, b) => a + b));
    const logp = (r: number, j: number): number => scores[r * Bn + j] - lse(r);
    const want = -((0.75 * logp(0, 2) + 0.25 * logp(0, 3)) + (0.5 * logp(1, 7) + 0.5 * logp(1, 0))) / 2;
    assert.ok(Math.abs(got - want) < 1e-5, `${got} vs ${want}`);
  });

  it('scores with perImage A equal scores of the image repeated A times (one image, A polar images)', () => {
    const net = createBearingNet(small, W, createRng(7)), rng = createRng(8), A = 3;
    const polar = tf.tensor4d(Float32Array.from({ length: 2 * A * small.rangeBins * small.bins * 3 }, () => rng.uniform(0, 1)), [2 * A, small.rangeBins, small.bins, 3]);
    const image = tf.tensor4d(Float32Array.from({ length: 2 * H * W * 3 }, () => rng.uniform(0, 1)), [2, H, W, 3]);
    const K2 = [...K, 22, 0, 12, 0, 22, 8, 0, 0, 1]; // the second image's own intrinsics
    const rep = (t: Parameters<typeof tf.gather>[0], idx: number[]) => tf.gather(t, tf.tensor1d(idx, 'int32'));
    const idx = [0, 0, 0, 1, 1, 1];
    const shared = net.scores(polar, image, tf.tensor2d(K2, [2, 9]), A).arraySync();
    const tiled = net.scores(polar, rep(image, idx) as typeof image, rep(tf.tensor2d(K2, [2, 9]), idx) as never).arraySync();
    assert.equal(shared.length, 2 * A);
    shared.forEach((row, r) => row.forEach((v, k) => assert.ok(Math.abs(v - tiled[r][k]) < 1e-5, `row ${r} bin ${k}: ${v} vs ${tiled[r][k]}`)));
    assert.throws(() => net.scores(polar, image, tf.tensor2d(K2, [2, 9]), 2), /polar/); // 6 polar images are not 2 x 2
    net.dispose();
  });

  it('imageRowBands k: each column band keeps its rows in k bands; with the projection tiled k times / k it is the mean over rows again', () => {
    const Hk = 32, rng = createRng(21); // 32 rows -> 2 output rows
    const one = createBearingNet(small, W, createRng(22)), two = createBearingNet(validateBearingConfig({ ...small, imageRowBands: 2 }), W, createRng(22));
    const v1 = one.trainableVariables, v2 = two.trainableVariables, n = v1.length; // same draws up to the image projection (drawn last)
    for (let i = 0; i < n - 3; i++) v2[i].assign(v1[i]);
    v2[n - 3].assign(tf.div(tf.concat([v1[n - 3], v1[n - 3]], 0), 2)); // kernel [2 C, D]: band 0's channels, then band 1's
    v2[n - 2].assign(v1[n - 2]);
    const polar = tf.tensor4d(Float32Array.from({ length: small.rangeBins * small.bins * 3 }, () => rng.uniform(0, 1)), [1, small.rangeBins, small.bins, 3]);
    const image = tf.tensor4d(Float32Array.from({ length: Hk * W * 3 }, () => rng.uniform(0, 1)), [1, Hk, W, 3]);
    const Kt = tf.tensor2d(K, [1, 9]);
    const a = one.scores(polar, image, Kt).dataSync(), b = two.scores(polar, image, Kt).dataSync();
    a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 1e-4, `bin ${i}: ${x} vs ${b[i]}`));
    v2[n - 3].assign(tf.concat([v1[n - 3], tf.zerosLike(v1[n - 3])], 0)); // only the top band: the scores change
    const top = two.scores(polar, image, Kt).dataSync();
    assert.ok(Math.max(...Array.from(top, (x, i) => Math.abs(x - a[i]))) > 1e-3);
    const three = createBearingNet(validateBearingConfig({ ...small, imageRowBands: 3 }), W, createRng(22));
    assert.throws(() => three.scores(polar, image, Kt), (e: unknown) => e instanceof ConfigError && /imageRowBands/.test(e.message) && /2 output rows/.test(e.message));
    tf.dispose([polar, image, Kt]); one.dispose(); two.dispose(); three.dispose();
  });

  it('alongHeadingLoss is the cross-entropy of one softmax over (hypothesis, heading) against (the true hypothesis, the split heading label)', () => {
    const Bn = 4, A = 3, scores = Float32Array.from({ length: 2 * A * Bn }, (_, i) => Math.cos(1.7 * i));
    const headings = [(1.25 / Bn) * 2 * Math.PI, (3.5 / Bn) * 2 * Math.PI], t = 1;
    const got = alongHeadingLoss(tf.tensor2d(scores, [2 * A, Bn]), A, t, headings).dataSync()[0];
    const lse = (p: number): number => Math.log(Array.from({ length: A * Bn }, (_, j) => Math.exp(scores[p * A * Bn + j])).reduce((a, b) => a + b));
    const logp = (p: number, a: number, k: number): number => scores[(p * A + a) * Bn + k] - lse(p);
    const want = -((0.75 * logp(0, t, 1) + 0.25 * logp(0, t, 2)) + (0.5 * logp(1, t, 3) + 0.5 * logp(1, t, 0))) / 2;
    assert.ok(Math.abs(got - want) < 1e-5, `${got} vs ${want}`);
    // with one hypothesis it is headingLoss
    const one = Float32Array.from({ length: 2 * Bn }, (_, i) => Math.sin(i));
    assert.ok(Math.abs(alongHeadingLoss(tf.tensor2d(one, [2, Bn]), 1, 0, headings).dataSync()[0] - headingLoss(tf.tensor2d(one, [2, Bn]), headings).dataSync()[0]) < 1e-6);
    assert.throws(() => alongHeadingLoss(tf.tensor2d(scores, [2 * A, Bn]), A, A, headings), /trueHypothesis/);
    assert.throws(() => alongHeadingLoss(tf.tensor2d(scores, [2 * A, Bn]), 2, 0, headings), /score rows/);
  });

  it('bearingFrustumPoses with searchAlong scores every centre moved along z and keeps the best (checked against the polar image drawn at that centre)', () => {
    const cfg = validateBearingConfig({ ...small, alongHalfM: 2, alongStepM: 1 });
    const net = createBearingNet(cfg, W, createRng(9)), rng = createRng(10), N = 300;
    const pts = Float32Array.from({ length: 3 * N }, (_, i) => (i % 3 === 1 ? rng.uniform(-1, 1.7) : rng.uniform(-20, 20)));
    const batch = () => ({ image: tf.tensor4d(Float32Array.from({ length: H * W * 3 }, (_, i) => ((i * 7919) % 255) / 255), [1, H, W, 3]), points: tf.tensor3d(pts, [1, N, 3]), K: tf.tensor3d(K, [1, 3, 3]), lidarCentre: [0.3, -0.2] });
    const b = batch(), r = bearingFrustumPoses(net, b, true);
    // the same network on the five polar images, one at a time
    const each = alongOffsets(cfg).map((d) => {
      const s = net.scores(tf.tensor4d(polarImage(pts, 0.3, -0.2 + d, cfg), [1, cfg.rangeBins, cfg.bins, 3]), b.image, tf.tensor2d(K, [1, 9])).dataSync();
      return { d, best: Math.max(...s) };
    });
    const win = each.reduce((a, c) => (c.best > a.best ? c : a));
    assert.equal(r.alongM[0], win.d);
    assert.ok(Math.abs(r.bestScore[0] - win.best) < 1e-5);
    assert.ok(Math.max(...each.map((e) => e.best)) - Math.min(...each.map((e) => e.best)) > 1e-4); // the hypotheses differ
    assert.ok(Math.abs(r.centres[1] - (-0.2 + win.d)) < 1e-9 && Math.abs(r.centres[0] - 0.3) < 1e-9); // no lidarOrigin: the camera is at the centre
    const off = bearingFrustumPoses(net, batch(), false);
    assert.equal(off.alongM[0], 0);
    assert.ok(Math.abs(off.bestScore[0] - each.find((e) => e.d === 0)!.best) < 1e-5);
    assert.throws(() => bearingFrustumPoses(createBearingNet(small, W, createRng(9)), batch(), true), /alongHalfM/);
    tf.dispose([r.camFromPoints, off.camFromPoints]); net.dispose();
  });

  it('bestHeading finds the vertex of a parabola between bins, and wraps around bin 0', () => {
    const Bn = 36, peak = 10.3, s = Array.from({ length: Bn }, (_, k) => -((k - peak) ** 2));
    assert.ok(Math.abs(bestHeading(s) - (peak / Bn) * 2 * Math.PI) < 1e-9);
    const w = Array.from({ length: Bn }, (_, k) => -(Math.min(Math.abs(k - 0.2), Bn - Math.abs(k - 0.2)) ** 2)); // peak at 0.2 bins
    assert.ok(Math.abs(bestHeading(w) - (0.2 / Bn) * 2 * Math.PI) < 1e-9);
    const v = Array.from({ length: Bn }, (_, k) => -(Math.min(Math.abs(k - 35.6), Bn - Math.abs(k - 35.6)) ** 2)); // peak at -0.4 bins
    assert.ok(Math.abs(bestHeading(v) - (35.6 / Bn) * 2 * Math.PI) < 1e-9);
  });

  it('the heading loss trains: 60 Adam steps on one pair move the best heading to the label, and no tensor leaks', () => {
    const net = createBearingNet(small, W, createRng(12)), rng = createRng(13);
    const polar = tf.tensor4d(Float32Array.from({ length: small.rangeBins * small.bins * 3 }, () => rng.uniform(0, 1)), [1, small.rangeBins, small.bins, 3]);
    const image = tf.tensor4d(Float32Array.from({ length: H * W * 3 }, () => rng.uniform(0, 1)), [1, H, W, 3]);
    const Kt = tf.tensor2d(K, [1, 9]), heading = (17 / small.bins) * 2 * Math.PI;
    const opt = tf.train.adam(0.01);
    let first = 0, last = 0, atStep2 = 0;
    for (let i = 0; i < 60; i++) {
      const l = opt.minimize(() => headingLoss(net.scores(polar, image, Kt), [heading]), true, net.trainableVariables)!;
      if (i === 0) first = l.dataSync()[0];
      last = l.dataSync()[0]; l.dispose();
      if (i === 2) atStep2 = tf.memory().numTensors;
    }
    assert.equal(tf.memory().numTensors, atStep2); // no growth per step
    assert.ok(last < first * 0.5, `${first} -> ${last}`);
    const best = bestHeading(net.scores(polar, image, Kt).dataSync());
    assert.ok(Math.abs(best - heading) < (2 * Math.PI) / small.bins, `${best} vs ${heading}`);
    tf.dispose([polar, image, Kt]); opt.dispose(); net.dispose();
  });
});

describe('bearing frustum pose: real KITTI', () => {
  const KITTI = sharedData('kitti-odometry-sample');
  // Measured: 0.2-1.3 m (median 0.7 m), mostly along the driving direction, against about 0.05 m on the synthetic
  // drives: a real scan is taken while the car moves 0.86 m per sweep here, and the car's body hides the ground
  // near it; the generator models neither. The bound is the success test's 2 m, so this tells when it gets worse.
  it('sensorCentre finds the HDL-64E\'s centre in real scans (frames 1-10, camera 3, laptop pairs) within 2 m, median under 1 m', { skip: skipUnless(KITTI, 'kitti-odometry-sample') }, () => {
    const kseq = new KittiOdometry(KITTI!).sequence(0), errs: number[] = [];
    for (let frame = 1; frame <= 10; frame++) {
      const p = buildPair(kseq, frame, 3, PAIR_PRESETS.laptop, undefined, { split: 'test' });
      const T = p.camFromPoints, psi = poseHeading(T), c = poseCentre(T), [ox, , oz] = p.lidarOriginCam;
      // the true LiDAR centre in the cloud frame: the camera centre plus R^T o (o: the LiDAR origin in the camera frame)
      const lx = c.x + ox * Math.cos(psi) + oz * Math.sin(psi), lz = c.z - ox * Math.sin(psi) + oz * Math.cos(psi);
      const got = sensorCentre(p.points, DEFAULT_BEARING_CONFIG);
      errs.push(Math.hypot(got.x - lx, got.z - lz));
    }
    console.log(`KITTI 00 frames 1-10, camera 3: LiDAR centre error ${errs.map((e) => e.toFixed(3)).join(', ')} m`);
    const sorted = [...errs].sort((a, b) => a - b);
    assert.ok(Math.max(...errs) < 2 && (sorted[4] + sorted[5]) / 2 < 1, errs.join(', '));
  });
});
