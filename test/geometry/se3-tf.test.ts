import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../../src/core/tf.js';
import { createRng } from '../../src/core/rng.js';
import { fromRtTf, invertTf, transformPointsTf } from '../../src/geometry/se3-tf.js';
import { projectPointsTf } from '../../src/geometry/projection-tf.js';
import { compose, identity4, invert, transformPoints } from '../../src/geometry/se3.js';
import { projectPoints } from '../../src/geometry/projection.js';
import { cameraMatrix, type PinholeCamera } from '../../src/geometry/camera.js';
import { assertClose, randomCloud, randomRigid } from '../helpers/geometry.js';

const cam: PinholeCamera = { fx: 500, fy: 480, cx: 320, cy: 240, width: 640, height: 480 };

describe('transformPointsTf / fromRtTf / invertTf', () => {
  for (const B of [1, 4]) {
    it(`matches transformPoints for batch ${B}`, () => {
      const rng = createRng(60 + B);
      const N = 50;
      const Ts = Array.from({ length: B }, () => randomRigid(rng));
      const pts = randomCloud(rng, B * N);
      const before = tf.memory().numTensors;
      const out = tf.tidy(() => transformPointsTf(
        tf.tensor3d(Float32Array.from(Ts.flatMap((T) => Array.from(T))), [B, 4, 4]),
        tf.tensor3d(pts, [B, N, 3])));
      assert.deepEqual(out.shape, [B, N, 3]);
      const got = out.dataSync();
      out.dispose();
      assert.equal(tf.memory().numTensors, before);
      for (let b = 0; b < B; b++) {
        assertClose(got.subarray(3 * N * b, 3 * N * (b + 1)), transformPoints(Ts[b], pts.subarray(3 * N * b, 3 * N * (b + 1))), 1e-4);
      }
    });
  }
  it('fromRtTf builds [R t; 0 0 0 1] and invertTf inverts it', () => {
    const T = randomRigid(createRng(65));
    const before = tf.memory().numTensors;
    const [built, inv] = tf.tidy(() => {
      const Tt = tf.tensor3d(Float32Array.from(T), [1, 4, 4]);
      const R = tf.slice(Tt, [0, 0, 0], [1, 3, 3]) as Tensor3D;
      const t = tf.reshape(tf.slice(Tt, [0, 0, 3], [1, 3, 1]), [1, 3]) as Tensor2D;
      return [fromRtTf(R, t), invertTf(Tt)];
    });
    assertClose(built.dataSync(), T, 1e-6);
    assertClose(inv.dataSync(), invert(T), 1e-5);
    tf.dispose([built, inv]);
    assert.equal(tf.memory().numTensors, before);
  });
  it('rejects mismatched batches with a readable message', () => {
    const T = tf.zeros([2, 4, 4]) as Tensor3D, p = tf.zeros([3, 5, 3]) as Tensor3D;
    assert.throws(() => transformPointsTf(T, p), /batch size 3 differs from bFromA's 2/);
    assert.throws(() => transformPointsTf(T, tf.zeros([2, 5, 4]) as Tensor3D), /pointsA: expected shape \[\*, \*, 3\]/);
    tf.dispose([T, p]);
  });
});

describe('projectPointsTf', () => {
  it('matches projectPoints (u, v, z and the in-image mask) and leaks nothing', () => {
    const rng = createRng(66);
    const N = 300;
    const pts = randomCloud(rng, N, 3, -30, 30);
    const T = compose(randomRigid(rng, 1), identity4());
    const ref = projectPoints(pts, 3, T, cam);
    const before = tf.memory().numTensors;
    const res = tf.tidy(() => projectPointsTf(tf.tensor3d(pts, [1, N, 3]), tf.tensor3d(Float32Array.from(T), [1, 4, 4]),
      tf.tensor2d(Float32Array.from(cameraMatrix(cam)), [3, 3]), { imageSize: cam, minDepthM: 1e-3 }) as unknown as Record<string, Tensor>);
    const uv = res.uv.dataSync(), z = res.z.dataSync(), inImg = res.inImage.dataSync();
    tf.dispose(Object.values(res));
    assert.equal(tf.memory().numTensors, before);
    for (let i = 0; i < N; i++) {
      assertClose([z[i]], [ref.z[i]], 1e-4, `z ${i}`);
      if (ref.z[i] > 0.5) {
        assertClose([uv[2 * i], uv[2 * i + 1]], [ref.u[i], ref.v[i]], 2e-2 * Math.max(1, Math.abs(ref.u[i]) / 100), `uv ${i}`);
        const margin = Math.min(Math.abs(ref.u[i] + 0.5), Math.abs(ref.u[i] - 639.5), Math.abs(ref.v[i] + 0.5), Math.abs(ref.v[i] - 479.5));
        if (margin > 0.1) assert.equal(inImg[i], ref.inImage[i], `mask ${i}`);
      }
    }
  });
  it('has finite gradients wrt points and pose, also for points behind the camera', () => {
    const pts = tf.tensor3d([1, 2, 10, 0, 0, -5, 0.5, -1, 0], [1, 3, 3]);
    const T = tf.tensor3d(Float32Array.from(identity4()), [1, 4, 4]);
    const K = tf.tensor3d(Float32Array.from(cameraMatrix(cam)), [1, 3, 3]);
    const before = tf.memory().numTensors;
    const grads = tf.tidy(() => tf.grads((p: Tensor, t: Tensor) => tf.sum(projectPointsTf(p as Tensor3D, t as Tensor3D, K).uv))([pts, T]));
    for (const g of grads) assert.ok(Array.from(g.dataSync()).every(Number.isFinite));
    // hand value: d u / d x = fx / z = 500 / 10 for the first point
    assert.ok(Math.abs(grads[0].dataSync()[0] - 500 / 10) < 1e-4);
    tf.dispose(grads);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([pts, T, K]);
  });
});
