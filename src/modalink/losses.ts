/**
 * ModaLink's training losses, pure tfjs and differentiable.
 *
 * - Lazy triplet (PointNetVLAD's "lazy" variant): for each query, the WORST of its M
 *   negatives, max_m relu(d(q, p) - d(q, n_m) + margin), with Euclidean d; mean over the batch.
 * - Mid-level triplet on encoder feature maps: the same lazy hinge with d = mean absolute
 *   difference over every map element (L1), margin 0.03.
 * total = tripletWeight * lazy + midWeight * mid.
 *
 * Convention: the positive of a camera-image query is the depth image of the same frame;
 * negatives come from {@link sampleNegatives} (ground-distance.ts).
 * @see notebooks/03-place-recognition.ipynb (issue 4)
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../core/tf.js';
import { InputError } from '../core/errors.js';
import { checkConfigObject, numberFields, type NumberSpec } from '../core/config-fields.js';

// #region config
/** Loss settings. */
export interface ModaLinkLossConfig {
  /** Margin of the lazy triplet on descriptors (Euclidean distance of unit vectors), >= 0. Paper 0.3. */
  marginL2: number;
  /** Weight of the lazy triplet term, >= 0. Default 1. */
  tripletWeight: number;
  /** Margin of the mid-level term (mean absolute difference of encoder maps), >= 0. Paper 0.03. */
  midMarginL1: number;
  /** Weight of the mid-level term, >= 0 (0 switches it off). Default 1. */
  midWeight: number;
  /** Floor of the squared Euclidean distance before its square root (finite gradient when q = p), > 0. Default 1e-12. */
  distanceEpsilon: number;
}

/** The paper's margins; both terms weighted 1. */
export const DEFAULT_MODALINK_LOSS_CONFIG: Readonly<ModaLinkLossConfig> = Object.freeze({
  marginL2: 0.3, tripletWeight: 1, midMarginL1: 0.03, midWeight: 1, distanceEpsilon: 1e-12,
});
// #endregion config

/**
 * Merges `partial` over {@link DEFAULT_MODALINK_LOSS_CONFIG} and checks every field.
 * @throws ConfigError naming the field (e.g. `loss.marginL2`)
 */
export function validateModaLinkLossConfig(partial: Partial<ModaLinkLossConfig> = {}): Readonly<ModaLinkLossConfig> {
  checkConfigObject('loss', partial, Object.keys(DEFAULT_MODALINK_LOSS_CONFIG));
  const c = { ...DEFAULT_MODALINK_LOSS_CONFIG, ...partial };
  const nonNegative: NumberSpec = { min: 0 };
  numberFields('loss', c, {
    marginL2: nonNegative, tripletWeight: nonNegative, midMarginL1: nonNegative, midWeight: nonNegative, distanceEpsilon: { min: 0, minOpen: true },
  });
  return Object.freeze(c);
}

function shapeStr(t: Tensor): string { return `[${t.shape.join(', ')}]`; }

/** Checks q [B, ...], p like q, negatives [B, M, ...] with the same trailing shape. */
function checkTriplet(where: string, q: Tensor, p: Tensor, negatives: Tensor): void {
  const ns: number[] = negatives.shape;
  const tail = q.shape.slice(1);
  if (q.rank < 2) throw new InputError(`${where}: query`, `expected [B, ...] of rank >= 2, got ${shapeStr(q)}`);
  if (p.shape.length !== q.shape.length || p.shape.some((d, i) => d !== q.shape[i])) throw new InputError(`${where}: positive`, `expected the query's shape ${shapeStr(q)}, got ${shapeStr(p)}`);
  const ok = ns.length === q.rank + 1 && ns[0] === q.shape[0] && ns[1] >= 1 && ns.slice(2).every((d, i) => d === tail[i]);
  if (!ok) throw new InputError(`${where}: negatives`, `expected [${q.shape[0]}, M, ${tail.join(', ')}] with M >= 1, got ${shapeStr(negatives)}`);
}

/** mean_b max_m relu(dPos_b - dNeg_bm + margin): dPos [B], dNeg [B, M] -> scalar. */
function lazyHinge(dPos: Tensor, dNeg: Tensor, margin: number): Tensor {
  return tf.mean(tf.max(tf.relu(tf.add(tf.sub(tf.expandDims(dPos, 1), dNeg), margin)), 1)); // [B, M] -> [B] -> []
}

