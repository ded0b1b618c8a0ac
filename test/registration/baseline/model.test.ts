import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import { ConfigError } from '../../../src/core/errors.js';
import { createExplicitBaseline, validateExplicitBaselineConfig, type ExplicitBaselineConfig } from '../../../src/registration/baseline/index.js';
import { TINY, tinyBatch } from '../tiny-registration.js';

const CONFIG: Partial<ExplicitBaselineConfig> = { registration: TINY, descriptorDim: 8, contrastivePoints: 16 };

describe('explicit baseline: config and model', () => {
  it('validates its config with readable errors', () => {
    assert.throws(() => validateExplicitBaselineConfig({ temperature: 0 }), (e: unknown) => e instanceof ConfigError && /explicitBaseline\.temperature/.test(e.message));
    assert.throws(() => validateExplicitBaselineConfig({ foo: 1 } as never), /explicitBaseline\.foo/);
    assert.equal(validateExplicitBaselineConfig().ransacIterations, 500);
  });

  it('returns descriptors of the documented shapes, unit norm, for B = 1 and 2', () => {
    const model = createExplicitBaseline(CONFIG, 3);
    for (const B of [1, 2]) {
      const b = tinyBatch(B);
      const out = model.forward(b.image, b.points, false);
      assert.deepEqual(out.pixelDescriptors.shape, [B, 8, 16, 8]);
      assert.deepEqual(out.pointDescriptors.shape, [B, 256, 8]);
      assert.deepEqual(out.inFrustumLogits.shape, [B, 256]);
      for (const t of [out.pixelDescriptors, out.pointDescriptors]) {
        const n = tf.tidy(() => tf.norm(t, 'euclidean', -1).dataSync());
        for (const x of n) assert.ok(Math.abs(x - 1) < 1e-4, `norm ${x}`);
      }
      tf.dispose([out.pixelDescriptors, out.pointDescriptors, out.inFrustumLogits, ...Object.values(b)]);
    }
    assert.equal(model.gridStride, 4);
    model.dispose();
  });
});
