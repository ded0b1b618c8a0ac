/**
 * Test fixtures for the registration model: a tiny laptop-derived config and a hand-made
 * batch (seeded), small enough for a 2-core CPU.
 */
import { tf, type Tensor2D, type Tensor3D, type Tensor4D } from '../../src/core/tf.js';
import { createRng } from '../../src/core/rng.js';
import { REGISTRATION_PRESETS, type RegistrationConfig } from '../../src/registration/config.js';

/** The laptop preset at 32 x 64 pixels and 256 points. */
export const TINY: Partial<RegistrationConfig> = {
  ...REGISTRATION_PRESETS.laptop,
  imageEncoder: { blocks: [1, 1, 1], widths: [8, 16, 16], fpnChannels: 16, outChannels: 16, inputHeightPx: 32, inputWidthPx: 64 },
  pointEncoder: { inputPoints: 256, npoints: [64, 16], k: [8, 8], groupScaleM: [1, 2], saWidths: [[16], [32]], fpWidths: [[16], [32]], outChannels: 16 },
  pairs: { cropHeight: 32, cropWidth: 64, numPoints: 256 },
  dModel: 16, numQueries: 8, layers: 1, heads: 2, ffnHidden: 16, headHidden: 16, batchSize: 2, epochs: 2, checkpointEverySteps: 1,
};

/** A batch of B random pairs: points in front of an identity-ish camera, K for 64 x 32. */
export function tinyBatch(B: number, seed = 1): { image: Tensor4D; points: Tensor3D; K: Tensor3D; camFromPoints: Tensor3D; inFrustum: Tensor2D } {
  const rng = createRng(seed), N = 256;
  const img = Float32Array.from({ length: B * 32 * 64 * 3 }, () => rng.uniform(0, 1));
  const pts = Float32Array.from({ length: B * N * 3 }, (_, i) => (i % 3 === 2 ? rng.uniform(-5, 20) : rng.uniform(-10, 10)));
  const K = [30, 0, 31.5, 0, 30, 15.5, 0, 0, 1];
  const T = [1, 0, 0, 0.5, 0, 1, 0, -0.2, 0, 0, 1, 1, 0, 0, 0, 1];
  return tf.tidy(() => {
    const points = tf.tensor3d(pts, [B, N, 3]);
    const camFromPoints = tf.tile(tf.tensor3d(T, [1, 4, 4]), [B, 1, 1]) as Tensor3D;
    const Kt = tf.tile(tf.tensor3d(K, [1, 3, 3]), [B, 1, 1]) as Tensor3D;
    return { image: tf.tensor4d(img, [B, 32, 64, 3]), points, K: Kt, camFromPoints, inFrustum: tf.cast(tf.greater(tf.slice(points, [0, 0, 2], [B, N, 1]).reshape([B, N]), 1), 'float32') as Tensor2D };
  });
}