// #region lazyTriplet
/**
 * Lazy triplet loss on descriptors with Euclidean distance.
 * @param query [B, D] float32 query descriptors (camera images)
 * @param positive [B, D] float32 positive descriptors (depth image of the same frame)
 * @param negatives [B, M, D] float32 negative descriptors
 * @param marginL2 hinge margin in descriptor distance (default 0.3)
 * @returns [] float32 scalar, mean over the batch (a new tensor)
 */
export function lazyTripletLoss(query: Tensor2D, positive: Tensor2D, negatives: Tensor3D, marginL2 = DEFAULT_MODALINK_LOSS_CONFIG.marginL2, distanceEpsilon = DEFAULT_MODALINK_LOSS_CONFIG.distanceEpsilon): Tensor {
  checkTriplet('lazyTripletLoss', query, positive, negatives);
  return tf.tidy(() => {
    // sub then square: tfjs's squaredDifference gradient does not reduce a broadcast input
    const dist = (a: Tensor, b: Tensor): Tensor => tf.sqrt(tf.maximum(tf.sum(tf.square(tf.sub(a, b)), -1), distanceEpsilon));
    const dPos = dist(query, positive); // [B]
    const dNeg = dist(tf.expandDims(query, 1), negatives); // [B, 1, D] vs [B, M, D] -> [B, M]
    return lazyHinge(dPos, dNeg, marginL2);
  });
}
// #endregion lazyTriplet

// #region midLevel
/**
 * Lazy triplet on encoder feature maps with d = mean absolute difference (L1 per element).
 * @param queryMap [B, h, w, C] float32 (any trailing shape) encoder maps of the queries
 * @param positiveMap same shape as queryMap
 * @param negativeMaps [B, M, h, w, C] float32
 * @param marginL1 hinge margin in mean absolute difference (default 0.03)
 * @returns [] float32 scalar (a new tensor)
 */
export function midLevelTripletLoss(queryMap: Tensor, positiveMap: Tensor, negativeMaps: Tensor, marginL1 = DEFAULT_MODALINK_LOSS_CONFIG.midMarginL1): Tensor {
  checkTriplet('midLevelTripletLoss', queryMap, positiveMap, negativeMaps);
  return tf.tidy(() => {
    const [B, M] = negativeMaps.shape;
    const q = tf.reshape(queryMap, [B, 1, -1]); // [B, 1, E]
    const dPos = tf.mean(tf.abs(tf.sub(tf.squeeze(q, [1]), tf.reshape(positiveMap, [B, -1]))), -1); // [B]
    const dNeg = tf.mean(tf.abs(tf.sub(q, tf.reshape(negativeMaps, [B, M, -1]))), -1); // [B, M]
    return lazyHinge(dPos, dNeg, marginL1);
  });
}
// #endregion midLevel

/** Inputs of {@link modaLinkLoss}; the maps are optional (no mid-level term without them). */
export interface ModaLinkLossInputs {
  /** [B, D] query descriptors. */ query: Tensor2D;
  /** [B, D] positive descriptors. */ positive: Tensor2D;
  /** [B, M, D] negative descriptors. */ negatives: Tensor3D;
  /** [B, h, w, C] query encoder maps. */ queryMap?: Tensor;
  /** [B, h, w, C] positive encoder maps. */ positiveMap?: Tensor;
  /** [B, M, h, w, C] negative encoder maps. */ negativeMaps?: Tensor;
}

/**
 * The weighted sum of both terms.
 * @returns total, triplet and mid scalars (new tensors; mid is 0 without maps or with midWeight 0)
 */
export function modaLinkLoss(inputs: ModaLinkLossInputs, config: Partial<ModaLinkLossConfig> = {}): { total: Tensor; triplet: Tensor; mid: Tensor } {
  const c = validateModaLinkLossConfig(config);
  const maps = [inputs.queryMap, inputs.positiveMap, inputs.negativeMaps];
  const nMaps = maps.filter((m) => m !== undefined).length;
  if (nMaps !== 0 && nMaps !== 3) throw new InputError('modaLinkLoss: inputs', 'give all three of queryMap, positiveMap, negativeMaps, or none');
  const [total, triplet, mid] = tf.tidy(() => {
    const t = lazyTripletLoss(inputs.query, inputs.positive, inputs.negatives, c.marginL2, c.distanceEpsilon);
    const m = nMaps === 3 && c.midWeight > 0 ? midLevelTripletLoss(maps[0]!, maps[1]!, maps[2]!, c.midMarginL1) : tf.scalar(0);
    return [tf.add(tf.mul(t, c.tripletWeight), tf.mul(m, c.midWeight)), t, m];
  });
  return { total, triplet, mid };
}
