/**
 * The explicit baseline's InfoNCE targets: the feature-grid cell each point's ground-truth
 * projection falls in, and a seeded draw of in-frustum points per pair.
 *
 * Convention: pixel (u, v) = (column, row) with the centre of pixel (c, r) at (c, r). A grid
 * cell (i, j) of stride s covers input rows s i .. s i + s - 1, columns s j .. s j + s - 1, so
 * a projection (u, v) falls in cell (floor((v + 0.5) / s), floor((u + 0.5) / s)).
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { permutation, type Rng } from '../../core/rng.js';
import type { ImagePointPair } from '../../data/pairs/build-pair.js';

// #region targets
/** Which points InfoNCE uses and their positive cells; B pairs x M slots, flat. */
export interface ContrastiveTargets {
  /** Slots per pair. */ perPair: number;
  /** [B * M] int32 point index within its pair. */ pointIndex: Int32Array;
  /** [B * M] int32 positive cell, row * w + col. */ cellIndex: Int32Array;
  /** [B * M] float32 1 = a real slot, 0 = padding. */ weight: Float32Array;
}

/**
 * The grid cell each point's ground-truth projection falls in (-1 when out of the frustum).
 * @param pair points [N * 3] metres (perturbed frame), camFromPoints, K (pixels), inFrustum
 * @param gridW w, gridH h cells; stride pixels per cell
 * @returns [N] int32 row * w + col, or -1
 */
export function groundTruthCells(pair: Pick<ImagePointPair, 'points' | 'camFromPoints' | 'K' | 'inFrustum'>, gridW: number, gridH: number, stride: number): Int32Array {
  const { points: p, camFromPoints: T, K } = pair, n = p.length / 3, out = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (!pair.inFrustum[i]) continue;
    const x = p[3 * i], y = p[3 * i + 1], z = p[3 * i + 2];
    const xc = T[0] * x + T[1] * y + T[2] * z + T[3], yc = T[4] * x + T[5] * y + T[6] * z + T[7], zc = T[8] * x + T[9] * y + T[10] * z + T[11];
    const u = (K[0] * xc + K[1] * yc) / zc + K[2], v = (K[4] * yc) / zc + K[5];
    const col = Math.min(gridW - 1, Math.max(0, Math.floor((u + 0.5) / stride)));
    const row = Math.min(gridH - 1, Math.max(0, Math.floor((v + 0.5) / stride)));
    out[i] = row * gridW + col;
  }
  return out;
}

/**
 * Draws up to `perPair` in-frustum points per pair (seeded) with their positive cells.
 * @param pairs the batch's pairs (same N); rng the step's generator
 */
export function contrastiveTargets(pairs: ReadonlyArray<Pick<ImagePointPair, 'points' | 'camFromPoints' | 'K' | 'inFrustum'>>, gridW: number, gridH: number, stride: number, perPair: number, rng: Rng): ContrastiveTargets {
  const B = pairs.length, M = perPair;
  const t: ContrastiveTargets = { perPair: M, pointIndex: new Int32Array(B * M), cellIndex: new Int32Array(B * M), weight: new Float32Array(B * M) };
  pairs.forEach((pair, b) => {
    const cells = groundTruthCells(pair, gridW, gridH, stride);
    const inside = Int32Array.from(cells.keys()).filter((i) => cells[i] >= 0);
    const pick = permutation(rng, inside.length, Math.min(M, inside.length));
    pick.forEach((k, m) => { t.pointIndex[b * M + m] = inside[k]; t.cellIndex[b * M + m] = cells[inside[k]]; t.weight[b * M + m] = 1; });
  });
  return t;
}
// #endregion targets
