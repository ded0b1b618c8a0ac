/**
 * Scaled dot-product attention and multi-head attention (Vaswani et al. 2017), the core of
 * ICLM's learnable queries.
 *
 * Masks: 1 = attend, 0 = ignore (values > 0.5 count as 1; no soft masks); a masked logit is replaced by {@link MASKED_LOGIT}
 * (exp underflows to exactly 0 in float32). Convention for a row whose keys are ALL
 * masked: its weights are all 0 and its output is the zero vector (PyTorch returns NaN
 * there). Implementation: softmax of the masked logits, multiplied by the mask, so such a
 * row's uniform softmax becomes 0 and partly masked rows are unchanged; gradients stay
 * finite.
 * Residual connections, LayerNorm and dropout are NOT part of {@link createMultiHeadAttention};
 * the layer stack that uses it adds them (see learnable-queries.ts).
 * @see notebooks/04-attention-queries.ipynb (issue 5)
 */
import { ConfigError } from '../core/errors.js';
import { checkConfigObject, numberField, numberFields, type NumberSpec } from '../core/config-fields.js';
import { createRng } from '../core/rng.js';
import { assertShape } from '../core/shapes.js';
import { tf, type Tensor, type Tensor3D } from '../core/tf.js';
import { createDense } from './mlp.js';
import { recompute } from './recompute.js';
import type { Variable } from '../core/tf.js';

/** The logit given to masked keys before the softmax. */
export const MASKED_LOGIT = -1e9;

/** What {@link scaledDotProductAttention} returns (a type alias, so `tf.tidy` can return it). */
export type AttentionResult = {
  /** [B, Nq, dv] float32: weighted sums of the values. */
  out: Tensor3D;
  /** [B, Nq, Nk] float32: attention weights, each row sums to 1 (0 for an all-masked row). */
  weights: Tensor3D;
};

/** Broadcasts a [B, Nk] or [B, Nq, Nk] mask to [B, Nq, Nk] (float32 0/1). */
function mask3d(mask: Tensor, B: number, Nq: number, Nk: number): Tensor3D {
  if (mask.rank === 2) {
    assertShape('attention: mask', mask.shape, [B, Nk]);
    return tf.tile(tf.expandDims(tf.cast(mask, 'float32'), 1), [1, Nq, 1]) as Tensor3D; // [B, Nq, Nk]
  }
  assertShape('attention: mask', mask.shape, [B, Nq, Nk]);
  return tf.cast(mask, 'float32') as Tensor3D;
}

// #region scaledDotProductAttention
/**
 * softmax(q k^T / sqrt(d)) v, with an optional key mask.
 * @param q [B, Nq, d] float32 queries
 * @param k [B, Nk, d] float32 keys
 * @param v [B, Nk, dv] float32 values
 * @param mask [B, Nk] (per key) or [B, Nq, Nk] (per query and key), 1 = attend, 0 = ignore
 * @returns out [B, Nq, dv] and weights [B, Nq, Nk] (caller disposes both)
 */
export function scaledDotProductAttention(q: Tensor3D, k: Tensor3D, v: Tensor3D, mask?: Tensor): AttentionResult {
  assertShape('scaledDotProductAttention: q', q.shape, [null, null, null]);
  const [B, Nq, d] = q.shape;
  assertShape('scaledDotProductAttention: k', k.shape, [B, null, d]);
  const Nk = k.shape[1];
  assertShape('scaledDotProductAttention: v', v.shape, [B, Nk, null]);
  return tf.tidy(() => {
    let logits = tf.div(tf.matMul(q, k, false, true), Math.sqrt(d)) as Tensor3D; // [B, Nq, Nk]
    if (mask === undefined) {
      const weights = tf.softmax(logits) as Tensor3D;
      return { out: tf.matMul(weights, v) as Tensor3D, weights };
    }
    const keep = tf.greater(mask3d(mask, B, Nq, Nk), 0.5); // [B, Nq, Nk] bool
    logits = tf.where(keep, logits, tf.fill(logits.shape, MASKED_LOGIT)) as Tensor3D;
    const weights = tf.mul(tf.softmax(logits), tf.cast(keep, 'float32')) as Tensor3D; // all-masked rows -> 0
    return { out: tf.matMul(weights, v) as Tensor3D, weights }; // [B, Nq, dv]
  });
}
// #endregion scaledDotProductAttention

// #region config
/** Multi-head attention settings. */
export interface MultiHeadAttentionConfig {
  /** Channels of queries and of the output; a multiple of `heads`. Default 128. */
  dModel: number;
  /** Number of heads; each works on dModel / heads channels. Default 4 (ICL). */
  heads: number;
  /** Channels of the keys/values input; default = dModel. */
  kvDim: number | undefined;
  /** Seed of the Glorot-uniform weights. Default 0. */
  seed: number;
  /**
   * Attention maps with at least this many scores (B x heads x Nq x Nk) are not kept for the
   * backward pass but recomputed from q, k, v when it needs them (src/nn/recompute.ts): the
   * paper ICLM's 64 queries over 40960 points keep about 0.4 GB per layer and pair otherwise.
   * Costs one more forward of the attention core. Default 4194304 (2^22); 0 = always; Infinity = never.
   */
  recomputeMinScores: number;
}

/** Defaults: 128 channels, 4 heads. */
export const DEFAULT_MULTI_HEAD_ATTENTION_CONFIG: Readonly<MultiHeadAttentionConfig> = Object.freeze({
  dModel: 128, heads: 4, kvDim: undefined, seed: 0, recomputeMinScores: 2 ** 22,
});
// #endregion config

