/**
 * How well GPDM finds the camera frustum, over test pairs: the in-frustum classifier's ROC AUC
 * and its precision / recall at p > 0.5 (logit > 0), and the precision / recall of the
 * geometric mask of the frustum pose (what ICLM attends to), all against the true in-frustum
 * labels, pooled over every point of every pair (micro average). Two diagnostics tell WHAT the
 * classifier has learned, since the frustum is a wedge seen from the camera centre: `frontAuc`,
 * the AUC of its logits for "in front of the true camera" (z > 0: the heading, which only the image
 * can tell; 0.5 = nothing), and `nearAuc`, for "within nearM of the true camera centre" on the
 * ground plane (a radial prior the scan alone gives: the LiDAR sits at the camera).
 * @see notebooks/05-pose-regression.ipynb
 */
import { precisionRecall, rocAuc } from '../metrics/classification.js';
import { invert } from '../geometry/se3.js';

/** The stage-1 quality numbers of a run. */
export interface GpdmMetrics {
  pairs: number;
  /** Share of points truly in the frustum, %. */ inFrustumPct: number;
  /** Classifier ROC AUC (0.5 = chance). */ clsAuc: number;
  /** Classifier precision / recall at logit > 0, %. */ clsPrecisionPct: number; clsRecallPct: number;
  /** Geometric mask precision / recall, %. */ maskPrecisionPct: number; maskRecallPct: number;
  /** Mean over pairs of the per-pair AUC of the logits for the true in-frustum labels. */ clsAucPerPair: number;
  /** Mean over pairs of the per-pair AUC of the logits for "in front of the true camera" (heading learned: > 0.5). */ frontAuc: number;
  /** Mean over pairs of the per-pair AUC of the logits for "within nearM of the true camera centre" (< 0.5: far points score higher). */ nearAuc: number;
}

/** Per pair, what the diagnostics compare the logits with. */
export interface GpdmPairGeometry {
  /** [N * 3] metres, cloud frame. */ points: ArrayLike<number>;
  /** [16] row-major true camFromPoints. */ camFromPoints: ArrayLike<number>;
}

/** Metres: the radius of the `nearAuc` diagnostic. */
export const NEAR_RADIUS_M = 15;

const meanFinite = (xs: number[]): number => { const f = xs.filter(Number.isFinite); return f.reduce((a, b) => a + b, 0) / f.length; };

function concat<T extends Float32Array | Uint8Array>(parts: readonly T[], make: (n: number) => T): T {
  const out = make(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

// #region gpdmMetrics
/**
 * @param logits per pair [N] in-frustum logits; geometric per pair [N] 0/1 mask; inFrustum per pair [N] 0/1 truth
 * @param geometry per pair the points and the true pose (for frontAuc and nearAuc; a pair where a class is absent is left out of that mean)
 * @throws Error when a pair's arrays differ in length
 */
export function gpdmMetrics(logits: readonly Float32Array[], geometric: readonly Uint8Array[], inFrustum: readonly Uint8Array[], geometry: readonly GpdmPairGeometry[]): GpdmMetrics {
  if (geometry.length !== inFrustum.length) throw new Error(`gpdmMetrics: expected one geometry per pair, got ${geometry.length} for ${inFrustum.length} pairs`);
  if (logits.length !== inFrustum.length || geometric.length !== inFrustum.length) {
    throw new Error(`gpdmMetrics: expected one logits, mask and label array per pair, got ${logits.length}, ${geometric.length} and ${inFrustum.length}`);
  }
  inFrustum.forEach((t, i) => {
    if (logits[i].length !== t.length || geometric[i].length !== t.length) throw new Error(`gpdmMetrics: pair ${i} has ${logits[i].length} logits and ${geometric[i].length} mask values for ${t.length} labels`);
  });
  const lg = concat(logits, (n) => new Float32Array(n)), truth = concat(inFrustum, (n) => new Uint8Array(n));
  const cls = precisionRecall(Uint8Array.from(lg, (l) => +(l > 0)), truth), mask = precisionRecall(concat(geometric, (n) => new Uint8Array(n)), truth);
  const pct = (x: number): number => 100 * x;
  const front: number[] = [], near: number[] = [], perPair: number[] = [];
  geometry.forEach((g, k) => {
    const T = g.camFromPoints, P = g.points, n = inFrustum[k].length;
    if (P.length !== 3 * n) throw new Error(`gpdmMetrics: pair ${k} has ${P.length} point coordinates for ${n} labels`);
    const camToCloud = invert(T), c = [camToCloud[3], camToCloud[7], camToCloud[11]]; // camera centre -R^T t
    const isFront = new Uint8Array(n), isNear = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const x = P[3 * i], y = P[3 * i + 1], z = P[3 * i + 2];
      isFront[i] = +(T[8] * x + T[9] * y + T[10] * z + T[11] > 0);
      isNear[i] = +(Math.hypot(x - c[0], z - c[2]) < NEAR_RADIUS_M);
    }
    front.push(rocAuc(logits[k], isFront)); near.push(rocAuc(logits[k], isNear)); perPair.push(rocAuc(logits[k], inFrustum[k]));
  });
  return {
    pairs: inFrustum.length, inFrustumPct: pct(truth.reduce((s, x) => s + x, 0) / Math.max(truth.length, 1)), clsAuc: rocAuc(lg, truth),
    clsPrecisionPct: pct(cls.precision), clsRecallPct: pct(cls.recall), maskPrecisionPct: pct(mask.precision), maskRecallPct: pct(mask.recall),
    clsAucPerPair: meanFinite(perPair), frontAuc: meanFinite(front), nearAuc: meanFinite(near),
  };
}
// #endregion gpdmMetrics
