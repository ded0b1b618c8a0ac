/**
 * Differentiable pinhole projection in tfjs (keypoint reprojection losses, frustum masks
 * inside a training step). Same conventions as projection.ts: u = fx x / z + cx,
 * v = fy y / z + cy, pixel centres at integer coordinates.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../core/tf.js';
import { assertRange, assertShape } from '../core/shapes.js';
import { InputError } from '../core/errors.js';
import { transformPointsTf } from './se3-tf.js';

/** Options of {@link projectPointsTf}. */
export interface ProjectTfOptions {
  /** Depths are floored at this value before dividing (finite gradients for points behind the camera); metres, default 1e-3. */
  minDepthM?: number;
  /** When given, also return the in-image mask for this image size (pixels). */
  imageSize?: { width: number; height: number };
}

/** Result of {@link projectPointsTf}. */
export interface ProjectTfResult {
  /** [B, N, 2] float32 (u, v), pixels. */
  uv: Tensor3D;
  /** [B, N] float32 camera depth z, metres (not floored). */
  z: Tensor2D;
  /** [B, N] float32, 1 where z > minDepthM and -0.5 <= u < W - 0.5, -0.5 <= v < H - 0.5 (no gradient); only with `imageSize`. */
  inImage?: Tensor2D;
}

// #region projectPointsTf
/**
 * Projects batched points: moves them into the camera, then applies K.
 * @param pointsA [B, N, 3] float32, metres, frame A
 * @param camFromPoints [B, 4, 4] float32 frame A -> camera, or null when the points are already in the camera frame
 * @param K [3, 3] or [B, 3, 3] float32 intrinsics [fx 0 cx; 0 fy cy; 0 0 1]
 * @param options depth floor, image size for the mask
 * @returns uv [B, N, 2], z [B, N], inImage [B, N] (all new tensors; the caller disposes them)
 */
export function projectPointsTf(pointsA: Tensor3D, camFromPoints: Tensor3D | null, K: Tensor, options: ProjectTfOptions = {}): ProjectTfResult {
  assertShape('projectPointsTf: pointsA', pointsA.shape, [null, null, 3]);
  const [B, N] = pointsA.shape;
  if (camFromPoints) assertShape('projectPointsTf: camFromPoints', camFromPoints.shape, [B, 4, 4]);
  if (K.rank === 2) assertShape('projectPointsTf: K', K.shape, [3, 3]);
  else if (K.rank === 3) assertShape('projectPointsTf: K', K.shape, [B, 3, 3]);
  else throw new InputError('projectPointsTf: K', `expected shape [3, 3] or [${B}, 3, 3], got [${K.shape.join(', ')}]`);
  const minDepthM = options.minDepthM ?? 1e-3;
  assertRange('projectPointsTf: minDepthM', minDepthM, Number.MIN_VALUE);
  return tf.tidy(() => {
    const pc = camFromPoints ? transformPointsTf(camFromPoints, pointsA) : pointsA; // [B, N, 3]
    const Kb = K.rank === 2 ? tf.tile(tf.reshape(K, [1, 3, 3]), [B, 1, 1]) : K; // [B, 3, 3]
    const hom = tf.matMul(pc, Kb as Tensor3D, false, true); // [B, N, 3] = (K p)^T
    const z = tf.reshape(tf.slice(pc, [0, 0, 2], [B, N, 1]), [B, N]) as Tensor2D; // [B, N]
    const zSafe = tf.maximum(tf.slice(hom, [0, 0, 2], [B, N, 1]), minDepthM); // [B, N, 1]
    const uv = tf.div(tf.slice(hom, [0, 0, 0], [B, N, 2]), zSafe) as Tensor3D; // [B, N, 2]
    const out: ProjectTfResult = { uv, z };
    if (options.imageSize) {
      const { width: W, height: H } = options.imageSize;
      const [u, v] = tf.unstack(uv, 2); // each [B, N]
      const ok = tf.logicalAnd(
        tf.logicalAnd(tf.greater(z, minDepthM), tf.logicalAnd(tf.greaterEqual(u, -0.5), tf.less(u, W - 0.5))),
        tf.logicalAnd(tf.greaterEqual(v, -0.5), tf.less(v, H - 0.5)),
      );
      out.inImage = tf.cast(ok, 'float32') as Tensor2D;
    }
    return out as unknown as Record<string, Tensor>;
  }) as unknown as ProjectTfResult;
}
// #endregion projectPointsTf