/**
 * Merges over the defaults and checks.
 * @throws ConfigError naming the field (e.g. `multiHeadAttention.heads`)
 */
export function validateMultiHeadAttentionConfig(partial: Partial<MultiHeadAttentionConfig> = {}, prefix = 'multiHeadAttention'): Readonly<MultiHeadAttentionConfig> {
  checkConfigObject(prefix, partial, Object.keys(DEFAULT_MULTI_HEAD_ATTENTION_CONFIG));
  const c = { ...DEFAULT_MULTI_HEAD_ATTENTION_CONFIG, ...partial };
  const posInt: NumberSpec = { min: 1, integer: true };
  numberFields(prefix, c, { dModel: posInt, heads: posInt, ...(c.kvDim !== undefined ? { kvDim: posInt } : {}) });
  if (c.dModel % c.heads !== 0) throw new ConfigError(`${prefix}.heads`, `dModel ${c.dModel} is not a multiple of heads ${c.heads}`);
  numberField(`${prefix}.seed`, c.seed);
  numberField(`${prefix}.recomputeMinScores`, c.recomputeMinScores, { min: 0 });
  return Object.freeze(c);
}

/** A multi-head attention layer (projections only; no residual, norm or dropout). */
export interface MultiHeadAttention {
  readonly config: Readonly<MultiHeadAttentionConfig>;
  /**
   * @param q [B, Nq, dModel] float32 queries
   * @param kv [B, Nk, kvDim] float32 keys = values (self-attention: pass q again)
   * @param mask [B, Nk] or [B, Nq, Nk], 1 = attend
   * @returns out [B, Nq, dModel]; weights [B, Nq, Nk] AVERAGED over heads (caller disposes)
   */
  apply(q: Tensor3D, kv: Tensor3D, mask?: Tensor): AttentionResult;
  /** [Wq, bq, Wk, bk, Wv, bv, Wo, bo] in this order; W [in, out], b [out]. */
  readonly trainableVariables: Variable[];
  dispose(): void;
}

// #region createMultiHeadAttention
/**
 * Multi-head attention: heads attend in dModel / heads channel slices, then Wo mixes them.
 * @param config any subset of {@link MultiHeadAttentionConfig}
 */
export function createMultiHeadAttention(config: Partial<MultiHeadAttentionConfig> = {}): MultiHeadAttention {
  const cfg = validateMultiHeadAttentionConfig(config);
  const { dModel, heads } = cfg;
  const kvDim = cfg.kvDim ?? dModel;
  const dh = dModel / heads;
  const rng = createRng(cfg.seed);
  const wq = createDense(dModel, dModel, rng), wk = createDense(kvDim, dModel, rng);
  const wv = createDense(kvDim, dModel, rng), wo = createDense(dModel, dModel, rng);
  const layers = [wq, wk, wv, wo];
  const split = (x: Tensor, B: number, N: number): Tensor3D =>
    tf.reshape(tf.transpose(tf.reshape(x, [B, N, heads, dh]), [0, 2, 1, 3]), [B * heads, N, dh]) as Tensor3D; // [B*h, N, dh]
  return {
    config: cfg,
    trainableVariables: layers.flatMap((l) => l.trainableVariables),
    apply(q, kv, mask) {
      assertShape('multiHeadAttention: q', q.shape, [null, null, dModel]);
      const [B, Nq] = q.shape;
      assertShape('multiHeadAttention: kv', kv.shape, [B, null, kvDim]);
      const Nk = kv.shape[1];
      return tf.tidy(() => {
        let m: Tensor | undefined;
        if (mask !== undefined) {
          const m3 = mask3d(mask, B, Nq, Nk); // [B, Nq, Nk]
          m = tf.reshape(tf.tile(tf.expandDims(m3, 1), [1, heads, 1, 1]), [B * heads, Nq, Nk]); // [B*h, Nq, Nk]
        }
        // the attention core: heads' outputs merged [B, Nq, dModel] and weights averaged over heads [B, Nq, Nk]
        const core = (qh: Tensor, kh: Tensor, vh: Tensor, mh?: Tensor): [Tensor3D, Tensor3D] => {
          const r = scaledDotProductAttention(qh as Tensor3D, kh as Tensor3D, vh as Tensor3D, mh);
          const merged = tf.reshape(tf.transpose(tf.reshape(r.out, [B, heads, Nq, dh]), [0, 2, 1, 3]), [B, Nq, dModel]) as Tensor3D; // [B, Nq, dModel]
          return [merged, tf.mean(tf.reshape(r.weights, [B, heads, Nq, Nk]), 1) as Tensor3D];
        };
        const qkv = [split(wq.apply(q), B, Nq), split(wk.apply(kv), B, Nk), split(wv.apply(kv), B, Nk)];
        let merged: Tensor3D, weights: Tensor3D;
        if (B * heads * Nq * Nk < cfg.recomputeMinScores) [merged, weights] = core(qkv[0], qkv[1], qkv[2], m);
        else { // one output for recompute: both side by side, [B, Nq, dModel + Nk]; the mask is an input so that it lives until the backward pass
          const both = recompute((qh, kh, vh, mh) => tf.concat(core(qh, kh, vh, mh), 2), qkv, [], m ? [m] : []);
          merged = tf.slice(both, [0, 0, 0], [B, Nq, dModel]);
          weights = tf.slice(both, [0, 0, dModel], [B, Nq, Nk]);
        }
        return { out: wo.apply(merged) as Tensor3D, weights };
      });
    },
    dispose: () => layers.forEach((l) => l.dispose()),
  };
}
// #endregion createMultiHeadAttention
